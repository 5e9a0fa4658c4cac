// The counter CLI contract: scan-in, pickup (refusing a parcel of another
// customer, changing nothing) and overdue, with exact keys, masked output.
// The store is made in-process with the cheap test KDF, so each CLI call costs
// process start-up, not scrypt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanIn } from '../../main/inbound/scan-in';
import { importManifest } from '../../main/inbound/import-manifest';
import { Settings } from '../../main/settings/settings';
import { openStation } from '../../main/store/station';
import { parsePhone } from '../../shared/phone';
import { cliAuditTrail, runCli } from '../helpers/cli';
import { clerk } from '../helpers/counter';
import { ENGINE_CASES, newStationOn } from '../helpers/engines';
import { fixtureRows, readFixture, tempDir, TEST_PASSPHRASE } from '../helpers/fixtures';

const PASS = { STATION_PASSPHRASE: TEST_PASSPHRASE };
const rows = fixtureRows('manifest-small.csv');
const MASKED_KEYS = ['waybillNo', 'carrier', 'pickupCode', 'status', 'name', 'phone', 'address', 'item'];

describe.each(ENGINE_CASES)('counter CLI (%s)', (_name, engine) => {
  const tmp = tempDir();
  let db: string;
  const old = rows.slice(10, 13);
  let oldCodes: string[];
  let dispose: () => Promise<void>;
  afterAll(async () => {
    await dispose();
    tmp.cleanup();
  });

  beforeAll(async () => {
    const made = await newStationOn(engine, tmp.dir);
    ({ target: db, dispose } = made);
    await importManifest(made.station, 'small.csv', readFixture('manifest-small.csv'));
    // Three parcels scanned in ten days ago are overdue now.
    const scan = new ScanIn(made.station, { now: () => new Date(Date.now() - 10 * 86_400_000) });
    oldCodes = [];
    for (const r of old) oldCodes.push((await made.station.store.transaction((tx) => scan.scan(tx, clerk(1), { waybill: r.waybill_no }))).parcel.pickupCode!);
  });

  const state = async () => {
    const s = await openStation(db, TEST_PASSPHRASE);
    try {
      return {
        parcels: await s.store.all('SELECT id, status, pickup_code, picked_up_at FROM parcels ORDER BY id'),
        handovers: await s.store.all('SELECT * FROM handovers ORDER BY id'),
      };
    } finally {
      await s.close();
    }
  };

  it('scan-in issues a pickup code, and a second scan is flagged as a duplicate', async () => {
    const row = rows[0];
    const first = runCli(['scan-in', '--db', db, '--waybill', row.waybill_no], PASS);
    expect(first.code, first.stderr).toBe(0);
    expect(first.lines).toHaveLength(1);
    const out = first.lines[0] as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['waybillNo', 'carrier', 'pickupCode', 'duplicate', 'created']);
    expect(out).toMatchObject({ waybillNo: row.waybill_no, carrier: row.carrier, duplicate: false, created: false });
    expect(out.pickupCode).toMatch(/^\d+-\d+-\d+$/);
    const again = runCli(['scan-in', '--db', db, '--waybill', row.waybill_no, '--carrier', row.carrier], PASS);
    expect(again.lines[0]).toEqual({ ...out, duplicate: true });
    const trail = (await cliAuditTrail(db, TEST_PASSPHRASE));
    expect(trail).toEqual(
      [false, true].map((duplicate) => ({ action: 'counter.scan_in', parcelIds: [expect.any(Number)], detail: { waybillNo: row.waybill_no, duplicate, created: false } })),
    );
    expect(trail[1].parcelIds).toEqual(trail[0].parcelIds);
  });

  it("pickup refuses a waybill of another customer, exits non-zero and changes nothing; the customer's own is handed over", async () => {
    const [a, b] = old;
    expect(parsePhone(a.recipient_phone)!.digits).not.toBe(parsePhone(b.recipient_phone)!.digits);
    const before = await state();
    const wrong = runCli(['pickup', '--db', db, '--code', oldCodes[0], '--confirm-waybill', b.waybill_no], PASS);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toBe('');
    expect(JSON.parse(wrong.stderr).error).toMatchObject({ code: 'HANDOVER_WRONG_PARCEL' });
    expect(await state()).toEqual(before);
    // The parcels the lookup showed are audited; no handover is.
    const [aId] = (await state()).parcels.filter((p) => (p as { pickup_code: string | null }).pickup_code === oldCodes[0]).map((p) => (p as { id: number }).id);
    expect((await cliAuditTrail(db, TEST_PASSPHRASE)).slice(2)).toEqual([{ action: 'parcels.view', parcelIds: [aId], detail: { by: 'code', second: null } }]);

    const right = runCli(['pickup', '--db', db, '--code', oldCodes[0], '--confirm-waybill', a.waybill_no, '--proxy'], PASS);
    expect(right.code, right.stderr).toBe(0);
    expect(right.lines[0]).toMatchObject({ waybillNo: a.waybill_no, pickupCode: oldCodes[0], status: 'picked_up', proxy: true, remaining: 0 });
    expect(right.stdout).not.toContain(a.recipient_name);
    expect((await cliAuditTrail(db, TEST_PASSPHRASE)).slice(3)).toEqual([
      { action: 'parcels.view', parcelIds: [aId], detail: { by: 'code', second: null } },
      { action: 'counter.handover', parcelIds: [aId], detail: { handoverId: (right.lines[0] as { handoverId: number }).handoverId, proxy: true } },
    ]);
  });

  it('overdue lists the masked cards with days waiting', async () => {
    const r = runCli(['overdue', '--db', db], PASS);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines.map((l) => (l as { waybillNo: string }).waybillNo)).toEqual(old.slice(1).map((x) => x.waybill_no));
    for (const line of r.lines as Record<string, unknown>[]) {
      expect(Object.keys(line)).toEqual([...MASKED_KEYS, 'daysOnShelf']);
      expect(line.daysOnShelf).toBeGreaterThanOrEqual(9);
    }
    for (const x of old) {
      expect(r.stdout).not.toContain(x.recipient_name);
      expect(r.stdout).not.toContain(parsePhone(x.recipient_phone)!.digits);
    }
    expect((await cliAuditTrail(db, TEST_PASSPHRASE)).at(-1)).toMatchObject({ action: 'parcels.view', detail: { by: 'overdue' } });
    expect((await cliAuditTrail(db, TEST_PASSPHRASE)).at(-1)!.parcelIds).toHaveLength(r.lines.length);
  });

  it('scan-in takes --shelf where the clerk picks the shelf, and is refused without it', async () => {
    const slotMode = async (mode: 'app' | 'clerk') => {
      const s = await openStation(db, TEST_PASSPHRASE);
      try {
        await s.store.transaction((tx) => new Settings().updatePlan(tx, { slotMode: mode }));
      } finally {
        await s.close();
      }
    };
    await slotMode('clerk');
    try {
      const row = rows[5];
      const refused = runCli(['scan-in', '--db', db, '--waybill', row.waybill_no], PASS);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('SHELF_REQUIRED');
      const shelved = runCli(['scan-in', '--db', db, '--waybill', row.waybill_no, '--shelf', '4'], PASS);
      expect(shelved.code, shelved.stderr).toBe(0);
      expect((shelved.lines[0] as { pickupCode: string }).pickupCode).toMatch(/^4-\d+-\d+$/);
    } finally {
      await slotMode('app');
    }
  });
});
