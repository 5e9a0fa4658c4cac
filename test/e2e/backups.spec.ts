// Backups from the supervisor's screens: the prompt to set a folder from the
// first shift, the folder typed where no folder dialog exists (this harness
// has no Electron), the no-backup-for-a-day warning, a backup, and a restore
// into a new file: a wrong passphrase refused in both languages' words, then
// the restore that succeeds.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { artifact, PASSPHRASE, seedStation } from './flows';
import { expect, test, type Counter } from './harness';

async function code({ page, totp }: Counter, key: string) {
  await expect(page.locator('#stepup-code')).toBeFocused();
  await page.locator('#stepup-code').fill(totp(key));
  await page.keyboard.press('Enter');
}

test('backup folder prompt, typed folder, stale-backup warning, backup and restore into a new file', async ({ counter }) => {
  const { page } = counter;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'privacy-counter-backups-'));
  try {
    const keys = await seedStation(counter);
    const banner = page.getByTestId('lc-backup');
    await expect(banner).toContainText('尚未设置备份文件夹');
    await banner.getByRole('button', { name: '去设置' }).click();
    await page.getByRole('button', { name: '保存期限与备份', exact: true }).click();

    await page.getByRole('button', { name: '选择文件夹…' }).click();
    await expect(page.getByText('此处没有文件夹对话框')).toBeVisible();
    await expect(page.locator('#lc-backupFolder')).toBeFocused();
    await page.locator('#lc-backupFolder').fill(dir);
    await page.getByRole('button', { name: '保存设置' }).click();
    await code(counter, keys.boss);
    await expect(banner).toContainText('已超过一天没有备份');

    await page.getByRole('button', { name: '立即备份' }).click();
    await code(counter, keys.boss);
    await expect(banner).toHaveCount(0);
    const listed = await counter.call('lifecycle.backup.list', { totp: counter.totp(keys.boss) });
    if (!listed.ok) throw new Error(listed.error.code);
    const file = path.join(dir, listed.value[0].fileName);
    const target = path.join(dir, 'restored.db');

    await page.locator('#restore-file').fill(file);
    await page.locator('#restore-target').fill('restored.db');
    await page.locator('#restore-passphrase').fill('wrong passphrase');
    await page.getByRole('button', { name: '恢复到新文件' }).click();
    await expect(page.locator('#restore-problem')).toContainText('完整路径');
    await page.locator('#restore-target').fill(target);
    await page.getByRole('button', { name: '恢复到新文件' }).click();
    await code(counter, keys.boss);
    await expect(page.getByRole('dialog')).toContainText('该口令打不开此备份');
    await page.keyboard.press('Escape');
    expect(existsSync(target)).toBe(false);

    await page.locator('#restore-passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: '恢复到新文件' }).click();
    await code(counter, keys.boss);
    await expect(page.getByTestId('restore-result')).toContainText(target);
    expect(existsSync(target)).toBe(true);
    await page.screenshot({ path: await artifact('backup-restore.png'), fullPage: true });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
