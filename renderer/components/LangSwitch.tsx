import { useTranslation } from 'react-i18next';
import { setLang, useLang } from '../i18n';

export function LangSwitch() {
  const { t } = useTranslation();
  const lang = useLang();
  const target = lang === 'zh' ? 'en' : 'zh';
  return (
    <button
      type="button"
      className="button ghost lang-switch"
      lang={target === 'en' ? 'en' : 'zh-CN'}
      title={t('lang.switchLabel')}
      onClick={() => setLang(target)}
    >
      {t('lang.switchTo')}
    </button>
  );
}
