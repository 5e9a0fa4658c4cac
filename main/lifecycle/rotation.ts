// Rotating the data key, and changing the passphrase.
//
// A rotation draws a new root key and stores it wrapped by the same
// passphrase KEK as `root_key.next`, beside the current one; from then on
// both generations unlock (station.ts) and open (the envelope header names
// its generation), and new values are sealed under the new one. Every sealed
// column (sealed-columns.ts) is then re-encrypted in batches, each its own
// transaction with its cursor, so an interrupted rotation resumes where it
// stopped. Blind indexes under the new key are computed alongside into
// rotation_bidx. Only when every row is done does one transaction catch up
// on rows written meanwhile, re-seal the chain signing key, swap in the new
// blind indexes and make the new root the only one. No value is ever
// readable by neither key: each row changes atomically, and the old key is
// kept until no row needs it.
//
// A passphrase change re-wraps the root key(s) under a new KEK; nothing is
// re-encrypted.
import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { RotationProgress } from '../../shared/ipc/lifecycle';
import { phoneTail } from '../../shared/phone';
import { open, seal, type EnvelopeKeys } from '../crypto/envelope';
import { deriveKek, type KdfParams } from '../crypto/kdf';
import type { KeyProtector } from '../crypto/key-protector';
import { newRootKey, StationKeys, unwrapRootKey, wrapRootKey } from '../crypto/keyring';
import { openOptOutPhone, rekeyOptOuts, sealOptOutPhone } from '../notify/opt-outs';
import type { Db } from '../store/database';
import type { Queryable, Store } from '../store/engine/store';
import { ROW_MAC_ARGS } from '../store/parcel-integrity';
import { sqliteParcelRows } from '../store/parcel-writer';
import { SIGNING_PRIVATE_KEY } from '../store/signing-key-pair';
import { rowIntact, rowMac, ROW_MAC_COLUMNS, toRowCheck, type RowWithMac } from '../store/row-mac';
import { deleteMeta, readMeta, readStoreMeta, setMeta, writeStoreMeta } from '../store/meta';
import { embeddedDb, MIN_PASSPHRASE_LENGTH, type Station } from '../store/station';
import { SEALED_COLUMNS, sealedContext, sealedTables, type SealedColumn } from './sealed-columns';

export const ROTATION_BATCH = 500;
const LATE_INSERT_TRIGGER = 'pc_rotation_late_insert';

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));
const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const decoder = new TextDecoder();

/** Generation 0 marks KEK-wrapped keys; field generations run 1…255 and wrap. */
const nextGeneration = (g: number): number => (g >= 255 ? 1 : g + 1);

function kekOf(meta: ReadonlyMap<string, string>, passphrase: string): { kdf: KdfParams; kek: Uint8Array; root: Uint8Array; next: Uint8Array | null } {
  const kdf = JSON.parse(meta.get('kdf') ?? 'null') as KdfParams | null;
  const wrapped = meta.get('root_key.passphrase');
  if (!kdf || !wrapped) throw new AppError('NOT_A_STORE');
  const kek = deriveKek(passphrase, kdf);
  const root = unwrapRootKey(unb64(wrapped), kek);
  const wrappedNext = meta.get('root_key.next');
  return { kdf, kek, root, next: wrappedNext ? unwrapRootKey(unb64(wrappedNext), kek) : null };
}

/** The number as stored (`digits` or `digits-ext`) → its blind indexes under `keys`. */
function indexesOf(keys: StationKeys, phoneStored: string): [Uint8Array, Uint8Array] {
  const digits = phoneStored.split('-')[0];
  return [keys.phoneBlindIndex(digits), keys.tailBlindIndex(phoneTail({ digits, ext: null }))];
}

export interface RotationRunOptions {
  onProgress?: (done: number, total: number) => void;
  /** Checked between batches: a closing station stops here; the rotation resumes at the next unlock. */
  shouldStop?: () => boolean;
}

/** For erasure: a parcel's blind indexes computed under a rotation's new key go too. */
export async function dropPendingIndex(tx: Queryable, parcelId: number): Promise<void> {
  await tx.run('DELETE FROM rotation_bidx WHERE parcel_id = ?', parcelId);
}

export class KeyRotation {
  constructor(
    private readonly station: Station,
    private readonly protector?: KeyProtector,
  ) {}

  private get db(): Db {
    return embeddedDb(this.station);
  }

  inProgress(): boolean {
    return this.station.keys.next !== null;
  }

