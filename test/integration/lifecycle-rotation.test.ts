// Key rotation: every sealed value moves to the new generation and the blind
// indexes are rebuilt, the counter keeps finding and opening everything
// throughout, an interrupted rotation resumes after a restart (both keys
// unlock meanwhile, by passphrase or keystore), an import racing the swap is
// brought onto the new key, and the old root key leaves the store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/audit/audit-log';
import { Accounts } from '../../main/auth/accounts';
import { totp, base32Decode } from '../../main/auth/totp';
import { loadSigningKey, stationPublicKey } from '../../main/chain/signing-key';
import { verifyAllChains } from '../../main/chain/verify';
import { ParcelLookup } from '../../main/counter/lookup';
import { envelopeGeneration } from '../../main/crypto/envelope';
import type { KeyProtector } from '../../main/crypto/key-protector';
import { PrintJobs } from '../../main/devices/print-jobs';
import { importManifest } from '../../main/inbound/import-manifest';
import { ScanIn } from '../../main/inbound/scan-in';
import { SEALED_COLUMNS } from '../../main/lifecycle/sealed-columns';
import { scanParcelRows } from '../../main/store/parcel-integrity';
import { openPersonalField } from '../../main/store/parcels';
import { openStation, unlockWithPassphrase, unlockWithProtector, type EmbeddedStation as Station } from '../../main/store/station';
import { syntheticRows, toCsv } from '../../bench/synthetic';
import { count, scanNew, testClock } from '../helpers/counter';
import { ENGINE_CASES, newStationOn } from '../helpers/engines';
import { newStation, TEST_PASSPHRASE, tempDir } from '../helpers/fixtures';
import { lifecycleOf, rawBytes, SUPERVISOR, workThroughCounter, type WorkedParcels } from '../helpers/lifecycle';

/** BLOB columns that hold no sealed value: keyed hashes, row MACs and chain hashes. */
const UNSEALED_BLOBS = [
  'parcels.phone_bidx',
  'parcels.tail_bidx',
  'rotation_bidx.phone_bidx',
  'rotation_bidx.tail_bidx',
  'parcels.row_mac',
  'rotation_bidx.row_mac',
  'notify_outbox.phone_bidx',
  'notify_optouts.phone_bidx',
  'chain_entries.prev_hash',
  'chain_entries.hash',
  'chain_checkpoints.head_hash',
  'chain_checkpoints.prev_digest',
];

const xor = (b: Uint8Array) => b.map((x) => x ^ 0x5a);
const protector: KeyProtector = { isAvailable: () => true, protect: xor, unprotect: xor };

/** Generations found in every sealed column. */
function generations(station: Station): Set<number> {
  const seen = new Set<number>();
  for (const c of SEALED_COLUMNS) {
    for (const blob of station.db.prepare(`SELECT ${c.column} FROM ${c.table} WHERE length(${c.column}) > 0`).pluck().all() as Uint8Array[]) seen.add(envelopeGeneration(blob));
  }
  return seen;
}

/** Everything a rotation must keep readable, read through the services. */
async function readable(station: Station, ids: readonly number[]) {
  const lookup = new ParcelLookup(station);
  const q = station.store;
  const phones: (string | null)[] = [];
  const names: (string | null)[] = [];
  const found: number[] = [];
  for (const id of ids) {
    const p = await openPersonalField(q, station.keys, id, 'phone');
    phones.push(p);
    names.push(await openPersonalField(q, station.keys, id, 'name'));
    // Found by their blind indexes, whichever generation computed them.
    found.push(p ? (await lookup.find(q, { by: 'phone', value: p.split('-')[0] })).length : 0);
  }
  return {
    phones,
    names,
    found,
    chains: verifyAllChains(station.db, stationPublicKey(station.db).publicKey, { logs: ['audit'] }).results.every((r) => r.ok),
    signer: loadSigningKey(station).fingerprint,
  };
}

