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
import { isServerUrl } from '../../main/store/engine/open-store';
import { initialiseStationAt, openStation, openStationWithProtector, withEmbeddedDb, type Station } from '../../main/store/station';
import { syntheticRows, toCsv } from '../../bench/synthetic';
import { scanNew, testClock } from '../helpers/counter';
import { ENGINE_CASES, ENGINES, newStationOn } from '../helpers/engines';
import { PG_URL } from '../helpers/postgres';
import { resultCode, valueOf } from '../helpers/results';
import { startApp } from '../helpers/app';
import { newStation, TEST_KDF, TEST_PASSPHRASE, tempDir } from '../helpers/fixtures';
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

/** A fake OS keystore: each counter's "machine secret" is its own byte. */
const keystore = (secret: number): KeyProtector => {
  const xor = (b: Uint8Array) => b.map((x) => x ^ secret);
  return { isAvailable: () => true, protect: xor, unprotect: xor };
};
const protector = keystore(0x5a);

/** Generations found in every sealed column. */
async function generations(station: Station): Promise<Set<number>> {
  const seen = new Set<number>();
  for (const c of SEALED_COLUMNS) {
    for (const r of await station.store.all<{ blob: Uint8Array }>(`SELECT ${c.column} AS blob FROM ${c.table} WHERE length(${c.column}) > 0`)) seen.add(envelopeGeneration(r.blob));
  }
  return seen;
}

const ids = async (station: Station): Promise<number[]> => (await station.store.all<{ id: number }>('SELECT id FROM parcels ORDER BY id')).map((r) => Number(r.id));
const countOf = async (station: Station, sql: string): Promise<number> => Number(await station.store.value(sql));

/** Everything a rotation must keep readable, read through the services. */
async function readable(station: Station, parcelIds: readonly number[]) {
  const lookup = new ParcelLookup(station);
  const q = station.store;
  const phones: (string | null)[] = [];
  const names: (string | null)[] = [];
  const found: number[] = [];
  for (const id of parcelIds) {
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
    chains: await withEmbeddedDb(station, (db) => verifyAllChains(db, stationPublicKey(db).publicKey, { logs: ['audit'] }).results.every((r) => r.ok)),
    signer: loadSigningKey(station).fingerprint,
  };
}

/** Parcel rows whose MAC fails, as `verify --store` reads them. */
const damaged = (station: Station): Promise<number[]> => withEmbeddedDb(station, (db) => scanParcelRows(db, station.keys).damaged);

describe('key rotation (the file store)', () => {
  it('knows every sealed column of the schema', () => {
    const tmp = tempDir();
    const { station } = newStation(tmp.dir);
    try {
      const blobs = (station.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]).flatMap((t) =>
        (station.db.pragma(`table_info("${t}")`) as { name: string; type: string }[]).filter((c) => c.type === 'BLOB').map((c) => `${t}.${c.name}`),
      );
      const sealed = SEALED_COLUMNS.map((c) => `${c.table}.${c.column}`);
      expect(blobs.filter((b) => !sealed.includes(b) && !UNSEALED_BLOBS.includes(b))).toEqual([]);
      expect(sealed.filter((s) => !blobs.includes(s))).toEqual([]);
    } finally {
      station.close();
      tmp.cleanup();
    }
  });
});

