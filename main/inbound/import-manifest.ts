// Importing a manifest, streamed: a first pass over the bytes settles the
// encoding (decode.ts); the second reads rows as they are decoded, seals them
// in chunks on every core (seal-pool.ts) and writes each chunk in its own short
// transaction, so the counter keeps serving between chunks and neither the
// file's rows nor their sealed values are held all at once. The rows stay
// invisible (store/pending-imports.ts) until one small transaction commits the
// import together with its audit entry; an import that fails or is killed
// part-way leaves nothing anyone sees. Re-importing the same file changes nothing.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { ImportReport } from '../../shared/import-report';
import type { EventPayloads } from '../../shared/ipc/contract';
import { generaliseItem } from '../../shared/mask';
import type { Queryable, Tx } from '../store/engine/store';
import { ParcelWriter, reserveParcelIds } from '../store/parcel-writer';
import { beginImport, commitImport, discardImports } from '../store/pending-imports';
import type { SealedFields } from '../store/parcels';
import { isEmbedded, type Station } from '../store/station';
import { EncodingSniffer, manifestDecoder } from './decode';
import { ManifestReader, rowError, type ManifestRow } from './manifest';
import { sealChunk, type SealRow } from './seal-chunk';
import { SEAL_CHUNK, SealPool, type SealOptions } from './seal-pool';

export type ImportProgress = Omit<EventPayloads['import.progress'], 'fileName'>;

/** The manifest's bytes in memory (from the app), or a file read as it is imported (CLI). */
export type ManifestSource = Uint8Array | { path: string };

export interface ImportOptions {
  onProgress?: (p: ImportProgress) => void;
  now?: () => Date;
  /** Worker threads for sealing (tests force them on and off; default: by core count). */
  sealWorkers?: SealOptions['workers'];
  /** Runs inside the transaction that commits the import (its audit entry): both commit, or neither. */
  onCommit?: (tx: Tx, report: ImportReport) => Promise<unknown>;
  /** Runs the commit's transaction (the application service's, which anchors the chains after it); default: the store's. */
  transaction?: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
}

const READ_CHUNK = 1 << 16;
/** Rows per write transaction: short enough that the counter never waits long for the connection. */
export const WRITE_SLICE = 250;
/** WAL pages between checkpoints while an import writes (64 MB of 4 KB pages). */
const IMPORT_CHECKPOINT_PAGES = 16_384;
/** Sealed chunks waiting to be written, at most: enough to keep every worker busy, little memory. */
const AHEAD = 4;

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function* chunksOf(source: ManifestSource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    for (let i = 0; i < source.length; i += READ_CHUNK) {
      // Bytes in memory come without waiting: give the counter its turn between slices.
      if (i > 0) await nextTick();
      yield source.subarray(i, i + READ_CHUNK);
    }
    return;
  }
  for await (const chunk of createReadStream(source.path, { highWaterMark: READ_CHUNK })) yield chunk as Buffer;
}

/** Only the file's own name is kept: a full path may name the PC's user (C:\Users\张三\…). */
export const manifestName = (fileName: string): string => basename(fileName.replaceAll('\\', '/'));

interface Stored {
  id: number;
  /** Null: stored by no import (e.g. a scan-in). */
  importId: number | null;
}

/** The waybills come as one JSON list: one statement text whatever their number, and one query per chunk. */
const STORED_BY = {
  sqlite: 'SELECT carrier, waybill_no, id, import_id AS importId FROM parcels WHERE waybill_no IN (SELECT value FROM json_each(?))',
  postgres: 'SELECT carrier, waybill_no, id, import_id AS "importId" FROM parcels WHERE waybill_no IN (SELECT json_array_elements_text(?::json))',
} as const;

/** The stored row of each of these carrier/waybill pairs that is stored. */
async function storedBy(q: Queryable, rows: readonly ManifestRow[]): Promise<Map<string, Stored>> {
  const waybills = JSON.stringify([...new Set(rows.map((r) => r.waybillNo))]);
  const found = await q.all<Stored & { carrier: string; waybill_no: string }>(STORED_BY[q.dialect], waybills);
  return new Map(found.map((f) => [`${f.carrier} ${f.waybill_no}`, { id: f.id, importId: f.importId }]));
}

