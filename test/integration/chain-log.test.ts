import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import type { CanonicalValue } from '../../main/chain/canonical';
import { anchorPath } from '../../main/chain/anchor';
import { ChainLog, openChainLog, type ChainHead } from '../../main/chain/chain-log';
import { checkAnchors, type AnchorCheck } from '../../main/chain/consistency';
import { EntryHasher } from '../../main/chain/hash';
import { readRange } from '../../main/chain/scan';
import { loadSigningKey } from '../../main/chain/signing-key';
import { canVerifyInParallel, verifyAllChains, verifyChain, verifyChainAsync, type VerifyResult } from '../../main/chain/verify';
import type { EmbeddedStation as Station } from '../../main/store/station';
import { AppError } from '../../shared/errors';
import { newStation, tempDir } from '../helpers/fixtures';

const T0 = Date.UTC(2025, 0, 1);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const at = (i: number): Date => new Date(T0 + i * 60_000);

let cleanup: () => void;
let station: Station;
let dir: string;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  station = newStation(dir).station;
});

afterEach(() => {
  station.close();
  cleanup();
});

/** The log as a caller uses it outside an action: each append in a transaction of its own, anchored once committed. */
function alone(chain: ChainLog, s: Station = station) {
  return {
    log: chain,
    async append(payload: CanonicalValue, now?: Date): Promise<ChainHead> {
      const head = await s.store.transaction((tx) => chain.append(tx, payload, now));
      await chain.anchor();
      return head;
    },
    head: () => chain.head(s.store),
    entries: (range?: Parameters<ChainLog['entries']>[1]) => chain.entries(s.store, range),
    latestCheckpoint: () => chain.latestCheckpoint(s.store),
    checkpoint: (reason: string, now?: Date) => chain.checkpoint(reason, now),
    anchor: () => chain.anchor(),
  };
}

/** Entries 1..n, a checkpoint every 10: checkpoints at 0, 10, 20, … */
async function fill(n: number, log = 'shred') {
  const chain = alone(openChainLog(station, log, { checkpointEvery: 10 }));
  for (let i = 1; i <= n; i++) await chain.append({ action: 'shred', parcel_id: i, staff: '王小明' }, at(i));
  return chain;
}

const verify = (log = 'shred'): VerifyResult => verifyChain(station.db, log, loadSigningKey(station).publicKey);
const anchors = (): AnchorCheck => checkAnchors(station.db, loadSigningKey(station).publicKey, `${station.db.name}.anchors`);

/** What someone with the SQLite file and a sqlite3 shell can do: drop the guards, then edit. */
function tamper(sql: string, ...params: unknown[]): void {
  for (const t of ['chain_entries_no_update', 'chain_entries_no_delete', 'chain_checkpoints_no_update', 'chain_checkpoints_no_delete']) {
    station.db.exec(`DROP TRIGGER IF EXISTS ${t}`);
  }
  station.db.prepare(sql).run(...params);
}

/** Moves entries from `seq` on up by one, freeing `seq`. */
function shiftUpFrom(seq: number): void {
  tamper("UPDATE chain_entries SET seq = -seq WHERE log = 'shred' AND seq >= ?", seq);
  tamper("UPDATE chain_entries SET seq = 1 - seq WHERE log = 'shred' AND seq < 0");
}

function storedHash(seq: number, log = 'shred'): Uint8Array {
  return (station.db.prepare('SELECT hash FROM chain_entries WHERE log = ? AND seq = ?').get(log, seq) as { hash: Uint8Array }).hash;
}

function expectBad(result: VerifyResult, problem: string, firstBadSeq: number): void {
  expect(result, JSON.stringify(result)).toMatchObject({ ok: false, problem, firstBadSeq });
}