  /**
   * Starts a rotation with a new root key, wrapped by the KEK of `passphrase`
   * (which must be the station's). With one already under way, only checks
   * the passphrase: `run` resumes it.
   */
  begin(passphrase: string): number {
    const { db } = this;
    const { keys } = this.station;
    const { kek, root, next } = kekOf(readMeta(db), passphrase);
    root.fill(0);
    next?.fill(0);
    if (keys.next) return keys.next.field.generation;
    const generation = nextGeneration(keys.field.generation);
    const fresh = newRootKey();
    db.transaction(() => {
      setMeta(db, 'root_key.next', b64(wrapRootKey(fresh, kek)));
      setMeta(db, 'key_generation.next', String(generation));
      if (this.protector?.isAvailable()) setMeta(db, 'root_key.os.next', b64(this.protector.protect(fresh)));
      db.prepare('DELETE FROM rotation_cursor').run();
      db.prepare('DELETE FROM rotation_bidx').run();
    })();
    keys.beginRotation(new StationKeys(fresh, generation));
    fresh.fill(0);
    return generation;
  }

  /** Rows re-encrypted so far out of all rows of the sealed tables; null when no rotation runs. */
  progress(): RotationProgress | null {
    const next = this.station.keys.next;
    if (!next) return null;
    let done = 0;
    let total = 0;
    const cursor = this.db.prepare('SELECT after_id FROM rotation_cursor WHERE tbl = ?').pluck();
    for (const { table } of sealedTables()) {
      const after = (cursor.get(table) as number | undefined) ?? 0;
      done += this.db.prepare(`SELECT COUNT(*) FROM ${table} WHERE id <= ?`).pluck().get(after) as number;
      total += this.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    }
    return { generation: next.field.generation, done, total };
  }

  /**
   * Re-encrypts what is left, then swaps. Returns the finished rotation, or
   * null when none was under way or it was stopped (it resumes later).
   */
  async run(opts: RotationRunOptions = {}): Promise<(RotationProgress & { rows: number }) | null> {
    const { db } = this;
    const { keys } = this.station;
    if (!keys.next) return null;
    const start = this.progress()!;
    let done = start.done;
    opts.onProgress?.(done, start.total);
    const setCursor = db.prepare('INSERT INTO rotation_cursor (tbl, after_id) VALUES (?, ?) ON CONFLICT (tbl) DO UPDATE SET after_id = excluded.after_id');
    const getCursor = db.prepare('SELECT after_id FROM rotation_cursor WHERE tbl = ?').pluck();
    for (const { table, columns } of sealedTables()) {
      const select = db.prepare(`SELECT id, ${columns.map((c) => c.column).join(', ')} FROM ${table} WHERE id > ? ORDER BY id LIMIT ${ROTATION_BATCH}`);
      const update = db.prepare(`UPDATE ${table} SET ${columns.map((c) => `${c.column} = ?`).join(', ')} WHERE id = ?`);
      for (;;) {
        if (opts.shouldStop?.()) return null;
        const n = db
          .transaction(() => {
            const rows = select.all((getCursor.get(table) as number | undefined) ?? 0) as Record<string, unknown>[];
            for (const r of rows) this.rotateRow(table, columns, r, update);
            if (rows.length) setCursor.run(table, rows[rows.length - 1].id);
            return rows.length;
          })
          .immediate();
        done += n;
        opts.onProgress?.(done, start.total);
        if (n < ROTATION_BATCH) break;
        await nextTick();
      }
    }
    if (opts.shouldStop?.()) return null;
    const rows = this.swap();
    return { generation: keys.field.generation, done, total: start.total, rows };
  }

  /** Re-seals one row's values under the new generation; a parcel's new blind indexes go to rotation_bidx. */
  private rotateRow(table: string, columns: readonly SealedColumn[], r: Record<string, unknown>, update: { run(...args: unknown[]): unknown }): void {
    const id = r.id as number;
    const intact = table === 'parcels' && this.parcelIntact(id);
    let changed = false;
    const values = columns.map((c) => {
      const blob = r[c.column] as Uint8Array | null;
      const resealed = this.reseal(blob, sealedContext(c, id));
      changed ||= resealed !== blob;
      return resealed;
    });
    if (changed) update.run(...values, id);
    // Every intact parcel row, erased ones too, moves to the new generation's row MAC.
    if (intact) this.remac(id);
    if (table === 'parcels' && r.phone_ct) this.pendIndexes(id, r.phone_ct as Uint8Array);
  }

  private parcelRow(id: number): RowWithMac {
    return this.db.prepare(`SELECT id, ${ROW_MAC_COLUMNS} FROM parcels WHERE id = ?`).get(id) as RowWithMac;
  }

