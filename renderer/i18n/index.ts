// Chinese first, English second. The choice is kept in localStorage: it is a
// display preference, never personal data.
import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { invoke } from '../ipc/api';
import { en } from '../../shared/i18n/en';
import { enAuditDetail } from '../../shared/i18n/en-audit-detail';
import { enCounter } from '../../shared/i18n/en-counter';
import { enLifecycle } from '../../shared/i18n/en-lifecycle';
import { enNotify } from '../../shared/i18n/en-notify';
import { enOperations } from '../../shared/i18n/en-operations';
import { enOversight } from '../../shared/i18n/en-oversight';
import { enReports } from '../../shared/i18n/en-reports';
import { zh, type Messages } from '../../shared/i18n/zh';
import { zhAuditDetail } from '../../shared/i18n/zh-audit-detail';
import { zhCounter, type CounterMessages } from '../../shared/i18n/zh-counter';
import { zhLifecycle, type LifecycleMessages } from '../../shared/i18n/zh-lifecycle';
import { zhNotify, type NotifyMessages } from '../../shared/i18n/zh-notify';
import { zhOperations, type OperationsMessages } from '../../shared/i18n/zh-operations';
import { zhOversight, type OversightMessages } from '../../shared/i18n/zh-oversight';
import { zhReports } from '../../shared/i18n/zh-reports';

export type Lang = 'zh' | 'en';

// Only the lifecycle strings' `nav` group is in the key type: the rest are
// checked by ./lifecycle-t.ts (the whole set exceeded TypeScript's depth limit).
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages & OversightMessages & CounterMessages & Pick<LifecycleMessages, 'nav'> & Pick<NotifyMessages, 'nav'> & Pick<OperationsMessages, 'nav'> };
  }
}

const STORAGE_KEY = 'privacy-counter.lang';

function savedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

/** The document's language, and main's note of it for the next start's locale (date inputs follow Chromium's, not the page's). */
function applyToDocument(lang: Lang): void {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  void invoke('ui.language', { lang });
}

export function initI18n(): void {
  const lng = savedLang();
  applyToDocument(lng);
  void i18next.use(initReactI18next).init({
    resources: { zh: { translation: zh }, en: { translation: en } },
    lng,
    fallbackLng: 'zh',
    supportedLngs: ['zh', 'en'],
    // React escapes what it renders; escaping here too would show "&amp;".
    interpolation: { escapeValue: false },
    // Resources are bundled, so the first render can already be translated.
    initAsync: false,
  });
  // Kept in their own files; merged deep, so shared groups such as `nav` gain keys rather than lose them.
  i18next.addResourceBundle('zh', 'translation', zhOversight, true, false);
  i18next.addResourceBundle('en', 'translation', enOversight, true, false);
  i18next.addResourceBundle('zh', 'translation', zhAuditDetail, true, false);
  i18next.addResourceBundle('en', 'translation', enAuditDetail, true, false);
  // The counter screens' strings live in their own files; merged deep, so groups such as `nav` gain keys.
  i18next.addResourceBundle('zh', 'translation', zhCounter, true, false);
  i18next.addResourceBundle('en', 'translation', enCounter, true, false);
  // The data-lifecycle screens and banner (数据生命周期); merged deep like the others.
  i18next.addResourceBundle('zh', 'translation', zhLifecycle, true, false);
  i18next.addResourceBundle('en', 'translation', enLifecycle, true, false);
  // The pickup-notice screen (取件通知); merged deep like the others.
  i18next.addResourceBundle('zh', 'translation', zhNotify, true, false);
  i18next.addResourceBundle('en', 'translation', enNotify, true, false);
  // Station operations (站务) and the words of its reports, which main's PDFs print too.
  i18next.addResourceBundle('zh', 'translation', { ...zhOperations, ...zhReports }, true, false);
  i18next.addResourceBundle('en', 'translation', { ...enOperations, ...enReports }, true, false);
}

export function setLang(lang: Lang): void {
  applyToDocument(lang);
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Storage may be unavailable; the switch still applies for this session.
  }
  void i18next.changeLanguage(lang);
}

/** The current locale, for picking `message.zh` / `message.en` from bilingual data. */
export function useLang(): Lang {
  const { i18n } = useTranslation();
  return i18n.resolvedLanguage === 'en' ? 'en' : 'zh';
}
