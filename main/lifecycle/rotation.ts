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
// All of it goes through the store interface, so it runs on either engine;
// on a server the counter that rotates does the sealing and the row MACs,
// and every other counter's writes are checked against the store's key
// generations (station.ts, keyGenerationCheck).
//
// A passphrase change re-wraps the root key(s) under a new KEK; nothing is
// re-encrypted.
import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { RotationProgress } from '../../shared/ipc/lifecycle';
import { phoneTail } from '../../shared/phone';
import { open, seal } from '../crypto/envelope';
import { deriveKek, type KdfParams } from '../crypto/kdf';
import type { KeyProtector } from '../crypto/key-protector';
import { newRootKey, StationKeys, unwrapRootKey, wrapRootKey } from '../crypto/keyring';
import { openOptOutPhone, rekeyOptOuts, sealOptOutPhone } from '../notify/opt-outs';
import { blobUpdateSql } from '../store/engine/bulk-rows';
import type { Queryable, SqlValue, Store, Tx } from '../store/engine/store';
import { deleteStoreMeta, deleteStoreMetaFamily, readStoreMeta, writeStoreMeta } from '../store/meta';
import { rotatedParcels } from '../store/parcel-writer';
import { rowIntact, rowMac, ROW_MAC_COLUMNS, toRowCheck, type RowWithMac } from '../store/row-mac';
import { SIGNING_PRIVATE_KEY } from '../store/signing-key-pair';
import { MIN_PASSPHRASE_LENGTH, OS_COPY_PREFIX, osCopyKeys, type Station } from '../store/station';
import { sealedContext, sealedTables, type SealedColumn } from './sealed-columns';

export const ROTATION_BATCH = 500;
const OS_NEXT_PREFIX = osCopyKeys('').next;

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));
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

