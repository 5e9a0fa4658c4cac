import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chromiumLocale, readUiLanguage, writeUiLanguage } from '../../main/shell/ui-language';

describe('the UI language kept for the next start', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ui-language-'));
  const file = path.join(dir, 'ui-language');
  afterEach(() => rmSync(file, { force: true }));

  it('starts Chinese when nothing was saved, or something else was', () => {
    expect(readUiLanguage(file)).toBe('zh');
    writeFileSync(file, 'fr');
    expect(readUiLanguage(file)).toBe('zh');
    expect(chromiumLocale(readUiLanguage(file))).toBe('zh-CN');
  });

  it('gives Chromium the locale of the language last chosen', () => {
    writeUiLanguage(file, 'en');
    expect(readUiLanguage(file)).toBe('en');
    expect(chromiumLocale(readUiLanguage(file))).toBe('en-US');
    writeUiLanguage(file, 'zh');
    expect(chromiumLocale(readUiLanguage(file))).toBe('zh-CN');
  });
});