describe('key rotation', () => {
  let tmp: ReturnType<typeof tempDir>;
  let path: string;
  let station: Station;
  let worked: WorkedParcels;
  const clock = testClock('2026-03-02T02:00:00Z');

  beforeEach(async () => {
    tmp = tempDir();
    ({ path, station } = newStation(tmp.dir));
    worked = await workThroughCounter(station, clock);
  });
  afterEach(() => {
    if (station.db.open) station.close();
    tmp.cleanup();
  });

  it('knows every sealed column of the schema', () => {
    const blobs = (station.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]).flatMap((t) =>
      (station.db.pragma(`table_info("${t}")`) as { name: string; type: string }[]).filter((c) => c.type === 'BLOB').map((c) => `${t}.${c.name}`),
    );
    const sealed = SEALED_COLUMNS.map((c) => `${c.table}.${c.column}`);
    expect(blobs.filter((b) => !sealed.includes(b) && !UNSEALED_BLOBS.includes(b))).toEqual([]);
    expect(sealed.filter((s) => !blobs.includes(s))).toEqual([]);
  });

  it('re-encrypts every sealed value, rebuilds the blind indexes and drops the old root key', async () => {
    const accounts = new Accounts(station);
    const user = await station.store.transaction((tx) => accounts.create(tx, { username: 'zhao', displayName: '赵', role: 'clerk', password: 'counter-pass-1' }, null));
    const secret = await accounts.pendingTotpSecret(station.store, user.id);
    const job = await station.store.transaction((tx) => new PrintJobs(station, '').enqueue(tx, 'printer', 'tspl', new Uint8Array([1, 2, 3])));
    const { lifecycle } = lifecycleOf(station, clock.now);
    await lifecycle.dsrFind(SUPERVISOR, '13800001111', 'access');
    await lifecycle.incidentCreate(SUPERVISOR, { type: 'internal', discoveredAt: clock.now().toISOString(), reporter: '王', description: '查看过多' });
    await new AuditLog(station, clock.now).checkpoint('export');
    const ids = station.db.prepare('SELECT id FROM parcels ORDER BY id').pluck().all() as number[];
    const before = await readable(station, ids);
    const oldRoot = station.db.prepare("SELECT value FROM meta WHERE key = 'root_key.passphrase'").pluck().get() as string;
    const oldTail = station.db.prepare('SELECT tail_bidx FROM parcels WHERE id = ?').pluck().get(ids[0]) as Uint8Array;
    expect(generations(station)).toEqual(new Set([1]));

    const progress: number[] = [];
    const result = await lifecycle.rotate(SUPERVISOR, TEST_PASSPHRASE, (done) => progress.push(done));
    expect(result).toMatchObject({ generation: 2 });
    expect(result.done).toBe(result.total);
    expect(progress.length).toBeGreaterThan(2);
    expect(generations(station)).toEqual(new Set([2]));
    expect(await readable(station, ids)).toEqual(before);
    expect(before.found.every((n) => n >= 1)).toBe(true);
    expect(Buffer.from(station.db.prepare('SELECT tail_bidx FROM parcels WHERE id = ?').pluck().get(ids[0]) as Uint8Array).equals(Buffer.from(oldTail))).toBe(false);
    expect(await new PrintJobs(station, '').next('printer')).toMatchObject({ id: job.id, payload: new Uint8Array([1, 2, 3]) });
    expect(await accounts.pendingTotpSecret(station.store, user.id)).toBe(secret);
    await expect(accounts.check(station.store, 'zhao', { totp: totp(base32Decode(secret), new Date()) })).resolves.toBeDefined();
    expect((await lifecycle.incidents.get(1)).description).toBe('查看过多');
    expect(count(station, 'SELECT COUNT(*) FROM rotation_bidx') + count(station, 'SELECT COUNT(*) FROM rotation_cursor')).toBe(0);
    expect(station.db.prepare("SELECT COUNT(*) FROM meta WHERE key LIKE '%.next'").pluck().get()).toBe(0);

    station.close();
    expect(rawBytes(path).includes(Buffer.from(oldRoot))).toBe(false);
    station = unlockWithPassphrase(path, TEST_PASSPHRASE);
    expect(station.keys.field.generation).toBe(2);
    expect(await readable(station, ids)).toEqual(before);
  });

  it('resumes after an interruption: both keys unlock meanwhile (passphrase or keystore) and new rows take the new key', async () => {
    station.close();
    station = unlockWithPassphrase(path, TEST_PASSPHRASE, protector);
    const ids = station.db.prepare('SELECT id FROM parcels ORDER BY id').pluck().all() as number[];
    const before = await readable(station, ids);
    let { lifecycle } = lifecycleOf(station, clock.now, protector);
    lifecycle.rotation.begin(TEST_PASSPHRASE);
    let batches = 0;
    expect(await lifecycle.rotation.run({ onProgress: () => batches++, shouldStop: () => batches > 1 })).toBeNull();
    expect(generations(station)).toEqual(new Set([1, 2]));
    station.close(); // the app was closed mid-rotation

    // The keystore alone opens both generations; the counter finds and opens every row.
    station = unlockWithProtector(path, protector)!;
    expect(station.keys.next?.field.generation).toBe(2);
    expect(await readable(station, ids)).toEqual(before);
    const imported = await importManifest(station, 'late.csv', toCsv(syntheticRows(20, 5)), { now: clock.now });
    expect(imported.imported).toBe(20);
    const fresh = station.db.prepare('SELECT masked_ct FROM parcels ORDER BY id DESC LIMIT 1').pluck().get() as Uint8Array;
    expect(envelopeGeneration(fresh)).toBe(2);
    station.close();

    station = unlockWithPassphrase(path, TEST_PASSPHRASE);
    ({ lifecycle } = lifecycleOf(station, clock.now));
    expect((await lifecycle.status()).rotation).toMatchObject({ generation: 2 });
    const done = await lifecycle.rotate(SUPERVISOR, TEST_PASSPHRASE);
    expect(done.generation).toBe(2);
    expect(generations(station)).toEqual(new Set([2]));
    const all = station.db.prepare('SELECT id FROM parcels ORDER BY id').pluck().all() as number[];
    expect((await readable(station, all)).found.every((n) => n >= 1)).toBe(true);
    expect(await readable(station, ids)).toEqual(before);
    // The keystore held the new root too, so it still unlocks after the swap.
    station.close();
    station = unlockWithProtector(path, protector)!;
    expect(station.keys.field.generation).toBe(2);
  });

  it('a rotation begun without the keystore (e.g. from the CLI) makes the next start ask for the passphrase', async () => {
    station.close();
    station = unlockWithPassphrase(path, TEST_PASSPHRASE, protector);
    lifecycleOf(station, clock.now).lifecycle.rotation.begin(TEST_PASSPHRASE);
    station.close();
    expect(unlockWithProtector(path, protector)).toBeNull();
    // The passphrase opens both and stores the new key in the keystore for next time.
    station = unlockWithPassphrase(path, TEST_PASSPHRASE, protector);
    station.close();
    station = unlockWithProtector(path, protector)!;
    expect(station.keys.next?.field.generation).toBe(2);
  });

  // Sealed on this thread, the first 2000 rows are sealed under generation 1 and
  // the rotation completes between chunks; on a worker, the rotation begins as
  // the workers start and runs on while the import writes.
  it.each([
    { sealed: 'on this thread', workers: 0, at: 2000 },
    { sealed: 'on a worker', workers: 1, at: 0 },
  ])('brings an import that straddles the swap onto the new key (sealed $sealed)', async ({ workers, at }) => {
    const { lifecycle } = lifecycleOf(station, clock.now);
    const rows = syntheticRows(5000, 9);
    let rotation: Promise<unknown> | null = null;
    const imported = await importManifest(station, 'big.csv', toCsv(rows), {
      sealWorkers: workers,
      onProgress: (p) => {
        if (p.phase === 'encrypting' && p.done === at && !rotation) {
          lifecycle.rotation.begin(TEST_PASSPHRASE);
          rotation = lifecycle.rotation.run();
        }
      },
    });
    expect(rotation).not.toBeNull();
    await rotation;
    expect(imported.imported).toBe(5000);
    expect(station.keys.next).toBeNull();
    expect(generations(station)).toEqual(new Set([2]));
    // Every row, caught up by the trigger or not, carries a row MAC under the new generation.
    expect(scanParcelRows(station.db, station.keys).damaged).toEqual([]);
    const lookup = new ParcelLookup(station);
    for (const r of [rows[0], rows[1999], rows[2000], rows[4999]]) {
      expect((await lookup.find(station.store, { by: 'phone', value: r.phone })).map((p) => p.waybillNo)).toContain(r.waybill);
      expect((await lookup.find(station.store, { by: 'tail', value: r.phone.slice(-4) })).length).toBeGreaterThan(0);
    }
  });

  it('changes the passphrase mid-rotation: both keys re-wrapped, the old passphrase refused', async () => {
    const { lifecycle } = lifecycleOf(station, clock.now);
    lifecycle.rotation.begin(TEST_PASSPHRASE);
    await lifecycle.changePassphrase(SUPERVISOR, TEST_PASSPHRASE, 'a brand new passphrase');
    station.close();
    expect(() => unlockWithPassphrase(path, TEST_PASSPHRASE)).toThrow(/passphrase/);
    station = unlockWithPassphrase(path, 'a brand new passphrase');
    expect(station.keys.next).not.toBeNull();
    await lifecycleOf(station, clock.now).lifecycle.rotate(SUPERVISOR, 'a brand new passphrase');
    expect(await openPersonalField(station.store, station.keys, worked.onShelf[0], 'name')).toBeTruthy();
    station.close();
    station = unlockWithPassphrase(path, 'a brand new passphrase');
    expect(station.keys.field.generation).toBe(2);
  });
});

