// The station reports' words come from the locale files: the daily close,
// settlement and stocktake PDFs, read back with pdftotext, carry every label
// of their locale groups in Chinese and in English, figures filled in.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type AppServices } from '../../main/app/services';
import { ScanIn } from '../../main/inbound/scan-in';
import { Settings } from '../../main/settings/settings';
import type { Station } from '../../main/store/station';
import { enReports } from '../../shared/i18n/en-reports';
import { zhReports, type ReportMessages } from '../../shared/i18n/zh-reports';
import type { Actor } from '../../shared/actor';
import { clerk, inTx, scanNew, testClock } from '../helpers/counter';
import { ENGINE_CASES, newStationOn } from '../helpers/engines';
import { tempDir } from '../helpers/fixtures';

const boss: Actor = { userId: 1, username: 'boss', displayName: '王站长', role: 'supervisor', workstation: 'counter-1' };
type Group = keyof ReportMessages['report'];

describe.each(ENGINE_CASES)('report PDFs in both languages (%s)', (_engine, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  let dispose: () => Promise<void>;
  let services: AppServices;
  const clock = testClock('2025-06-02T02:00:00Z');

  beforeEach(async () => {
    tmp = tempDir();
    ({ station, dispose } = await newStationOn(engine, tmp.dir));
    services = createServices(station, { now: clock.now, workstation: 'counter-1' });
  });
  afterEach(async () => {
    await services.close();
    await dispose();
    tmp.cleanup();
  });

  /** The PDF's text without white space: pdftotext wraps cells and drops narrow spaces. */
  const pdfText = (bytes: Uint8Array, name: string): string => {
    const file = join(tmp.dir, name);
    writeFileSync(file, bytes);
    return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  };
  const fill = (s: string, vars: Record<string, number>) => s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars[k]));
  /** Every string of these groups, in both locales, figures filled in from `vars`. */
  const wordsOf = (groups: Group[], vars: Record<string, number> = {}) =>
    [zhReports, enReports].flatMap((m) => groups.flatMap((g) => Object.values(m.report[g] as Record<string, string>).map((s) => fill(s, vars).replace(/\s+/g, ''))));

  it('daily close, settlement and stocktake carry their locale words, Chinese and English', async () => {
    await inTx(station, (tx) => new Settings().updateCounter(tx, boss, { shelves: 2, layers: 2 }, clock.now));
    const scan = new ScanIn(station, { now: clock.now });
    const parcels = [await scanNew(station, scan, '13800001111'), await scanNew(station, scan, '13800002222')];
    await services.closing.setFees(boss, { SF: '0.45' });

    await services.stocktake.start(clerk(2));
    await services.stocktake.scan(clerk(2), '1-1');
    await services.stocktake.scan(clerk(2), parcels[0].parcel.waybillNo);
    await services.stocktake.scan(clerk(2), 'SF0000000000001');
    const { summary } = await services.stocktake.close(boss);
    const stocktake = pdfText((await services.stocktake.exportReport(boss, summary.id, 'pdf')).bytes, 'stocktake.pdf');
    for (const w of wordsOf(['stocktake'])) expect(stocktake).toContain(w);
    expect(stocktake).toContain(parcels[1].parcel.waybillNo);

    clock.advance({ days: 1 });
    const close = await services.closing.closeDay(boss, '2025-06-02');
    const st = close.stocktakes[0];
    const day = pdfText((await services.closing.exportDay(boss, '2025-06-02', 'pdf')).bytes, 'day.pdf');
    for (const w of wordsOf(['facts', 'flow', 'dailyClose'], { ...close.papers, ...st, id: st.stocktakeId })) expect(day).toContain(w);

    const { file } = await services.closing.settlement(boss, '2025-06-01', '2025-06-02', 'pdf');
    const settlement = pdfText(file.bytes, 'settlement.pdf');
    for (const w of wordsOf(['facts', 'settlement'])) expect(settlement).toContain(w);
    for (const k of ['carrier', 'received', 'handedOver'] as const) expect(settlement).toContain(enReports.report.flow[k].replace(/\s+/g, ''));
  });
});