  private parcelIntact(id: number): boolean {
    return rowIntact(this.station.keys.rowMac, toRowCheck(this.parcelRow(id)));
  }

  private remac(id: number): void {
    sqliteParcelRows.remac(this.db, id);
  }

  private reseal(blob: Uint8Array | null, context: string): Uint8Array | null {
    const field = this.station.keys.field;
    // Empty: label bytes erased by retention. Already new: written since the rotation began.
    if (!blob || blob.length === 0 || blob[1] === field.generation) return blob;
    return seal(field, open(field, blob, context), context);
  }

  /** The new blind indexes, and the row MAC over them that replaces the live one at the swap (none for a failing row). */
  private pendIndexes(id: number, phoneCt: Uint8Array): void {
    const keys = this.station.keys;
    const phone = decoder.decode(open(keys.field, phoneCt, `parcels.phone#${id}`));
    const [phoneBidx, tailBidx] = indexesOf(keys.next!, phone);
    const row = this.parcelRow(id);
    const mac = rowIntact(keys.rowMac, toRowCheck(row)) ? rowMac(keys.rowMac, { ...row, phone_bidx: phoneBidx, tail_bidx: tailBidx }) : null;
    this.db
      .prepare('INSERT OR REPLACE INTO rotation_bidx (parcel_id, phone_bidx, tail_bidx, row_mac) VALUES (?, ?, ?, ?)')
      .run(id, phoneBidx, tailBidx, mac);
  }

  /**
   * One transaction: catch up on rows sealed under the old generation after
   * their batch (e.g. by an import whose encryption began before the
   * rotation) and on parcels with no pending index yet, re-seal the signing
   * key, swap the blind indexes and the root key. Returns the rows caught up.
   */
  private swap(): number {
    const { db } = this;
    const { keys } = this.station;
    const next = keys.next!;
    const oldField = keys.field.previous!;
    const stale = new Uint8Array([oldField.generation]);
    const caughtUp = db
      .transaction(() => {
        let rows = 0;
        for (const c of SEALED_COLUMNS) {
          const late = db.prepare(`SELECT id, ${c.column} AS blob FROM ${c.table} WHERE length(${c.column}) > 1 AND substr(${c.column}, 2, 1) = ?`).all(stale) as {
            id: number;
            blob: Uint8Array;
          }[];
          const update = db.prepare(`UPDATE ${c.table} SET ${c.column} = ? WHERE id = ?`);
          for (const r of late) {
            const intact = c.table === 'parcels' && this.parcelIntact(r.id);
            update.run(this.reseal(r.blob, sealedContext(c, r.id)), r.id);
            if (intact) this.remac(r.id);
          }
          rows += late.length;
        }
        const unindexed = db
          .prepare('SELECT id, phone_ct FROM parcels WHERE phone_bidx IS NOT NULL AND phone_ct IS NOT NULL AND id NOT IN (SELECT parcel_id FROM rotation_bidx)')
          .all() as { id: number; phone_ct: Uint8Array }[];
        for (const r of unindexed) this.pendIndexes(r.id, r.phone_ct);
        rows += unindexed.length;
        this.reindexOptOuts();

        const meta = readMeta(db);
        const signing = meta.get(SIGNING_PRIVATE_KEY.meta);
        if (signing) setMeta(db, SIGNING_PRIVATE_KEY.meta, b64(this.reseal(unb64(signing), SIGNING_PRIVATE_KEY.context)!));
        sqliteParcelRows.applyRotatedIndexes(db);
        db.prepare('DELETE FROM rotation_bidx').run();
        db.prepare('DELETE FROM rotation_cursor').run();
        setMeta(db, 'root_key.passphrase', meta.get('root_key.next')!);
        setMeta(db, 'key_generation', String(next.field.generation));
        // The OS-held copy of the old root goes too; the new one replaces it when the keystore has it.
        const osNext = meta.get('root_key.os.next');
        if (osNext) setMeta(db, 'root_key.os', osNext);
        else deleteMeta(db, 'root_key.os');
        deleteMeta(db, 'root_key.next', 'key_generation.next', 'root_key.os.next');
        return rows;
      })
      .immediate();
    keys.completeRotation();
    this.guardLateInserts(oldField);
    return caughtUp;
  }

