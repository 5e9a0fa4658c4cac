// The shred ledger service: paper custody, batches, destruction, sign-off,
// corrections and the outstanding report, every entry on the 'shred' chain.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../shared/actor';
import { loadSigningKey } from '../../main/chain/signing-key';
import { verifyChain } from '../../main/chain/verify';
import { importManifest } from '../../main/inbound/import-manifest';
import { assertNoPersonalData as assertNoPhone } from '../../main/audit/personal-text';
import { markPaperDetached, SHRED_LOG, ShredLedger } from '../../main/ledger/shred-ledger';
import { Settings } from '../../main/settings/settings';
import { withEmbeddedDb, type Station } from '../../main/store/station';
import { AppError } from '../../shared/errors';
import { clerk, countIn, inTx, testClock, transacted, type Transacted } from '../helpers/counter';
import { ENGINE_CASES, newStationOn } from '../helpers/engines';
import { fixtureRows, readFixture, tempDir } from '../helpers/fixtures';

const supervisor = (userId: number, username = `boss${userId}`): Actor => ({ ...clerk(userId, username), role: 'supervisor', displayName: `站长${userId}` });
const auditor: Actor = { ...clerk(9, 'audit9'), role: 'auditor' };

let cleanup: () => void;
let station: Station;
let dispose: () => Promise<void>;
let ledger: Transacted<ShredLedger>;
const detach = (...args: Parameters<typeof markPaperDetached> extends [unknown, ...infer A] ? A : never) => inTx(station, (tx) => markPaperDetached(tx, ...args));
let clock: ReturnType<typeof testClock>;
const rows = fixtureRows('manifest-small.csv');
const parcelId = async (i: number) => Number(await station.store.value('SELECT id FROM parcels WHERE waybill_no = ?', rows[i].waybill_no));

async function code(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  return 'ok';
}

// On a server store the chain is verified on a local copy, as `verify` does.
const verify = () => withEmbeddedDb(station, (db) => verifyChain(db, SHRED_LOG, loadSigningKey(station).publicKey));

