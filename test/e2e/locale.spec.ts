// Date and time inputs take their field order and clock from Chromium's
// locale, not from the page: the app starts Electron with `--lang` from the
// language last chosen (main/shell/ui-language.ts). Here Chromium starts the
// same way, in Chinese; Debian's build reads the locale from the environment
// as well, and needs its chromium-l10n package for any locale but en-US.
import type { Page } from '@playwright/test';
import { seedStation } from './flows';
import { expect, test } from './harness';

test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--lang=zh-CN'],
    env: { ...process.env, LANGUAGE: 'zh_CN' },
  },
});

/** The date field's parts in the order shown, as the accessibility tree reads them. */
async function dateParts(page: Page, selector: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { node } = await cdp.send('DOM.describeNode', { nodeId });
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  const parts: string[] = [];
  const walk = (id: string) => {
    const n = byId.get(id);
    if (!n) return;
    // An empty part is named twice (its label and its placeholder): the first word is the part.
    if (n.role?.value === 'spinbutton') parts.push(String(n.name?.value).split(' ')[0]);
    for (const c of n.childIds ?? []) walk(c);
  };
  const input = nodes.find((n) => n.backendDOMNodeId === node.backendNodeId);
  if (input) walk(input.nodeId);
  return parts;
}

test('the Chinese UI shows date fields year first, and main keeps the language for the next start', async ({ counter }) => {
  const { page } = counter;
  await seedStation(counter);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  expect(counter.languages.at(-1)).toBe('zh');

  await page.getByRole('button', { name: /审计/ }).click();
  await expect(page.locator('#audit-from')).toBeVisible();
  expect(await dateParts(page, '#audit-from')).toEqual(['年', '月', '日']);
  expect(await page.evaluate(() => navigator.language)).toBe('zh-CN');

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  expect(counter.languages.at(-1)).toBe('en');
});
