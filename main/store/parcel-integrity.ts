// Keeping and checking parcel row MACs in the store. An unlocked embedded
// station registers `pc_row_mac` on its connection for the key rotation's
// statements; everything both engines run (erasure included) computes MACs
// in TypeScript (row-mac.ts), re-MACing only a row that was intact before:
// a tampered row stays tampered.
import { authentic } from '../crypto/envelope';
import type { FieldKeys, RowMacKey } from '../crypto/keyring';
import type { Db } from './database';
import { deleteMeta, getMeta } from './meta';
import { parcelContext } from './parcels';
import { rowCheckColumns, rowIntact, rowMac, type RowCheck, type RowWithMac } from './row-mac';

/** The covered columns in the argument order of pc_row_mac. */
export const ROW_MAC_ARGS = 'id, carrier, waybill_no, phone_bidx, tail_bidx, name_ct, phone_ct, address_ct, masked_ct';

const BACKFILL_FLAG = 'parcels.row_mac';

type Blob = Uint8Array | null;

function rowOf(args: unknown[]): RowWithMac {
  const [id, carrier, waybillNo, phoneBidx, tailBidx, name, phone, address, masked, mac] = args;
  return {
    id: id as number,
    carrier: carrier as string,
    waybill_no: waybillNo as string,
    phone_bidx: phoneBidx as Blob,
    tail_bidx: tailBidx as Blob,
    name_ct: name as Blob,
    phone_ct: phone as Blob,
    address_ct: address as Blob,
    masked_ct: masked as Blob,
    row_mac: (mac ?? null) as Blob,
  };
}

/** `keys.rowMac` is read on each call, so the functions follow a key rotation. */
export function registerRowMacFunctions(db: Db, keys: { readonly rowMac: RowMacKey }): void {
  db.function('pc_row_mac', { varargs: true }, (...args: unknown[]) => rowMac(keys.rowMac, rowOf(args)));
}

export function rowMacBackfillPending(db: Db): boolean {
  return getMeta(db, BACKFILL_FLAG) === 'backfill';
}

export function clearRowMacBackfill(db: Db): void {
  deleteMeta(db, BACKFILL_FLAG);
}

export interface ParcelScan {
  rows: number;
  /** Ids of the rows failing their MAC, in id order. */
  damaged: number[];
}

const SEALED = ['name', 'phone', 'address', 'masked'] as const;

type ScannedRow = RowCheck & Record<`${(typeof SEALED)[number]}_ct`, Uint8Array | null>;

/** A row passes when its row MAC and the MAC of each of its sealed values verify. */
function rowSound(keys: FieldKeys, row: ScannedRow): boolean {
  if (!rowIntact(keys.rowMac, row)) return false;
  return SEALED.every((c) => {
    const blob = row[`${c}_ct`];
    return !blob || authentic(keys.field, blob, parcelContext(c, row.id));
  });
}

/** Every parcel row against its MACs (verify --store); nothing is decrypted. */
export function scanParcelRows(db: Db, keys: FieldKeys): ParcelScan {
  let rows = 0;
  const damaged: number[] = [];
  const select = db.prepare(`SELECT id, ${rowCheckColumns()}, name_ct, phone_ct, address_ct, masked_ct FROM parcels ORDER BY id`);
  for (const row of select.iterate() as IterableIterator<ScannedRow>) {
    rows++;
    if (!rowSound(keys, row)) damaged.push(row.id);
  }
  return { rows, damaged };
}