describe.each(ENGINE_CASES)('shred ledger (%s)', (_engine, engine) => {
  beforeEach(async () => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    ({ station, dispose } = await newStationOn(engine, dir));
    await importManifest(station, 'manifest-small.csv', readFixture('manifest-small.csv'));
    clock = testClock();
    ledger = transacted(station, new ShredLedger(station, new Settings(), clock.now));
  });

  afterEach(async () => {
    await dispose();
    cleanup();
  });

  describe('paper custody', () => {
    it('marks a paper detached once, on the chain, and follows it into a batch and destruction', async () => {
      const id = await parcelId(0);
      expect(await detach(station, id, 'label_applied', clerk(1), clock.now())).toBe('detached');
      expect(await detach(station, id, 'left_at_pickup', clerk(1), clock.now())).toBe('detached');
      expect(await countIn(station, "SELECT count(*) FROM chain_entries WHERE log = 'shred'")).toBe(1);
      expect(await code(() => detach(station, 999_999, 'label_applied', clerk(1)))).toBe('PARCEL_NOT_FOUND');

      const batch = await ledger.openBatch(clerk(1));
      expect((await ledger.scan(clerk(1), batch.id, rows[0].waybill_no)).custody).toBe('detached');
      expect(await countIn(station, 'SELECT count(*) FROM shred_papers WHERE state = ?', 'batched')).toBe(1);
      await ledger.destroy(clerk(1), clerk(2), { batchId: batch.id, method: 'shredder', deviceId: 'CC-01' });
      expect(await countIn(station, 'SELECT count(*) FROM shred_papers WHERE state = ?', 'destroyed')).toBe(1);
    });

    it('runs inside the caller’s transaction: a failed scan-in leaves no custody record and no chain entry', async () => {
      const id = await parcelId(1);
      await expect(
        inTx(station, async (tx) => {
          await markPaperDetached(tx, station, id, 'label_applied', clerk(1), clock.now());
          throw new Error('printer jammed');
        }),
      ).rejects.toThrow('printer jammed');
      expect(await countIn(station, 'SELECT count(*) FROM shred_papers')).toBe(0);
      expect(await countIn(station, "SELECT count(*) FROM chain_entries WHERE log = 'shred'")).toBe(0);
    });

    it('a paper scanned into a batch before the counter said it came off keeps its batch state', async () => {
      const batch = await ledger.openBatch(clerk(1));
      expect((await ledger.scan(clerk(1), batch.id, rows[2].waybill_no)).custody).toBe('on_parcel');
      expect(await detach(station, (await parcelId(2)), 'left_at_pickup', clerk(1), clock.now())).toBe('batched');
    });
  });

  describe('destruction batches', () => {
    it('flags unknown waybills, refuses a second scan anywhere, takes counts with a note', async () => {
      const a = await ledger.openBatch(clerk(1));
      const b = await ledger.openBatch(clerk(1));
      expect(await ledger.scan(clerk(1), a.id, rows[3].waybill_no)).toMatchObject({ custody: 'on_parcel', waybill: rows[3].waybill_no });
      const unknown = await ledger.scan(clerk(1), a.id, ' sf9999999999999 ');
      expect(unknown).toMatchObject({ custody: 'unknown', waybill: 'SF9999999999999' });
      expect(unknown.batch.unknownWaybills).toEqual(['SF9999999999999']);
      expect(await code(() => ledger.scan(clerk(1), a.id, rows[3].waybill_no))).toBe('DUPLICATE_SCAN');
      expect(await code(() => ledger.scan(clerk(2), b.id, 'SF9999999999999'))).toBe('DUPLICATE_SCAN');
      expect(await code(() => ledger.scan(clerk(1), a.id, '12'))).toBe('INVALID_INPUT');
      const counted = await ledger.addCount(clerk(1), a.id, 12, '雨淋，条码无法识别');
      expect(counted).toMatchObject({ sheets: 14, counts: [{ sheets: 12, note: '雨淋，条码无法识别' }] });
      expect(await code(() => ledger.addCount(clerk(1), a.id, 1, '客户电话 138 0013 8000'))).toBe('PERSONAL_DATA_IN_NOTE');
      expect((await ledger.remove(a.id, rows[3].waybill_no)).waybills).toEqual([]);
      expect(await code(() => ledger.remove(a.id, rows[3].waybill_no))).toBe('NOT_IN_BATCH');
      expect((await ledger.openBatches()).map((x) => x.id)).toEqual([a.id, b.id]);
    });

    it('destroys a batch with an operator and a distinct witness who is not an auditor', async () => {
      const batch = await ledger.openBatch(clerk(1));
      expect(await code(() => ledger.destroy(clerk(1), clerk(2), { batchId: batch.id, method: 'burn' }))).toBe('BATCH_EMPTY');
      await ledger.scan(clerk(1), batch.id, rows[4].waybill_no);
      expect(await code(() => ledger.destroy(clerk(1), clerk(1), { batchId: batch.id, method: 'burn' }))).toBe('WITNESS_IS_OPERATOR');
      expect(await code(() => ledger.destroy(clerk(1), auditor, { batchId: batch.id, method: 'burn' }))).toBe('WITNESS_NOT_ALLOWED');
      expect(await code(() => ledger.destroy(auditor, clerk(1), { batchId: batch.id, method: 'burn' }))).toBe('FORBIDDEN');
      const d = await ledger.destroy(clerk(1), supervisor(3), { batchId: batch.id, method: 'outsourced', certificate: 'XH-2026-118', notes: '整箱交销毁公司' });
      expect(d).toMatchObject({
        kind: 'destroyed',
        batchId: batch.id,
        method: 'outsourced',
        certificate: 'XH-2026-118',
        deviceId: null,
        operator: { username: 'clerk1' },
        witness: { username: 'boss3', displayName: '站长3' },
        waybills: [rows[4].waybill_no],
        sheets: 1,
        signoff: null,
        corrected: null,
      });
      expect(await code(() => ledger.scan(clerk(1), batch.id, rows[5].waybill_no))).toBe('BATCH_CLOSED');
      expect(await code(() => ledger.destroy(clerk(1), clerk(2), { batchId: batch.id, method: 'burn' }))).toBe('BATCH_CLOSED');
    });
  });

  describe('ledger entries on the chain', () => {
    async function destroyed(waybills: string[], operator = clerk(1)) {
      const batch = await ledger.openBatch(operator);
      for (const w of waybills) await ledger.scan(operator, batch.id, w);
      return await ledger.destroy(operator, clerk(2), { batchId: batch.id, method: 'shredder', deviceId: 'CC-01' });
    }

    it('appends each record to the shred chain with only waybills and staff names, and verifies', async () => {
      await detach(station, (await parcelId(6)), 'label_applied', clerk(1), clock.now());
      const d = await destroyed([rows[6].waybill_no, rows[7].waybill_no]);
      await ledger.signoff(supervisor(3), d.id);
      const payloads = (await station.store.all<{ payload: string }>("SELECT payload FROM chain_entries WHERE log = 'shred' ORDER BY seq")).map((r) => r.payload);
      expect(payloads.map((p) => JSON.parse(p).type)).toEqual(['detached', 'destroyed', 'signoff']);
      const text = payloads.join('\n');
      for (const r of rows.slice(6, 8)) {
        expect(text).toContain(r.waybill_no);
        expect(text).not.toContain(r.recipient_name);
        expect(text).not.toContain(r.recipient_phone);
        expect(text).not.toContain(r.recipient_address.slice(0, 6));
      }
      expect(await verify()).toMatchObject({ ok: true, entries: 3 });
      // The projection is append-only too.
      await expect(station.store.run('DELETE FROM shred_ledger')).rejects.toThrow(/append-only/);
    });

    it('sign-off: a supervisor, once, never the operator', async () => {
      const d = await destroyed([rows[8].waybill_no], supervisor(3));
      expect(await code(() => ledger.signoff(clerk(1), d.id))).toBe('FORBIDDEN');
      expect(await code(() => ledger.signoff(supervisor(3), d.id))).toBe('SIGNOFF_OWN_ENTRY');
      clock.advance({ days: 1 });
      const signed = await ledger.signoff(supervisor(4), d.id);
      expect(signed.signoff).toMatchObject({ by: { username: 'boss4' }, at: clock.now().toISOString() });
      expect(await code(() => ledger.signoff(supervisor(5), d.id))).toBe('ALREADY_SIGNED_OFF');
      expect(await code(() => ledger.signoff(supervisor(4), 12345))).toBe('LEDGER_ENTRY_NOT_FOUND');
    });

    it('a correction is a new entry naming the one it corrects; the original stays as it was', async () => {
      await detach(station, (await parcelId(9)), 'label_applied', clerk(1), clock.now());
      const d = await destroyed([rows[9].waybill_no, rows[10].waybill_no]);
      const before = await station.store.get("SELECT payload, hash FROM chain_entries WHERE log = 'shred' AND seq = ?", d.id);
      clock.advance({ days: 8 });
      const c = await ledger.correct(supervisor(3), {
        entryId: d.id,
        reason: '设备号记错',
        method: 'shredder',
        deviceId: 'CC-02',
        withdraw: [rows[9].waybill_no],
      });
      expect(c).toMatchObject({ kind: 'correction', corrects: d.id, deviceId: 'CC-02', withdraw: [rows[9].waybill_no], by: { username: 'boss3' } });
      expect(await station.store.get("SELECT payload, hash FROM chain_entries WHERE log = 'shred' AND seq = ?", d.id)).toEqual(before);
      const now = await ledger.destruction(d.id);
      expect(now).toMatchObject({ deviceId: 'CC-01', correctedBy: [c.id], corrected: { deviceId: 'CC-02', withdrawn: [rows[9].waybill_no], sheets: 1 } });
      // The withdrawn paper was not destroyed after all: outstanding again, and scannable into a new batch.
      expect((await ledger.outstanding()).papers.map((p) => p.waybill)).toEqual([rows[9].waybill_no]);
      expect(await code(() => ledger.correct(supervisor(3), { entryId: d.id, reason: '再次撤回', withdraw: [rows[9].waybill_no] }))).toBe('WAYBILL_NOT_IN_ENTRY');
      expect(await code(() => ledger.correct(clerk(1), { entryId: d.id, reason: 'x y', notes: 'z z' }))).toBe('FORBIDDEN');
      const again = await ledger.openBatch(clerk(1));
      expect((await ledger.scan(clerk(1), again.id, rows[9].waybill_no)).custody).toBe('detached');
      const day = 86_400_000;
      const [from, to] = [new Date(clock.now().getTime() - 30 * day).toISOString(), new Date(clock.now().getTime() + day).toISOString()];
      expect((await ledger.entries(from, to)).map((e) => [e.kind, e.id])).toEqual([
        ['destroyed', d.id],
        ['correction', c.id],
      ]);
      expect((await verify()).ok).toBe(true);
    });
  });

  describe('outstanding papers', () => {
    it('lists every detached paper not destroyed, oldest first, with its age; the alarm at the configured days, as the clock moves', async () => {
      await detach(station, (await parcelId(11)), 'label_applied', clerk(1), clock.now());
      clock.advance({ days: 2 });
      await detach(station, (await parcelId(12)), 'left_at_pickup', clerk(1), clock.now());
      await detach(station, (await parcelId(13)), 'left_at_pickup', clerk(1), clock.now());
      // Papers removed today are listed at once (0 days), none overdue yet.
      const fresh = await ledger.outstanding();
      expect(fresh).toMatchObject({ days: 7, count: 0, total: 3 });
      expect(fresh.papers.map((p) => [p.waybill, p.days, p.overdue])).toEqual([
        [rows[11].waybill_no, 2, false],
        [rows[12].waybill_no, 0, false],
        [rows[13].waybill_no, 0, false],
      ]);

      clock.advance({ days: 5 });
      expect(await ledger.outstanding()).toMatchObject({
        count: 1,
        total: 3,
        papers: [{ waybill: rows[11].waybill_no, reason: 'label_applied', days: 7, batchId: null, overdue: true }, { overdue: false }, { overdue: false }],
      });

      // In a batch but not destroyed yet: still outstanding, with its batch.
      clock.advance({ days: 3 });
      const batch = await ledger.openBatch(clerk(1));
      await ledger.scan(clerk(1), batch.id, rows[12].waybill_no);
      const report = await ledger.outstanding();
      expect(report.count).toBe(3);
      expect(report.papers.map((p) => [p.waybill, p.days, p.batchId])).toEqual([
        [rows[11].waybill_no, 10, null],
        [rows[12].waybill_no, 8, batch.id],
        [rows[13].waybill_no, 8, null],
      ]);
      await ledger.destroy(clerk(1), clerk(2), { batchId: batch.id, method: 'burn' });
      expect(await ledger.outstanding()).toMatchObject({ count: 2, total: 2 });

      await ledger.setOutstandingDays(9);
      expect(await ledger.outstanding()).toMatchObject({ days: 9, count: 1, total: 2, papers: [{ overdue: true }, { overdue: false }] });
      expect(await code(() => ledger.setOutstandingDays(91))).toBe('INVALID_INPUT');
      expect(await code(() => ledger.setOutstandingDays(0))).toBe('INVALID_INPUT');
      expect(await ledger.setOutstandingDays(90)).toBe(90);
    });
  });

  describe('notes', () => {
    it('refuses phone numbers in any written form, but not waybill or device numbers', async () => {
      for (const bad of ['13800138000', '客户 138-0013-8000', '+86 138 0013 8000', '０１０－１２３４５６７８', '电话13800138000已通知']) {
        expect(await code(() => assertNoPhone(bad, 'note')), bad).toBe('PERSONAL_DATA_IN_NOTE');
      }
      for (const ok of ['SF1234567890123 条码破损', '12 张，雨淋', 'CC-01 碎纸机', 'YT13800138000123', '2026-11-25']) {
        expect(await code(() => assertNoPhone(ok, 'note')), ok).toBe('ok');
      }
    });
  });
});