describe.each(ENGINE_CASES)('key rotation (%s)', (_name, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let target: string;
  let dispose: () => Promise<void>;
  let station: Station;
  let worked: WorkedParcels;
  const clock = testClock('2026-03-02T02:00:00Z');
  /** Closes this counter's station and unlocks it again by `open`; null when that asks for the passphrase (which then unlocks it). */
  const reopen = async (open: () => Promise<Station | null>): Promise<Station | null> => {
    await station.close();
    const next = await open();
    station = next ?? (await openStation(target, TEST_PASSPHRASE));
    return next;
  };
  // Whose keystore copy it is (a server store keeps one per counter): the workstation lifecycleOf's rotation runs on.
  const counter = { workstation: SUPERVISOR.workstation };

  beforeEach(async () => {
    tmp = tempDir();
    ({ target, dispose } = await engine.stationTarget(tmp.dir));
    await initialiseStationAt(target, { passphrase: TEST_PASSPHRASE, stationName: '测试驿站', kdfCost: TEST_KDF });
    station = await openStation(target, TEST_PASSPHRASE);
    worked = await workThroughCounter(station, clock);
  }, 180_000);
  afterEach(async () => {
    await station.close();
    await dispose();
    tmp.cleanup();
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
    const all = await ids(station);
    const before = await readable(station, all);
    const oldRoot = await station.store.value<string>("SELECT value FROM meta WHERE key = 'root_key.passphrase'");
    const tailOf = (id: number) => station.store.value<Uint8Array>('SELECT tail_bidx FROM parcels WHERE id = ?', id);
    const oldTail = await tailOf(all[0]);
    expect(await generations(station)).toEqual(new Set([1]));

    const progress: number[] = [];
    const result = await lifecycle.rotate(SUPERVISOR, TEST_PASSPHRASE, (done) => progress.push(done));
    expect(result).toMatchObject({ generation: 2 });
    expect(result.done).toBe(result.total);
    expect(progress.length).toBeGreaterThan(2);
    expect(await generations(station)).toEqual(new Set([2]));
    expect(await readable(station, all)).toEqual(before);
    expect(before.found.every((n) => n >= 1)).toBe(true);
    expect(Buffer.from((await tailOf(all[0]))!).equals(Buffer.from(oldTail!))).toBe(false);
    expect(await new PrintJobs(station, '').next('printer')).toMatchObject({ id: job.id, payload: new Uint8Array([1, 2, 3]) });
    expect(await accounts.pendingTotpSecret(station.store, user.id)).toBe(secret);
    await expect(accounts.check(station.store, 'zhao', { totp: totp(base32Decode(secret), new Date()) })).resolves.toBeDefined();
    expect((await lifecycle.incidents.get(1)).description).toBe('查看过多');
    expect((await countOf(station, 'SELECT COUNT(*) FROM rotation_bidx')) + (await countOf(station, 'SELECT COUNT(*) FROM rotation_cursor'))).toBe(0);
    expect(await countOf(station, "SELECT COUNT(*) FROM meta WHERE key LIKE '%.next'")).toBe(0);
    expect(await damaged(station)).toEqual([]);

    await station.close();
    if (!isServerUrl(target)) expect(rawBytes(target).includes(Buffer.from(oldRoot!))).toBe(false);
    station = await openStation(target, TEST_PASSPHRASE);
    expect(await countOf(station, `SELECT COUNT(*) FROM meta WHERE value = '${oldRoot!}'`)).toBe(0);
    expect(station.keys.field.generation).toBe(2);
    expect(await readable(station, all)).toEqual(before);
  });

  it('resumes after an interruption: both keys unlock meanwhile (passphrase or keystore) and new rows take the new key', async () => {
    await reopen(() => openStation(target, TEST_PASSPHRASE, protector, counter));
    const some = await ids(station);
    const before = await readable(station, some);
    let { lifecycle } = lifecycleOf(station, clock.now, protector);
    await lifecycle.rotation.begin(TEST_PASSPHRASE);
    let batches = 0;
    expect(await lifecycle.rotation.run({ onProgress: () => batches++, shouldStop: () => batches > 1 })).toBeNull();
    expect(await generations(station)).toEqual(new Set([1, 2]));

    // The app was closed mid-rotation. The keystore alone opens both generations; the counter finds and opens every row.
    expect(await reopen(() => openStationWithProtector(target, protector, counter.workstation))).not.toBeNull();
    expect(station.keys.next?.field.generation).toBe(2);
    expect(await readable(station, some)).toEqual(before);
    const imported = await importManifest(station, 'late.csv', toCsv(syntheticRows(20, 5)), { now: clock.now });
    expect(imported.imported).toBe(20);
    expect(envelopeGeneration((await station.store.value<Uint8Array>('SELECT masked_ct FROM parcels ORDER BY id DESC LIMIT 1'))!)).toBe(2);

    await reopen(() => openStation(target, TEST_PASSPHRASE));
    ({ lifecycle } = lifecycleOf(station, clock.now));
    expect((await lifecycle.status()).rotation).toMatchObject({ generation: 2 });
    const done = await lifecycle.rotate(SUPERVISOR, TEST_PASSPHRASE);
    expect(done.generation).toBe(2);
    expect(await generations(station)).toEqual(new Set([2]));
    expect((await readable(station, await ids(station))).found.every((n) => n >= 1)).toBe(true);
    expect(await readable(station, some)).toEqual(before);
    // The keystore held the new root too, so it still unlocks after the swap.
    expect(await reopen(() => openStationWithProtector(target, protector, counter.workstation))).not.toBeNull();
    expect(station.keys.field.generation).toBe(2);
  });

  it('a rotation begun without the keystore (e.g. from the CLI) makes the next start ask for the passphrase', async () => {
    await reopen(() => openStation(target, TEST_PASSPHRASE, protector, counter));
    await lifecycleOf(station, clock.now).lifecycle.rotation.begin(TEST_PASSPHRASE);
    expect(await reopen(() => openStationWithProtector(target, protector, counter.workstation))).toBeNull();
    // The passphrase opens both and stores the new key in the keystore for next time.
    await reopen(() => openStation(target, TEST_PASSPHRASE, protector, counter));
    expect(await reopen(() => openStationWithProtector(target, protector, counter.workstation))).not.toBeNull();
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
          rotation = lifecycle.rotation.begin(TEST_PASSPHRASE).then(() => lifecycle.rotation.run());
        }
      },
    });
    expect(rotation).not.toBeNull();
    await rotation;
    expect(imported.imported).toBe(5000);
    expect(station.keys.next).toBeNull();
    expect(await generations(station)).toEqual(new Set([2]));
    // Every row, caught up by the swap or sealed again at its write, carries a row MAC under the new generation.
    expect(await damaged(station)).toEqual([]);
    const lookup = new ParcelLookup(station);
    for (const r of [rows[0], rows[1999], rows[2000], rows[4999]]) {
      expect((await lookup.find(station.store, { by: 'phone', value: r.phone })).map((p) => p.waybillNo)).toContain(r.waybill);
      expect((await lookup.find(station.store, { by: 'tail', value: r.phone.slice(-4) })).length).toBeGreaterThan(0);
    }
  });

  it('keeps one keystore copy per counter; a rotation clears them all, and each counter then falls back to the passphrase once', async () => {
    // A file store is one PC's; on a server each counter keeps its own copy, under its own OS secret.
    const counters = isServerUrl(target)
      ? [
          { workstation: 'counter-1', keys: keystore(0x11) },
          { workstation: 'counter-2', keys: keystore(0x22) },
        ]
      : [{ workstation: '', keys: keystore(0x11) }];
    const autoUnlocked = async (c: (typeof counters)[number]): Promise<number | null> => {
      const s = await openStationWithProtector(target, c.keys, c.workstation);
      await s?.close();
      return s ? s.keys.field.generation : null;
    };
    for (const c of counters) await (await openStation(target, TEST_PASSPHRASE, c.keys, c)).close();
    for (const c of counters) expect(await autoUnlocked(c)).toBe(1);
    // Another counter's copy is not this one's.
    if (isServerUrl(target)) expect(await autoUnlocked({ workstation: 'counter-3', keys: counters[0].keys })).toBeNull();

    await lifecycleOf(station, clock.now).lifecycle.rotate(SUPERVISOR, TEST_PASSPHRASE);
    expect(await countOf(station, "SELECT COUNT(*) FROM meta WHERE key LIKE 'root_key.os%'")).toBe(0);
    for (const c of counters) {
      expect(await autoUnlocked(c)).toBeNull();
      await (await openStation(target, TEST_PASSPHRASE, c.keys, c)).close();
      expect(await autoUnlocked(c)).toBe(2);
    }
  });

  it('changes the passphrase mid-rotation: both keys re-wrapped, the old passphrase refused', async () => {
    const { lifecycle } = lifecycleOf(station, clock.now);
    await lifecycle.rotation.begin(TEST_PASSPHRASE);
    await lifecycle.changePassphrase(SUPERVISOR, TEST_PASSPHRASE, 'a brand new passphrase');
    await station.close();
    await expect(openStation(target, TEST_PASSPHRASE)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    station = await openStation(target, 'a brand new passphrase');
    expect(station.keys.next).not.toBeNull();
    await lifecycleOf(station, clock.now).lifecycle.rotate(SUPERVISOR, 'a brand new passphrase');
    expect(await openPersonalField(station.store, station.keys, worked.onShelf[0], 'name')).toBeTruthy();
    await reopen(() => openStation(target, 'a brand new passphrase'));
    expect(station.keys.field.generation).toBe(2);
  });
});