const keyOf = (r: ManifestRow): string => `${r.carrier} ${r.waybillNo}`;

/** Only the fields to seal, with the ids reserved for the rows (not, e.g., the item description). */
const sealRows = (rows: readonly ManifestRow[], firstId: number): SealRow[] =>
  rows.map((r, i) => ({ id: firstId + i, carrier: r.carrier, waybillNo: r.waybillNo, fields: { name: r.name, phone: r.phone, address: r.address } }));

export async function importManifest(
  station: Station,
  fileName: string,
  source: ManifestSource,
  { onProgress = () => {}, now = () => new Date(), sealWorkers, onCommit, transaction }: ImportOptions = {},
): Promise<ImportReport> {
  const { store, keys } = station;
  // The WAL tuning below is the embedded engine's; a server has its own.
  const db = isEmbedded(station) ? station.db : null;
  const commitTransaction = transaction ?? (<T>(fn: (tx: Tx) => Promise<T>) => store.transaction(fn));
  onProgress({ phase: 'reading', done: 0, total: 0 });
  const sniffer = new EncodingSniffer();
  const sha256 = createHash('sha256');
  for await (const chunk of chunksOf(source)) {
    sniffer.push(chunk);
    sha256.update(chunk);
  }
  const { encoding } = sniffer;
  const total = Math.max(0, sniffer.records - 1);
  const createdAt = now().toISOString();

  const importId = await beginImport(store, { fileName: manifestName(fileName), sha256: sha256.digest('hex'), encoding, createdAt });
  // Ids for every data row, reserved before any is sealed: each sealed value binds its row's id.
  let nextId = total ? await store.transaction((tx) => reserveParcelIds(tx, total)) : 0;
  let idsLeft = total;
  /** The first of `n` reserved ids; more are reserved should the first count have been short (stray quotes, CR-only lines). */
  const takeIds = async (n: number): Promise<number> => {
    if (n > idsLeft) [nextId, idsLeft] = [await store.transaction((tx) => reserveParcelIds(tx, n)), n];
    idsLeft -= n;
    nextId += n;
    return nextId - n;
  };
  const pool = await SealPool.start(keys, total, { workers: sealWorkers });
  // The workers seal under the keys as they were when they started; this thread under the keys of the moment.
  const poolEpoch = keys.epoch;
  const writer = new ParcelWriter();
  const reader = new ManifestReader();
  let good = 0;
  let written = 0;

  /**
   * Writes a slice of a sealed chunk in its own transaction, one multi-row
   * INSERT; whether any row was refused as already stored. A key rotation
   * that began or swapped since the slice was sealed (`epoch`) may have left
   * its generation or blind indexes behind the store's: such a slice is
   * sealed again here, under the keys of the transaction that writes it.
   */
  const writeSlice = async (rows: readonly ManifestRow[], firstId: number, sealed: readonly SealedFields[], epoch: string): Promise<boolean> => {
    const parcels = rows.map((r, i) => ({
      id: firstId + i,
      carrier: r.carrier,
      waybillNo: r.waybillNo,
      status: 'expected' as const,
      itemCategory: generaliseItem(r.itemDesc),
      weightG: r.weightG,
      source: 'manifest' as const,
      importId,
      createdAt,
      sealed: sealed[i],
    }));
    // Rows that stay invisible until the import commits need not reach the disk
    // before then: the commit, durable, flushes them with itself.
    const write = async (tx: Tx): Promise<number> => {
      if (epoch !== keys.epoch) {
        const fresh = sealChunk(keys, sealRows(rows, firstId));
        parcels.forEach((p, i) => (p.sealed = fresh[i]));
      }
      return writer.addMany(tx, parcels);
    };
    return (await store.transaction(write, { durable: false })) < parcels.length;
  };
  const writeRows = async (rows: readonly ManifestRow[], firstId: number, sealed: readonly SealedFields[], epoch: string): Promise<void> => {
    let refused = false;
    for (let i = 0; i < rows.length; i += WRITE_SLICE) {
      if (await writeSlice(rows.slice(i, i + WRITE_SLICE), firstId + i, sealed.slice(i, i + WRITE_SLICE), epoch)) refused = true;
      // A counter request that arrived meanwhile is served before the next slice.
      await nextTick();
    }
    // Refused because stored meanwhile: by this import (listed twice), or by a scan-in (that one stays; skipped).
    if (refused) {
      const by = await storedBy(store, rows);
      rows.forEach((r, i) => {
        const stored = by.get(keyOf(r));
        if (stored && stored.id !== firstId + i && stored.importId === importId) duplicate(r);
      });
    }
    written += rows.length;
    onProgress({ phase: 'encrypting', done: Math.min(total, written + reader.errors.length), total });
  };
  const duplicate = (r: ManifestRow): void => {
    good--;
    reader.errors.push(rowError(r.row, 'DUPLICATE_IN_FILE'));
  };

  // Chunks are sealed side by side but written in file order, each in its own transaction.
  let queue: Promise<void> = Promise.resolve();
  const ahead: Promise<void>[] = [];
  let failed: { error: unknown } | null = null;
  const enqueue = async (rows: ManifestRow[]): Promise<void> => {
    // A write that failed ends the import: nothing more is read or sealed.
    if (failed) throw failed.error;
    good += rows.length;
    const stored = await storedBy(store, rows);
    const fresh = rows.filter((r) => {
      const s = stored.get(keyOf(r));
      if (!s) return true;
      if (s.importId === importId) duplicate(r);
      return false;
    });
    if (fresh.length === 0) return;
    const firstId = await takeIds(fresh.length);
    const epoch = pool.parallel ? poolEpoch : keys.epoch;
    const sealing = pool.seal(sealRows(fresh, firstId));
    queue = queue.then(async () => writeRows(fresh, firstId, await sealing, epoch));
    // This copy only bounds the chunks in flight and notes a failure, which `queue` also carries.
    ahead.push(queue.catch((error: unknown) => void (failed ??= { error })));
    while (ahead.length >= AHEAD) await ahead.shift();
  };
  let unsealed: ManifestRow[] = [];
  /** Hands on whole chunks of the rows read so far (and, at the end, the rest). */
  const flush = async (final: boolean): Promise<void> => {
    unsealed = unsealed.concat(reader.take());
    while (unsealed.length >= SEAL_CHUNK || (final && unsealed.length > 0)) await enqueue(unsealed.splice(0, SEAL_CHUNK));
  };

  // Each slice's commit rewrites the index pages it touched: checkpointing the
  // WAL after every few of them (the default) would copy the same pages over and
  // over. A larger WAL meanwhile; the usual size again once the import ends.
  const autoCheckpoint = db?.pragma('wal_autocheckpoint', { simple: true }) as number | undefined;
  db?.pragma(`wal_autocheckpoint = ${IMPORT_CHECKPOINT_PAGES}`);
  try {
    onProgress({ phase: 'encrypting', done: 0, total });
    const decoder = manifestDecoder(encoding);
    for await (const chunk of chunksOf(source)) {
      reader.push(decoder.decode(chunk));
      await flush(false);
    }
    reader.push(decoder.end());
    reader.end();
    await flush(true);
    await queue;
    onProgress({ phase: 'writing', done: total, total });
    await nextTick();
    const report = await commitTransaction(async (tx): Promise<ImportReport> => {
      const imported = Number(await tx.value('SELECT count(*) FROM parcels WHERE import_id = ?', importId));
      const errors = reader.errors.sort((a, b) => a.row - b.row);
      const result: ImportReport = { imported, skipped: good - imported, errors, encoding };
      await commitImport(tx, importId, { imported, skipped: result.skipped, errors: errors.length });
      await onCommit?.(tx, result);
      return result;
    });
    onProgress({ phase: 'done', done: total, total });
    return report;
  } catch (e) {
    await Promise.allSettled([queue]);
    // A store locked mid-import is cleaned up when it is next unlocked.
    if (!db || db.open) await store.transaction((tx) => discardImports(tx, [importId]));
    throw e;
  } finally {
    if (db?.open) db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
    await pool.close();
  }
}