  /**
   * Opt-outs are looked up by blind index, so each gets its index under the
   * new key, from its sealed number; one kept from before numbers were sealed
   * beside it learns its number from a parcel still carrying its old index.
   * Runs in the swap's transaction, before the parcels' indexes change.
   */
  private reindexOptOuts(): void {
    const { db } = this;
    const { keys } = this.station;
    const parcelOf = db.prepare('SELECT id, phone_ct FROM parcels WHERE phone_bidx = ? AND phone_ct IS NOT NULL LIMIT 1');
    rekeyOptOuts(db, (r) => {
      let digits: string;
      if (r.phoneCt) digits = openOptOutPhone(keys.field, r.id, r.phoneCt);
      else {
        const p = parcelOf.get(r.phoneBidx) as { id: number; phone_ct: Uint8Array } | undefined;
        // No parcel of that number is left to learn it from: the row can only stay as it is.
        if (!p) return null;
        digits = decoder.decode(open(keys.field, p.phone_ct, `parcels.phone#${p.id}`)).split('-')[0];
      }
      return { phoneBidx: keys.next!.phoneBlindIndex(digits), phoneCt: r.phoneCt ?? sealOptOutPhone(keys.field, r.id, digits) };
    });
  }

  /**
   * An import seals its rows before it writes them, yielding in between, and
   * reserves their ids first. Rows it writes after the swap, with ids reserved
   * before it, may carry the old generation or old blind indexes; a
   * connection-local trigger brings each such row onto the new key as it is
   * inserted, with the old key kept in memory only for that.
   */
  private guardLateInserts(oldField: EnvelopeKeys): void {
    const { db } = this;
    const { keys } = this.station;
    const below = db.prepare("SELECT next_id FROM id_allocator WHERE name = 'parcels'").pluck().get() as number;
    const both = (): EnvelopeKeys => ({ ...keys.field, previous: oldField });
    db.function('pc_rotation_reseal', (blob: unknown, context: unknown) => {
      if (!(blob instanceof Uint8Array) || blob[1] === keys.field.generation) return blob;
      return seal(keys.field, open(both(), blob, context as string), context as string);
    });
    db.function('pc_rotation_index', (phoneCt: unknown, id: unknown, which: unknown) => {
      const phone = decoder.decode(open(both(), phoneCt as Uint8Array, `parcels.phone#${id as number}`));
      return indexesOf(keys, phone)[which === 'tail' ? 1 : 0];
    });
    const parcelColumns = SEALED_COLUMNS.filter((c) => c.table === 'parcels');
    db.exec(`DROP TRIGGER IF EXISTS temp.${LATE_INSERT_TRIGGER}`);
    db.exec(
      `CREATE TEMP TRIGGER ${LATE_INSERT_TRIGGER} AFTER INSERT ON main.parcels WHEN NEW.id < ${below} AND NEW.phone_ct IS NOT NULL
       BEGIN
         UPDATE main.parcels SET
           ${parcelColumns.map((c) => `${c.column} = pc_rotation_reseal(NEW.${c.column}, '${c.context}#' || NEW.id)`).join(', ')},
           phone_bidx = pc_rotation_index(NEW.phone_ct, NEW.id, 'phone'),
           tail_bidx = pc_rotation_index(NEW.phone_ct, NEW.id, 'tail')
         WHERE id = NEW.id;
         UPDATE main.parcels SET row_mac = pc_row_mac(${ROW_MAC_ARGS}) WHERE id = NEW.id;
       END`,
    );
  }
}

/**
 * Re-wraps the root key (and a rotation's next key) under a new passphrase,
 * with a fresh salt and the same scrypt cost. WRONG_PASSPHRASE, with nothing
 * changed, when `current` is not the station's passphrase.
 */
export async function changePassphrase(store: Store, current: string, next: string): Promise<void> {
  if (next.length < MIN_PASSPHRASE_LENGTH) throw new AppError('WEAK_PASSPHRASE');
  // Read and rewritten in one transaction: on a server another counter may be changing it too.
  await store.transaction(async (tx) => {
    const { kdf, root, next: nextRoot } = kekOf(await readStoreMeta(tx), current);
    try {
      const fresh: KdfParams = { ...kdf, salt: b64(randomBytes(16)) };
      const kek = deriveKek(next, fresh);
      const rows: [string, string][] = [
        ['kdf', JSON.stringify(fresh)],
        ['root_key.passphrase', b64(wrapRootKey(root, kek))],
      ];
      if (nextRoot) rows.push(['root_key.next', b64(wrapRootKey(nextRoot, kek))]);
      await writeStoreMeta(tx, rows);
    } finally {
      root.fill(0);
      nextRoot?.fill(0);
    }
  });
}