// SQLite only: plain SQL on the SQLite file with its guards dropped, and its anchor file (README, "Tests against PostgreSQL").
describe('ChainLog append and verify', () => {
  it('appends, checkpoints every N entries and verifies', async () => {
    const chain = await fill(25);
    const head = await chain.head();
    expect(head.seq).toBe(25);
    const r = verify();
    expect(r).toMatchObject({ ok: true, entries: 25, checkpoints: 3, signedSeq: 20 });
    expect(r.ok && hex(r.head.hash)).toBe(hex(head.hash));
    expect(r.ok && r.fingerprint).toBe(loadSigningKey(station).fingerprint);
    expect(await chain.latestCheckpoint()).toMatchObject({ seq: 20, reason: 'auto', every: 10, prevSeq: 10 });
    expect((await chain.entries({ fromSeq: 24 })).map((e) => e.payload)).toEqual([
      { action: 'shred', parcel_id: 24, staff: '王小明' },
      { action: 'shred', parcel_id: 25, staff: '王小明' },
    ]);
    expect((await chain.entries({ fromSeq: 3, toSeq: 9, limit: 2 })).map((e) => e.seq)).toEqual([3, 4]);
  });

  it('an empty log verifies, and a checkpoint on demand is idempotent', async () => {
    const chain = await fill(0);
    expect(verify()).toMatchObject({ ok: true, entries: 0, checkpoints: 0 });
    await fill(3);
    const cp = await chain.checkpoint('export');
    expect(cp).toMatchObject({ seq: 3, reason: 'export', prevSeq: 0 });
    expect((await chain.checkpoint('export:again')).createdAt).toBe(cp.createdAt);
    expect(verify()).toMatchObject({ ok: true, entries: 3, checkpoints: 2, signedSeq: 3 });
  });

  it("commits and rolls back with the caller's transaction", async () => {
    const chain = await fill(5);
    await expect(
      station.store.transaction(async (tx) => {
        await chain.log.append(tx, { action: 'shred', parcel_id: 6 });
        throw new Error('domain write failed');
      }),
    ).rejects.toThrow('domain write failed');
    expect((await chain.head()).seq).toBe(5);
    await station.store.transaction((tx) => chain.log.append(tx, { action: 'shred', parcel_id: 6 }));
    expect(verify()).toMatchObject({ ok: true, entries: 6 });
  });

  it('rejects a payload with a float and leaves the log unchanged', async () => {
    const chain = await fill(2);
    await expect(chain.append({ weight_kg: 1.25 })).rejects.toThrow(AppError);
    await expect(chain.append({ staff: undefined } as never)).rejects.toThrow(AppError);
    expect((await chain.head()).seq).toBe(2);
    expect(verify().ok).toBe(true);
  });

  it('hashes text the same way in JavaScript (append) and in SQLite (verify)', async () => {
    const chain = await fill(0);
    await chain.append({ note: '𠮷野家 😀 "quoted" \\ \u0000 é', staff: '王小明' }, at(1));
    await chain.append({ note: 'x'.repeat(60_000) }, at(2));
    expect(verify()).toMatchObject({ ok: true, entries: 2 });
  });

  it('reads payloads of every size append takes (verify frames each record by its payload length)', async () => {
    const chain = await fill(0);
    // Byte lengths where the length's encoding in the blob grows (scan.ts), the UTF-16 surrogate range, and the 64 KiB limit.
    const sizes = [127, 128, 2047, 2048, 0xd7ff, 0xd800, 0xdfff, 0xe000, 0xffff, 0x10000];
    for (const [i, n] of sizes.entries()) await chain.append({ note: 'x'.repeat(n - '{"note":""}'.length) }, at(i + 1));
    const lengths = station.db.prepare("SELECT octet_length(payload) FROM chain_entries WHERE log = 'shred' ORDER BY seq").pluck().all();
    expect(lengths).toEqual(sizes);
    expect(verify()).toMatchObject({ ok: true, entries: sizes.length });
  });

  it('refuses bad log names and reasons', async () => {
    expect(() => openChainLog(station, 'Audit Log')).toThrow(AppError);
    await expect((await fill(1)).checkpoint('王小明 exported')).rejects.toThrow(AppError);
  });

  it('the SQLite triggers stop an application bug from rewriting entries', async () => {
    await fill(3);
    expect(() => station.db.prepare("UPDATE chain_entries SET payload = '{}' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => station.db.prepare('DELETE FROM chain_checkpoints').run()).toThrow(/append-only/);
  });
});

describe('verify names the first bad entry after a direct SQLite edit', () => {
  it('edit: a changed payload', async () => {
    await fill(25);
    tamper(`UPDATE chain_entries SET payload = '{"action":"shred","parcel_id":999,"staff":"王小明"}' WHERE log = 'shred' AND seq = 13`);
    expectBad(verify(), 'changed', 13);
  });

  it('edit: a back-dated time', async () => {
    await fill(25);
    tamper("UPDATE chain_entries SET created_at = '2024-12-31T23:00:00.000Z' WHERE log = 'shred' AND seq = 7");
    expectBad(verify(), 'changed', 7);
  });

  it('edit: a row rewritten with a recomputed hash', async () => {
    await fill(25);
    const payload = '{"action":"shred","parcel_id":999}';
    const hash = new EntryHasher().hash(storedHash(12), 13, at(13).toISOString(), payload);
    tamper("UPDATE chain_entries SET payload = ?, hash = ? WHERE log = 'shred' AND seq = 13", payload, hash);
    expectBad(verify(), 'changed', 13);
  });

  it('edit: every later hash recomputed too, caught by the next signed checkpoint', async () => {
    await fill(25);
    const h = new EntryHasher();
    const rows = station.db.prepare("SELECT seq, created_at, payload FROM chain_entries WHERE log = 'shred' AND seq >= 13 ORDER BY seq").all() as {
      seq: number;
      created_at: string;
      payload: string;
    }[];
    let prev = storedHash(12);
    for (const r of rows) {
      const payload = r.seq === 13 ? '{"action":"shred","parcel_id":999}' : r.payload;
      const hash = h.hash(prev, r.seq, r.created_at, payload);
      tamper("UPDATE chain_entries SET payload = ?, prev_hash = ?, hash = ? WHERE log = 'shred' AND seq = ?", payload, prev, hash, r.seq);
      prev = hash;
    }
    // The chain is consistent again; only the checkpoint at 20 knows, so 11–20 is as precise as it gets.
    const r = verify();
    expectBad(r, 'checkpoint-mismatch', 11);
    expect(r.ok || r.checkpointSeq).toBe(20);
  });

  it('edit: hashes, a time or a payload of a length no append writes', async () => {
    await fill(25);
    const original = station.db.prepare("SELECT * FROM chain_entries WHERE log = 'shred' AND seq = 13").get() as Record<string, unknown>;
    const edits: [column: string, value: unknown][] = [
      ['hash', Buffer.alloc(31)],
      ['hash', Buffer.concat([original.hash as Buffer, Buffer.alloc(1)])],
      ['prev_hash', Buffer.concat([original.prev_hash as Buffer, Buffer.alloc(1)])],
      ['prev_hash', (original.prev_hash as Buffer).subarray(0, 31)],
      ['created_at', '2025-01-01T00:13:00Z'],
      ['created_at', `${original.created_at as string} `],
      ['payload', JSON.stringify({ note: 'x'.repeat(0x100000) })],
    ];
    for (const [column, value] of edits) {
      tamper(`UPDATE chain_entries SET ${column} = ? WHERE log = 'shred' AND seq = 13`, value);
      expectBad(verify(), 'changed', 13);
      tamper(`UPDATE chain_entries SET ${column} = ? WHERE log = 'shred' AND seq = 13`, original[column]);
    }
    expect(verify().ok).toBe(true);
  });

  it('delete: a row removed', async () => {
    await fill(25);
    tamper("DELETE FROM chain_entries WHERE log = 'shred' AND seq = 13");
    expectBad(verify(), 'removed', 13);
  });

  it('delete: a row removed and the later ones renumbered', async () => {
    await fill(25);
    tamper("DELETE FROM chain_entries WHERE log = 'shred' AND seq = 13");
    tamper("UPDATE chain_entries SET seq = -(seq - 1) WHERE log = 'shred' AND seq > 13");
    tamper("UPDATE chain_entries SET seq = -seq WHERE log = 'shred' AND seq < 0");
    expectBad(verify(), 'removed', 13);
  });

  it('delete: rows cut off the end, before the last checkpoint', async () => {
    await fill(25);
    tamper("DELETE FROM chain_entries WHERE log = 'shred' AND seq >= 19");
    const r = verify();
    expectBad(r, 'truncated', 19);
  });

  it('a log cut short behind its checkpoint takes no more entries', async () => {
    const chain = await fill(25);
    tamper("DELETE FROM chain_entries WHERE log = 'shred' AND seq >= 19");
    await expect(chain.append({ action: 'shred', parcel_id: 19 }, at(19))).rejects.toThrow(AppError);
  });

  it('delete: rows cut off after the last checkpoint go unnoticed by the store alone, and by the anchors (nothing signed them yet)', async () => {
    await fill(25);
    tamper("DELETE FROM chain_entries WHERE log = 'shred' AND seq > 20");
    expect(verify()).toMatchObject({ ok: true, entries: 20, signedSeq: 20 });
    expect(anchors()).toMatchObject({ ok: true, heads: { shred: 20 } });
  });

  it('delete: signed rows cut off with their checkpoints pass the store alone, but not the anchor file beside it', async () => {
    await (await fill(25)).checkpoint('export', at(26));
    expect(readFileSync(`${station.db.name}.anchors`, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l).seq)).toEqual([0, 10, 20, 25]);
    expect(anchors()).toEqual({ ok: true, anchors: 4, heads: { shred: 25 } });
    tamper("DELETE FROM chain_entries WHERE log = 'shred' AND seq > 18");
    tamper("DELETE FROM chain_checkpoints WHERE log = 'shred' AND seq > 18");
    expect(verify()).toMatchObject({ ok: true, entries: 18, signedSeq: 10 });
    expect(anchors()).toMatchObject({ ok: false, problem: 'missing', line: 4, detail: "shred: entries 19–25 are missing (the store's chain ends at 18), anchored on line 4" });
  });

  it('the anchor file is checked too: an edited, forged or foreign line fails', async () => {
    await fill(12);
    const file = `${station.db.name}.anchors`;
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const line1 = JSON.parse(lines[1]);
    writeFileSync(file, `${lines[0]}\n${JSON.stringify({ ...line1, seq: 11 })}\n`);
    expect(anchors()).toMatchObject({ ok: false, problem: 'bad-signature', line: 2 });
    writeFileSync(file, `${lines[0]}\nnot json\n`);
    expect(anchors()).toMatchObject({ ok: false, problem: 'malformed', line: 2 });
    // A line cut short by a power loss is no edit: skipped.
    writeFileSync(file, `${lines.join('\n')}\n${lines[1].slice(0, 30)}`);
    expect(anchors()).toMatchObject({ ok: true, anchors: 2 });
    const { station: other } = newStation(dir, 'other.db');
    try {
      await alone(openChainLog(other, 'shred', { checkpointEvery: 10 }), other).append({ n: 1 }, at(1));
      writeFileSync(file, readFileSync(`${other.db.name}.anchors`));
      expect(anchors()).toMatchObject({ ok: false, problem: 'bad-signature', line: 1 });
    } finally {
      other.close();
    }
  });

  it('a checkpoint rolled back with its transaction is not anchored', async () => {
    const chain = await fill(9);
    await expect(
      station.store.transaction(async (tx) => {
        await chain.log.append(tx, { n: 10 }, at(10));
        throw new Error('domain write failed');
      }),
    ).rejects.toThrow('domain write failed');
    expect(anchors()).toMatchObject({ ok: true, heads: { shred: 0 } });
    await station.store.transaction((tx) => chain.log.append(tx, { n: 10 }, at(10)));
    expect(anchors()).toMatchObject({ ok: true, heads: { shred: 0 } });
    await chain.anchor();
    expect(anchors()).toMatchObject({ ok: true, heads: { shred: 10 } });
  });

  it('signs the head at the first entry more than an hour after the last checkpoint', async () => {
    const chain = await fill(3);
    await chain.append({ n: 4 }, new Date(at(1).getTime() + 3_600_000 - 1));
    expect(await chain.latestCheckpoint()).toMatchObject({ seq: 0 });
    await chain.append({ n: 5 }, new Date(at(1).getTime() + 3_600_000));
    expect(await chain.latestCheckpoint()).toMatchObject({ seq: 5, reason: 'hourly' });
    expect(anchors()).toMatchObject({ ok: true, heads: { shred: 5 } });
    expect(verify()).toMatchObject({ ok: true, checkpoints: 2, signedSeq: 5 });
  });

  it('insert: a made-up row squeezed in', async () => {
    await fill(25);
    shiftUpFrom(13);
    tamper(
      "INSERT INTO chain_entries (log, seq, created_at, payload, prev_hash, hash) VALUES ('shred', 13, ?, '{}', zeroblob(32), zeroblob(32))",
      at(13).toISOString(),
    );
    expectBad(verify(), 'inserted', 13);
  });

  it('insert: a well-formed row squeezed in, linked and hashed properly', async () => {
    await fill(25);
    shiftUpFrom(13);
    const payload = '{"action":"shred","parcel_id":555}';
    const prev = storedHash(12);
    const hash = new EntryHasher().hash(prev, 13, at(13).toISOString(), payload);
    tamper("INSERT INTO chain_entries (log, seq, created_at, payload, prev_hash, hash) VALUES ('shred', 13, ?, ?, ?, ?)", at(13).toISOString(), payload, prev, hash);
    expectBad(verify(), 'inserted', 13);
  });

  it('insert: a row added at the end without the chain', async () => {
    await fill(25);
    tamper("INSERT INTO chain_entries (log, seq, created_at, payload, prev_hash, hash) VALUES ('shred', 26, ?, '{}', zeroblob(32), zeroblob(32))", at(26).toISOString());
    expectBad(verify(), 'inserted', 26);
  });

  it('reorder: two rows swap places', async () => {
    await fill(25);
    tamper("UPDATE chain_entries SET seq = -1 WHERE log = 'shred' AND seq = 13");
    tamper("UPDATE chain_entries SET seq = 13 WHERE log = 'shred' AND seq = 14");
    tamper("UPDATE chain_entries SET seq = 14 WHERE log = 'shred' AND seq = -1");
    expectBad(verify(), 'reordered', 13);
  });

  it('reorder: two rows swap their contents', async () => {
    await fill(25);
    const a = station.db.prepare("SELECT created_at, payload FROM chain_entries WHERE log = 'shred' AND seq = 13").get() as { created_at: string; payload: string };
    const b = station.db.prepare("SELECT created_at, payload FROM chain_entries WHERE log = 'shred' AND seq = 17").get() as { created_at: string; payload: string };
    tamper("UPDATE chain_entries SET created_at = ?, payload = ? WHERE log = 'shred' AND seq = 13", b.created_at, b.payload);
    tamper("UPDATE chain_entries SET created_at = ?, payload = ? WHERE log = 'shred' AND seq = 17", a.created_at, a.payload);
    expectBad(verify(), 'reordered', 13);
  });

  it('an entry moved from one log to another breaks both', async () => {
    await fill(15, 'audit');
    await fill(5, 'shred');
    tamper("UPDATE chain_entries SET log = 'shred', seq = 6 WHERE log = 'audit' AND seq = 5");
    expectBad(verify('audit'), 'removed', 5);
    expectBad(verify('shred'), 'inserted', 6);
  });
});

describe('checkpoints', () => {
  const other = (): Station => newStation(dir, 'other.db').station;

  it('a forged signature on the latest checkpoint fails', async () => {
    await fill(25);
    const stranger = other();
    try {
      tamper("UPDATE chain_checkpoints SET signature = ? WHERE log = 'shred' AND seq = 20", loadSigningKey(stranger).sign('forged'));
    } finally {
      stranger.close();
    }
    expect(verify()).toMatchObject({ ok: false, problem: 'bad-signature', checkpointSeq: 20, firstBadSeq: 11 });
  });

  it('a forged signature on an earlier checkpoint fails through the checkpoint links', async () => {
    await fill(25);
    const sig = (station.db.prepare("SELECT signature FROM chain_checkpoints WHERE log = 'shred' AND seq = 10").get() as { signature: string }).signature;
    tamper("UPDATE chain_checkpoints SET signature = ? WHERE log = 'shred' AND seq = 10", sig.slice(0, -2) + (sig.endsWith('00') ? '01' : '00'));
    expect(verify()).toMatchObject({ ok: false, problem: 'bad-signature', checkpointSeq: 10, firstBadSeq: 1 });
  });

  it("a checkpoint made with another station's key fails", async () => {
    await fill(25);
    const stranger = other();
    try {
      // An attacker's own ChainLog over this store, signing with their key.
      const forged = new ChainLog(
        station.store,
        'shred',
        { storeId: station.storeId, signer: loadSigningKey(stranger), anchorFile: anchorPath(station.db) },
        { checkpointEvery: 10 },
      );
      await forged.checkpoint('export');
      expect(verify()).toMatchObject({ ok: false, problem: 'bad-signature', checkpointSeq: 25 });
      // Claiming the station's fingerprint does not help: the signature is still not the station's.
      tamper("UPDATE chain_checkpoints SET public_key_fingerprint = ? WHERE log = 'shred' AND seq = 25", loadSigningKey(station).fingerprint);
      expect(verify()).toMatchObject({ ok: false, problem: 'bad-signature', checkpointSeq: 25 });
    } finally {
      stranger.close();
    }
  });

  it("another store's checkpoints do not fit: the store id is bound in", async () => {
    await fill(5);
    tamper("UPDATE meta SET value = 'another-store' WHERE key = 'store_id'");
    expect(verify()).toMatchObject({ ok: false, problem: 'checkpoint-mismatch', firstBadSeq: 1 });
  });

  it('a deleted checkpoint is noticed, in the middle or at the end', async () => {
    await fill(25);
    tamper("DELETE FROM chain_checkpoints WHERE log = 'shred' AND seq = 10");
    expect(verify()).toMatchObject({ ok: false, problem: 'checkpoint-missing', checkpointSeq: 10 });
    tamper("DELETE FROM chain_checkpoints WHERE log = 'shred' AND seq = 20");
    expect(verify()).toMatchObject({ ok: false, problem: 'checkpoint-missing', firstBadSeq: 1 });
    tamper("DELETE FROM chain_checkpoints WHERE log = 'shred'");
    expect(verify()).toMatchObject({ ok: false, problem: 'checkpoint-missing', firstBadSeq: 1 });
  });

  it('allSignatures checks each signature, not only the links', async () => {
    await fill(25);
    expect(verifyChain(station.db, 'shred', loadSigningKey(station).publicKey, { allSignatures: true }).ok).toBe(true);
  });

  it('an edit inside the unsigned tail stops the next checkpoint instead of being signed', async () => {
    const chain = await fill(25);
    tamper(`UPDATE chain_entries SET payload = '{"action":"shred","parcel_id":999}' WHERE log = 'shred' AND seq = 23`);
    for (let i = 26; i < 29; i++) await chain.append({ action: 'shred', parcel_id: i }, at(i));
    await expect(chain.checkpoint('export')).rejects.toThrow(AppError);
    await expect(chain.append({ action: 'shred', parcel_id: 29 }, at(29))).resolves.toBeDefined();
    await expect(chain.append({ action: 'shred', parcel_id: 30 }, at(30))).rejects.toThrow(/TAMPERED|篡改/);
    expect((await chain.head()).seq).toBe(29);
  });
});

describe('several logs', () => {
  it('verify covers every log, each on its own', async () => {
    await fill(12, 'audit');
    await fill(15, 'shred');
    const pub = loadSigningKey(station).publicKey;
    expect(verifyAllChains(station.db, pub)).toMatchObject({ ok: true, results: [{ log: 'audit', ok: true }, { log: 'shred', ok: true }] });
    tamper(`UPDATE chain_entries SET payload = '{}' WHERE log = 'shred' AND seq = 4`);
    const all = verifyAllChains(station.db, pub, { logs: ['audit', 'shred', 'unused'] });
    expect(all.ok).toBe(false);
    expect(all.results).toMatchObject([
      { log: 'audit', ok: true, entries: 12 },
      { log: 'shred', ok: false, problem: 'changed', firstBadSeq: 4 },
      { log: 'unused', ok: true, entries: 0 },
    ]);
  });
});

describe('parallel verification', () => {
  // 8 chunks of 16 384: the calling thread and a worker share them.
  const N = 120_000;

  async function bigLog() {
    const chain = openChainLog(station, 'audit', { checkpointEvery: 50_000 });
    await station.store.transaction(async (tx) => {
      for (let i = 1; i <= N; i++) await chain.append(tx, { action: 'login', user_id: i % 17 }, new Date(T0 + i));
    });
    return alone(chain);
  }

  it('agrees with the single-threaded pass, and finds a break in any chunk or at a seam', async () => {
    expect(canVerifyInParallel()).toBe(true);
    const chain = await bigLog();
    const pub = loadSigningKey(station).publicKey;
    const parallel = await verifyChainAsync(station.db, 'audit', pub, { threads: 2 });
    expect(parallel).toEqual(verifyChain(station.db, 'audit', pub));
    expect(parallel).toMatchObject({ ok: true, entries: N, checkpoints: 3, signedSeq: 100_000 });
    expect(parallel.ok && hex(parallel.head.hash)).toBe(hex((await chain.head()).hash));

    tamper(`UPDATE chain_entries SET payload = '{}' WHERE log = 'audit' AND seq = 70000`);
    expect(await verifyChainAsync(station.db, 'audit', pub, { threads: 2 })).toMatchObject({ ok: false, problem: 'changed', firstBadSeq: 70_000 });
    // The first entry of the fifth chunk: only the seam check between chunks can see it.
    tamper("DELETE FROM chain_entries WHERE log = 'audit' AND seq = 65537");
    expect(await verifyChainAsync(station.db, 'audit', pub, { threads: 2 })).toMatchObject({ ok: false, problem: 'removed', firstBadSeq: 65_537 });
    // Each chunk is read in blobs of 8192 entries: the seam between the first two, from either side.
    tamper("DELETE FROM chain_entries WHERE log = 'audit' AND seq = 8193");
    expect(verifyChain(station.db, 'audit', pub)).toMatchObject({ ok: false, problem: 'removed', firstBadSeq: 8193 });
    tamper(`UPDATE chain_entries SET payload = '{}' WHERE log = 'audit' AND seq = 8192`);
    expect(await verifyChainAsync(station.db, 'audit', pub, { threads: 2 })).toMatchObject({ ok: false, problem: 'changed', firstBadSeq: 8192 });
  });

  it('the bench baseline reads every entry the way verify does', async () => {
    await bigLog();
    expect(readRange(station.db, 'audit', 1, N)).toBe(N);
    expect(readRange(station.db, 'audit', 100, 20_099)).toBe(20_000);
  });
});