/** Whether any of `columns` holds a value sealed under `generation` (its envelope's second byte). */
const sealedUnder = (columns: readonly SealedColumn[]): string => columns.map((c) => `(length(${c.column}) > 1 AND substr(${c.column}, 2, 1) = ?)`).join(' OR ');

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
    /** Whose OS-keystore copy of the new root key this counter keeps (station.ts, osCopyKeys). */
    private readonly workstation = '',
  ) {}

  private get store(): Store {
    return this.station.store;
  }

  inProgress(): boolean {
    return this.station.keys.next !== null;
  }

  /**
   * Starts a rotation with a new root key, wrapped by the KEK of `passphrase`
   * (which must be the station's). With one already under way, here or begun
   * by another counter of a server store, only checks the passphrase and
   * takes up its next key: `run` resumes it.
   */
  async begin(passphrase: string): Promise<number> {
    const { keys } = this.station;
    const meta = await readStoreMeta(this.store);
    const { kek, root, next } = kekOf(meta, passphrase);
    root.fill(0);
    if (next) {
      if (!keys.next) keys.beginRotation(new StationKeys(next, Number(meta.get('key_generation.next'))));
      next.fill(0);
      return keys.next!.field.generation;
    }
    const generation = nextGeneration(keys.field.generation);
    const fresh = newRootKey();
    const os = osCopyKeys(this.workstation);
    try {
      await this.store.transaction(async (tx) => {
        const rows: [string, string][] = [
          ['root_key.next', b64(wrapRootKey(fresh, kek))],
          ['key_generation.next', String(generation)],
        ];
        if (this.protector?.isAvailable()) rows.push([os.next, b64(this.protector.protect(fresh))]);
        await writeStoreMeta(tx, rows);
        await tx.run('DELETE FROM rotation_cursor');
        await tx.run('DELETE FROM rotation_bidx');
        // Inside the transaction: this counter's next write, checked against the store's generations (station.ts), holds the new key.
        keys.beginRotation(new StationKeys(fresh, generation));
      });
    } catch (e) {
      keys.abandonRotation();
      throw e;
    } finally {
      fresh.fill(0);
    }
    return generation;
  }

  /** Rows re-encrypted so far out of all rows of the sealed tables; null when no rotation runs. */
  async progress(): Promise<RotationProgress | null> {
    const next = this.station.keys.next;
    if (!next) return null;
    let done = 0;
    let total = 0;
    for (const { table } of sealedTables()) {
      const after = (await this.store.value<number>('SELECT after_id FROM rotation_cursor WHERE tbl = ?', table)) ?? 0;
      done += (await this.store.value<number>(`SELECT COUNT(*) FROM ${table} WHERE id <= ?`, after)) ?? 0;
      total += (await this.store.value<number>(`SELECT COUNT(*) FROM ${table}`)) ?? 0;
    }
    return { generation: next.field.generation, done, total };
  }

  /**
   * Re-encrypts what is left, then swaps. Returns the finished rotation, or
   * null when none was under way or it was stopped (it resumes later).
   */
  async run(opts: RotationRunOptions = {}): Promise<(RotationProgress & { rows: number }) | null> {
    const { keys } = this.station;
    const start = await this.progress();
    if (!start) return null;
    let done = start.done;
    opts.onProgress?.(done, start.total);
    for (const { table, columns } of sealedTables()) {
      const select = `SELECT id, ${table === 'parcels' ? ROW_MAC_COLUMNS : columns.map((c) => c.column).join(', ')} FROM ${table} WHERE id > ? ORDER BY id LIMIT ${ROTATION_BATCH}`;
      for (;;) {
        if (opts.shouldStop?.()) return null;
        const n = await this.store.transaction(async (tx) => {
          // On a server another counter may have finished it meanwhile (its BEGIN found out, station.ts): nothing left.
          if (!keys.next) return 0;
          const after = (await tx.value<number>('SELECT after_id FROM rotation_cursor WHERE tbl = ?', table)) ?? 0;
          const rows = await tx.all<Record<string, unknown>>(select, after);
          await this.rotateRows(tx, table, columns, rows);
          if (rows.length) {
            await tx.run(
              'INSERT INTO rotation_cursor (tbl, after_id) VALUES (?, ?) ON CONFLICT (tbl) DO UPDATE SET after_id = excluded.after_id',
              table,
              Number(rows[rows.length - 1].id),
            );
          }
          return rows.length;
        });
        done += n;
        opts.onProgress?.(done, start.total);
        if (n < ROTATION_BATCH) break;
      }
    }
    if (opts.shouldStop?.()) return null;
    const rows = await this.swap();
    return { generation: keys.field.generation, done, total: start.total, rows };
  }

  /**
   * Re-seals rows' values under the new generation; a parcel also gets a row
   * MAC over them (only if it was intact: a damaged row stays damaged, erased
   * ones move too) and its new blind indexes go to rotation_bidx. Computed
   * here, then written a few statements for the whole batch: on a server
   * each statement is a round trip.
   */
  private async rotateRows(tx: Tx, table: string, columns: readonly SealedColumn[], rows: readonly Record<string, unknown>[]): Promise<void> {
    const { keys } = this.station;
    const names = columns.map((c) => c.column);
    const updates: SqlValue[][] = [];
    const pending: SqlValue[][] = [];
    for (const r of rows) {
      const id = Number(r.id);
      const opened = columns.map((c) => this.resealOpened(r[c.column] as Uint8Array | null, sealedContext(c, id)));
      const values = opened.map((o) => o.blob);
      const changed = values.some((v, i) => v !== r[names[i]]);
      if (table !== 'parcels') {
        if (changed) updates.push([id, ...values]);
        continue;
      }
      const row: RowWithMac = { ...(r as unknown as RowWithMac), id };
      const intact = rowIntact(keys.rowMac, toRowCheck(row));
      const now: RowWithMac = { ...row, ...Object.fromEntries(names.map((n, i) => [n, values[i]])) };
      if (intact) now.row_mac = rowMac(keys.rowMac, now);
      if (changed || intact) updates.push([id, ...values, now.row_mac]);
      if (now.phone_ct) pending.push(this.pendingIndexes(now, intact, opened[names.indexOf('phone_ct')].plain));
    }
    for (let i = 0; i < updates.length; i += ROTATION_BATCH) {
      const chunk = updates.slice(i, i + ROTATION_BATCH);
      if (table === 'parcels') await rotatedParcels.reseal(tx, names, chunk);
      else await tx.run(blobUpdateSql(tx.dialect, table, names, chunk.length), ...chunk.flat());
    }
    await this.pend(tx, pending);
  }

  private reseal(blob: Uint8Array | null, context: string): Uint8Array | null {
    return this.resealOpened(blob, context).blob;
  }

  /** As reseal, with the plaintext when the value had to be opened for it (so a parcel's phone is opened once per rotation). */
  private resealOpened(blob: Uint8Array | null, context: string): { blob: Uint8Array | null; plain: Uint8Array | null } {
    const field = this.station.keys.field;
    // Empty: label bytes erased by retention. Already new: written since the rotation began.
    if (!blob || blob.length === 0 || blob[1] === field.generation) return { blob, plain: null };
    const plain = open(field, blob, context);
    return { blob: seal(field, plain, context), plain };
  }

  /** A parcel's new blind indexes as it now is, and the row MAC over them that replaces the live one at the swap (none for a failing row). */
  private pendingIndexes(row: RowWithMac, intact: boolean, phoneOpened: Uint8Array | null = null): SqlValue[] {
    const keys = this.station.keys;
    const phone = decoder.decode(phoneOpened ?? open(keys.field, row.phone_ct!, `parcels.phone#${row.id}`));
    const [phoneBidx, tailBidx] = indexesOf(keys.next!, phone);
    const mac = intact ? rowMac(keys.rowMac, { ...row, phone_bidx: phoneBidx, tail_bidx: tailBidx }) : null;
    return [row.id, phoneBidx, tailBidx, mac];
  }

  /** Rows of rotation_bidx, written (or replaced) a batch per statement. */
  private async pend(tx: Tx, rows: readonly SqlValue[][]): Promise<void> {
    for (let i = 0; i < rows.length; i += ROTATION_BATCH) {
      const chunk = rows.slice(i, i + ROTATION_BATCH);
      await tx.run(
        `INSERT INTO rotation_bidx (parcel_id, phone_bidx, tail_bidx, row_mac) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}
         ON CONFLICT (parcel_id) DO UPDATE SET phone_bidx = excluded.phone_bidx, tail_bidx = excluded.tail_bidx, row_mac = excluded.row_mac`,
        ...chunk.flat(),
      );
    }
  }

  /**
   * One transaction: catch up on rows sealed under the old generation after
   * their batch (e.g. by an import whose encryption began before the
   * rotation) and on parcels with no pending index yet, re-seal the chain
   * signing key, swap the blind indexes and the root key. Returns the rows
   * caught up. The keys in memory move to the new generation inside it, so
   * no later transaction of this counter writes under the old one.
   */
  private async swap(): Promise<number> {
    const { keys } = this.station;
    let undo = (): void => {};
    try {
      return await this.store.transaction(async (tx) => {
        // Finished by another counter meanwhile, as above.
        if (!keys.next) return 0;
        const stale = new Uint8Array([keys.field.previous!.generation]);
        let rows = 0;
        for (const { table, columns } of sealedTables()) {
          const late = await tx.all<Record<string, unknown>>(
            `SELECT id, ${table === 'parcels' ? ROW_MAC_COLUMNS : columns.map((c) => c.column).join(', ')} FROM ${table} WHERE ${sealedUnder(columns)}`,
            ...columns.map(() => stale),
          );
          await this.rotateRows(tx, table, columns, late);
          rows += late.length;
        }
        const unindexed = await tx.all<RowWithMac>(
          `SELECT id, ${ROW_MAC_COLUMNS} FROM parcels WHERE phone_bidx IS NOT NULL AND phone_ct IS NOT NULL AND id NOT IN (SELECT parcel_id FROM rotation_bidx)`,
        );
        await this.pend(tx, unindexed.map((r) => this.pendingIndexes({ ...r, id: Number(r.id) }, rowIntact(keys.rowMac, toRowCheck(r)))));
        rows += unindexed.length;
        await this.reindexOptOuts(tx);

        const meta = await readStoreMeta(tx);
        const signing = meta.get(SIGNING_PRIVATE_KEY.meta);
        const swapped: [string, string][] = [
          ['root_key.passphrase', meta.get('root_key.next')!],
          ['key_generation', String(keys.next.field.generation)],
        ];
        if (signing) swapped.push([SIGNING_PRIVATE_KEY.meta, b64(this.reseal(unb64(signing), SIGNING_PRIVATE_KEY.context)!)]);
        await rotatedParcels.applyRotatedIndexes(tx);
        await tx.run('DELETE FROM rotation_bidx');
        await tx.run('DELETE FROM rotation_cursor');
        // Every OS-held copy of the old root goes; a counter that kept one of the new root keeps that instead.
        await deleteStoreMetaFamily(tx, OS_COPY_PREFIX);
        for (const [key, value] of meta) if (key.startsWith(OS_NEXT_PREFIX)) swapped.push([OS_COPY_PREFIX + key.slice(OS_NEXT_PREFIX.length), value]);
        await writeStoreMeta(tx, swapped);
        await deleteStoreMeta(tx, ['root_key.next', 'key_generation.next']);
        undo = keys.completeRotation();
        return rows;
      });
    } catch (e) {
      undo();
      throw e;
    }
  }

  /**
   * Opt-outs are looked up by blind index, so each gets its index under the
   * new key, from its sealed number; one kept from before numbers were sealed
   * beside it learns its number from a parcel still carrying its old index.
   * Runs in the swap's transaction, before the parcels' indexes change.
   */
  private async reindexOptOuts(tx: Tx): Promise<void> {
    const { keys } = this.station;
    await rekeyOptOuts(tx, async (r) => {
      let digits: string;
      if (r.phoneCt) digits = openOptOutPhone(keys.field, r.id, r.phoneCt);
      else {
        const p = await tx.get<{ id: number; phone_ct: Uint8Array }>('SELECT id, phone_ct FROM parcels WHERE phone_bidx = ? AND phone_ct IS NOT NULL LIMIT 1', r.phoneBidx);
        // No parcel of that number is left to learn it from: the row can only stay as it is.
        if (!p) return null;
        digits = decoder.decode(open(keys.field, p.phone_ct, `parcels.phone#${p.id}`)).split('-')[0];
      }
      return { phoneBidx: keys.next!.phoneBlindIndex(digits), phoneCt: r.phoneCt ?? sealOptOutPhone(keys.field, r.id, digits) };
    });
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