describe.skipIf(!PG_URL)('two counters on one server store during a key rotation', () => {
  it('a counter holding only the old key writes nothing under it: refused during the rotation, then sent to unlock; one holding both writes and rotates along', async () => {
    const tmp = tempDir();
    const engine = ENGINES.find((e) => e.name === 'postgres')!;
    const { station: one, target, dispose } = await newStationOn(engine, tmp.dir);
    let two = await openStation(target, TEST_PASSPHRASE);
    let three: Station | null = null;
    try {
      const clock = testClock('2026-03-02T02:00:00Z');
      const scan = (s: Station) => scanNew(s, new ScanIn(s, { now: clock.now }), '13800001111');
      await importManifest(one, 'm.csv', toCsv(syntheticRows(1200, 3)), { now: clock.now });
      const parcels = () => countOf(one, 'SELECT COUNT(*) FROM parcels');
      const { lifecycle } = lifecycleOf(one, clock.now);
      await lifecycle.rotation.begin(TEST_PASSPHRASE);
      let batches = 0;
      expect(await lifecycle.rotation.run({ onProgress: () => batches++, shouldStop: () => batches > 1 })).toBeNull();

      // Counter 2 holds only the old key: refused while the rotation runs, with nothing written.
      const before = await parcels();
      await expect(scan(two)).rejects.toMatchObject({ code: 'STATION_KEY_ROTATING' });
      expect(await parcels()).toBe(before);
      expect(two.keyChanged).toBe(false);
      // Counter 3, unlocked with the passphrase mid-rotation, holds both keys and writes on.
      three = await openStation(target, TEST_PASSPHRASE);
      expect(three.keys.next?.field.generation).toBe(2);
      const during = await scan(three);

      // Both counters holding the new key work the rotation through at once: the batches share one cursor, one of them swaps.
      const finished = await Promise.all([lifecycle.rotation.run(), lifecycleOf(three, clock.now).lifecycle.rotation.run()]);
      expect(finished).toEqual([expect.objectContaining({ generation: 2 }), expect.objectContaining({ generation: 2 })]);
      await expect(scan(two)).rejects.toMatchObject({ code: 'STATION_KEY_CHANGED' });
      expect(two.keyChanged).toBe(true);
      expect(await parcels()).toBe(before + 1);
      const after = await scan(three);
      expect(three.keys.epoch).toBe('2>');

      expect(await generations(one)).toEqual(new Set([2]));
      expect(await damaged(one)).toEqual([]);
      expect((await readable(one, [])).chains).toBe(true);
      const lookup = new ParcelLookup(one);
      const found = (await lookup.find(one.store, { by: 'phone', value: '13800001111' })).map((p) => p.id);
      expect(found).toEqual(expect.arrayContaining([during.parcelId, after.parcelId]));

      // Counter 2 unlocks again with the passphrase and works.
      await two.close();
      two = await openStation(target, TEST_PASSPHRASE);
      const again = await scan(two);
      expect(await openPersonalField(one.store, one.keys, again.parcelId, 'name')).toBe('张三丰');
    } finally {
      await three?.close();
      await two.close();
      await dispose();
      tmp.cleanup();
    }
  });

  it('the app of a counter whose key was rotated elsewhere refuses the write, locks, and unlocks again with the passphrase', async () => {
    const tmp = tempDir();
    const counter = await startApp(tmp.dir, [], { engine: ENGINES.find((e) => e.name === 'postgres')! });
    try {
      const elsewhere = await openStation(counter.dbPath, TEST_PASSPHRASE);
      await lifecycleOf(elsewhere, () => new Date()).lifecycle.rotate(SUPERVISOR, TEST_PASSPHRASE);
      await elsewhere.close();
      expect(resultCode(await counter.call('auth.logout', {}))).toBe('STATION_KEY_CHANGED');
      expect(valueOf(await counter.call('station.status', {}))).toMatchObject({ unlocked: false });
      expect(valueOf(await counter.call('station.unlock', { passphrase: TEST_PASSPHRASE }))).toMatchObject({ unlocked: true });
      await counter.login('boss');
      expect((await counter.call('auth.logout', {})).ok).toBe(true);
    } finally {
      await counter.close();
      tmp.cleanup();
    }
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
