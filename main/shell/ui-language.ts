// The UI language chosen in the renderer, kept in a small file beside the
// store so the next start can give Chromium its locale (Electron's `lang`
// switch) before the window exists: date and time inputs take their field
// order and 12/24-hour clock from it, not from the page. No electron import,
// so it is tested under plain Node.
import { readFileSync, writeFileSync } from 'node:fs';

export type UiLanguage = 'zh' | 'en';

/** Chromium's locale for the app's language. */
export const chromiumLocale = (lang: UiLanguage): string => (lang === 'en' ? 'en-US' : 'zh-CN');

/** The saved language; Chinese, the app's first language, when none was saved or the file is unreadable. */
export function readUiLanguage(file: string): UiLanguage {
  try {
    return readFileSync(file, 'utf8').trim() === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function writeUiLanguage(file: string, lang: UiLanguage): void {
  writeFileSync(file, lang);
}