describe.each(ENGINE_CASES)('passphrase change (%s)', (_name, engine) => {
  it('re-wraps the root key in one transaction: the old passphrase is refused, another counter holding the key carries on', async () => {
    const tmp = tempDir();
    const { station, target, dispose } = await newStationOn(engine, tmp.dir);
    // A second counter on the same store, unlocked before the change.
    const other = await openStation(target, TEST_PASSPHRASE);
    try {
      const clock = testClock('2026-03-02T02:00:00Z');
      const { lifecycle } = lifecycleOf(station, clock.now);
      await expect(lifecycle.changePassphrase(SUPERVISOR, 'not the passphrase', 'another passphrase 1')).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
      await lifecycle.changePassphrase(SUPERVISOR, TEST_PASSPHRASE, 'a brand new passphrase');
      await expect(openStation(target, TEST_PASSPHRASE)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
      const reopened = await openStation(target, 'a brand new passphrase');
      await reopened.close();
      // The root key itself is unchanged: what the other counter seals, this one opens.
      const { parcelId } = await scanNew(other, new ScanIn(other, { now: clock.now }), '13800001111');
      expect(await openPersonalField(station.store, station.keys, parcelId, 'name')).toBe('张三丰');
    } finally {
      await other.close();
      await dispose();
      tmp.cleanup();
    }
  });
});
