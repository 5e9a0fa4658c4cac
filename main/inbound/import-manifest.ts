// Importing a manifest: parse, skip what is already stored, seal the new rows
// in chunks on every core and write them in one transaction, each chunk as
// soon as it is sealed (seal-pool.ts). Progress reaches the screen meanwhile.
// Re-importing the same file changes nothing.
import { createHash } from 'node:crypto';
import type { ImportReport } from '../../shared/import-report';
import type { EventPayloads } from '../../shared/ipc/contract';
import { generaliseItem } from '../../shared/mask';
import { ParcelWriter, reserveParcelIds } from '../store/parcels';
import type { Db } from '../store/database';
import type { Station } from '../store/station';
import { parseManifest, type ManifestRow } from './manifest';
import { SealPool, type SealOptions } from './seal-pool';

export type ImportProgress = Omit<EventPayloads['import.progress'], 'fileName'>;

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface ImportOptions {
  onProgress?: (p: ImportProgress) => void;
  now?: () => Date;
  /** Worker threads for sealing (tests force them on and off; default: by core count). */
  sealWorkers?: SealOptions['workers'];
}

const LOOKUP_BATCH = 5000;

/** "carrier waybill" of the rows already stored: one query per few thousand rows, not one per row. */
function storedWaybills(db: Db, rows: readonly ManifestRow[]): Set<string> {
  const query = db
    .prepare("SELECT carrier || ' ' || waybill_no FROM parcels WHERE waybill_no IN (SELECT value FROM json_each(?))")
    .pluck();
  const stored = new Set<string>();
  for (let i = 0; i < rows.length; i += LOOKUP_BATCH) {
    const waybills = JSON.stringify(rows.slice(i, i + LOOKUP_BATCH).map((r) => r.waybillNo));
    for (const key of query.iterate(waybills)) stored.add(key as string);
  }
  return stored;
}

export async function importManifest(
  station: Station,
  fileName: string,
  bytes: Uint8Array,
  { onProgress = () => {}, now = () => new Date(), sealWorkers }: ImportOptions = {},
): Promise<ImportReport> {
  const { db, keys } = station;
  onProgress({ phase: 'reading', done: 0, total: 0 });
  const parsed = parseManifest(bytes);

  const stored = storedWaybills(db, parsed.rows);
  const fresh = parsed.rows.filter((r) => !stored.has(`${r.carrier} ${r.waybillNo}`));
  let skipped = parsed.rows.length - fresh.length;

  const createdAt = now().toISOString();
  const firstId = fresh.length ? reserveParcelIds(db, fresh.length) : 0;
  const total = fresh.length;
  onProgress({ phase: 'encrypting', done: 0, total });
  const pool = await SealPool.start(
    keys,
    // Only the fields to seal go to the workers (not, e.g., the item description).
    fresh.map((r, i) => ({ id: firstId + i, fields: { name: r.name, phone: r.phone, address: r.address } })),
    { workers: sealWorkers },
  );
  try {
    if (!pool.parallel) {
      await pool.sealHere((done) => onProgress({ phase: 'encrypting', done, total }));
      onProgress({ phase: 'writing', done: total, total });
      await nextTick();
    }
    const writer = new ParcelWriter(db);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const imported = db.transaction(() => {
      const importId = db
        .prepare(
          'INSERT INTO imports (file_name, sha256, encoding, imported, skipped, errors, created_at) VALUES (?, ?, ?, 0, 0, ?, ?)',
        )
        .run(fileName, sha256, parsed.encoding, parsed.errors.length, createdAt).lastInsertRowid as number;
      let n = 0;
      for (let k = 0, i = 0; k < pool.chunks; k++) {
        for (const sealed of pool.take(k)) {
          const r = fresh[i];
          const added = writer.add({
            id: firstId + i,
            carrier: r.carrier,
            waybillNo: r.waybillNo,
            status: 'expected',
            itemCategory: generaliseItem(r.itemDesc),
            weightG: r.weightG,
            source: 'manifest',
            importId,
            createdAt,
            sealed,
          });
          // Another counter may have scanned a parcel in meanwhile: that one stays.
          if (added) n++;
          else skipped++;
          i++;
        }
        if (pool.parallel) onProgress({ phase: 'encrypting', done: i, total });
      }
      if (pool.parallel) onProgress({ phase: 'writing', done: total, total });
      // A re-import that added nothing leaves no trace in the store.
      if (n === 0) db.prepare('DELETE FROM imports WHERE id = ?').run(importId);
      else db.prepare('UPDATE imports SET imported = ?, skipped = ? WHERE id = ?').run(n, skipped, importId);
      return n;
    })();
    onProgress({ phase: 'done', done: total, total });
    return { imported, skipped, errors: parsed.errors, encoding: parsed.encoding };
  } finally {
    await pool.close();
  }
}
