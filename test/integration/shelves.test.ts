// Moving parcels between shelf-layers (one, or a whole layer): a new pickup
// code on the new layer, slot counts kept, audited, a stocktake's missing
// parcel found; and the shelf-layers' own labels, read back off the printer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type AppServices } from '../../main/app/services';
import { PickupDesk } from '../../main/counter/pickup';
import { ScanIn } from '../../main/inbound/scan-in';
import { layoutShelfLabel, SHELF_LABEL_SIZES, SHELF_SYMBOLS } from '../../main/labels/shelf-label';
import { Settings } from '../../main/settings/settings';
import { missingParcels } from '../../main/stocktake/missing';
import type { Station } from '../../main/store/station';
import type { Actor } from '../../shared/actor';
import { clerk, inTx, scanNew, testClock } from '../helpers/counter';
import { ENGINE_CASES, newStationOn } from '../helpers/engines';
import { tempDir } from '../helpers/fixtures';
import { decodeTspl, layoutProblems, readSymbols } from '../helpers/label-decoder';

const boss: Actor = { userId: 1, username: 'boss', displayName: '王站长', role: 'supervisor', workstation: 'counter-1' };
const rejected = (p: Promise<unknown>): Promise<string | undefined> => p.then(() => undefined, (e: { code?: string }) => e.code ?? String(e));

describe.each(ENGINE_CASES)('shelves (%s)', (_engine, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  let dispose: () => Promise<void>;
  let services: AppServices;
  const clock = testClock();
  const shelved = () =>
    station.store.all<{ id: number; waybill: string; slot: string; code: string }>(
      "SELECT id, waybill_no AS waybill, shelf || '-' || layer AS slot, pickup_code AS code FROM parcels WHERE status = 'on_shelf' ORDER BY id",
    );
  const occupied = async () =>
    Object.fromEntries(
      (await station.store.all<{ shelf: number; layer: number; occupied: number }>('SELECT shelf, layer, occupied FROM shelf_slots WHERE occupied > 0')).map((r) => [`${r.shelf}-${r.layer}`, r.occupied]),
    );

  beforeEach(async () => {
    tmp = tempDir();
    ({ station, dispose } = await newStationOn(engine, tmp.dir));
    await inTx(station, (tx) => new Settings().updateCounter(tx, boss, { shelves: 2, layers: 2 }, clock.now));
    const scan = new ScanIn(station, { now: clock.now });
    for (let i = 0; i < 8; i++) await scanNew(station, scan, `1390000${String(2000 + i)}`);
    services = createServices(station, { now: clock.now, workstation: 'counter-1' });
  });
  afterEach(async () => {
    await services.close();
    await dispose();
    tmp.cleanup();
  });

  it('moves one parcel: a new code on its new layer, slot counts follow, audited, and the customer still finds it', async () => {
    const [p] = await shelved();
    const to = p.slot === '2-2' ? '1-1' : '2-2';
    const before = await occupied();
    const moved = await services.shelves.move(clerk(2), { waybill: p.waybill.toLowerCase(), to });
    expect(moved).toMatchObject({ parcelId: p.id, waybillNo: p.waybill, from: p.slot, to, relabel: true });
    expect(moved.pickupCode.startsWith(`${to}-`)).toBe(true);
    expect((await shelved()).find((r) => r.id === p.id)).toMatchObject({ slot: to, code: moved.pickupCode });
    expect(await occupied()).toEqual({ ...before, [p.slot]: before[p.slot] - 1, [to]: (before[to] ?? 0) + 1 });
    const found = await new PickupDesk(station, { now: clock.now }).find(station.store, { by: 'code', value: moved.pickupCode });
    expect(found.kind === 'customer' && found.parcels.map((x) => x.id)).toEqual([p.id]);
    expect((await services.audit.auditEntries({ action: 'parcels.move', limit: 5 }))[0]).toMatchObject({ username: 'clerk2', parcelIds: [p.id], detail: { to, moved: 1 } });

    // Scanned onto the layer it is on: nothing changes, the label stays.
    const again = await services.shelves.move(clerk(2), { waybill: p.waybill, to });
    expect(again).toMatchObject({ from: to, to, pickupCode: moved.pickupCode, relabel: false });
    expect((await shelved()).find((r) => r.id === p.id)!.code).toBe(moved.pickupCode);
    expect(await rejected(services.shelves.move(clerk(2), { waybill: p.waybill, to: '7-7' }))).toBe('SHELF_LAYER_UNKNOWN');
    expect(await rejected(services.shelves.move(clerk(2), { waybill: 'SF0000000000009', to }))).toBe('PARCEL_NOT_ON_SHELF');
  });

  it('moves a whole layer, and a parcel a stocktake missed is found by its move', async () => {
    const from = (await shelved())[0].slot;
    const to = from === '2-2' ? '1-1' : '2-2';
    const onFrom = (await shelved()).filter((r) => r.slot === from);
    expect(onFrom.length).toBeGreaterThan(1);
    // A stocktake that counts nothing: every parcel goes missing.
    await services.stocktake.start(boss);
    await services.stocktake.close(boss);
    expect((await missingParcels.open(station.store)).length).toBe(8);
    const moved = await services.shelves.moveLayer(boss, { from, to });
    expect(moved.map((m) => m.parcelId).sort()).toEqual(onFrom.map((r) => r.id).sort());
    expect((await shelved()).filter((r) => r.slot === from)).toEqual([]);
    expect(new Set((await shelved()).filter((r) => r.slot === to).map((r) => r.code)).size).toBe((await shelved()).filter((r) => r.slot === to).length);
    const stillMissing = (await missingParcels.open(station.store)).map((m) => m.parcelId);
    expect(stillMissing.some((id) => onFrom.some((r) => r.id === id))).toBe(false);
    expect(stillMissing).toHaveLength(8 - onFrom.length);
  });

  it('prints a label per shelf-layer whose symbol reads back as the shelf-layer', async () => {
    const labels = await services.shelves.shelfLabels({ symbol: 'code128', size: '60x40', format: 'tspl' });
    expect(labels.map((l) => l.slot)).toEqual(['1-1', '1-2', '2-1', '2-2']);
    const printed = decodeTspl(labels[2].bytes, 203);
    expect(await readSymbols(printed.canvas)).toEqual([{ format: 'Code128', text: '2-1' }]);
    expect(printed.texts).toContain('2 号架 1 层');
    const [qr] = await services.shelves.shelfLabels({ layers: ['12-3'], symbol: 'qr', size: '40x30', format: 'tspl' });
    expect(await readSymbols(decodeTspl(qr.bytes, 203).canvas)).toEqual([{ format: 'QRCode', text: '12-3' }]);
    for (const size of SHELF_LABEL_SIZES) for (const symbol of SHELF_SYMBOLS) for (const dpi of [203, 300] as const) {
      expect(layoutProblems(layoutShelfLabel('123-45', { size, symbol, dpi })), `${size} ${symbol} ${dpi}`).toEqual([]);
    }
  });
});
