// The parcels table: sealing personal fields on the way in and reading the
// masked projection on the way out. Full values are only opened by unmask
// paths (a later, permission-checked service), never by a lookup.
import { maskAddress, maskName, maskParsedPhone } from '../../shared/mask';
import type { Carrier, ItemCategory, MaskedParcel, ParcelStatus } from '../../shared/parcel';
import { phoneTail, type ParsedPhone } from '../../shared/phone';
import { openText, sealText } from '../crypto/envelope';
import type { FieldKeys, StationKeys } from '../crypto/keyring';
import { freshArray, type Allocate } from '../crypto/slab';
import type { Db } from './database';

export interface PersonalFields {
  name: string;
  phone: ParsedPhone;
  address: string;
}

export interface SealedFields {
  name_ct: Uint8Array;
  phone_ct: Uint8Array;
  address_ct: Uint8Array;
  masked_ct: Uint8Array;
  phone_bidx: Uint8Array;
  tail_bidx: Uint8Array;
}

interface MaskedProjection {
  name: string;
  phone: string;
  address: string;
}

const context = (column: string, id: number): string => `parcels.${column}#${id}`;

/** `allocate` gives the arrays the sealed values are written to (a slab when sealing in bulk). */
export function sealPersonalFields(keys: FieldKeys, id: number, f: PersonalFields, allocate: Allocate = freshArray): SealedFields {
  const masked: MaskedProjection = { name: maskName(f.name), phone: maskParsedPhone(f.phone), address: maskAddress(f.address) };
  const phoneStored = f.phone.ext ? `${f.phone.digits}-${f.phone.ext}` : f.phone.digits;
  return {
    name_ct: sealText(keys.field, f.name, context('name', id), allocate),
    phone_ct: sealText(keys.field, phoneStored, context('phone', id), allocate),
    address_ct: sealText(keys.field, f.address, context('address', id), allocate),
    masked_ct: sealText(keys.field, JSON.stringify(masked), context('masked', id), allocate),
    phone_bidx: keys.phoneBlindIndex(f.phone.digits, allocate),
    tail_bidx: keys.tailBlindIndex(phoneTail(f.phone), allocate),
  };
}

/** Reserves `count` consecutive parcel ids; gaps left by a failed import are harmless. */
export function reserveParcelIds(db: Db, count: number): number {
  const row = db
    .prepare("UPDATE id_allocator SET next_id = next_id + ? WHERE name = 'parcels' RETURNING next_id - ? AS first")
    .get(count, count) as { first: number };
  return row.first;
}

export interface NewParcel {
  id: number;
  carrier: Carrier;
  waybillNo: string;
  status: ParcelStatus;
  itemCategory: ItemCategory;
  weightG: number | null;
  source: 'manifest' | 'manual';
  importId: number | null;
  createdAt: string;
  sealed: SealedFields;
}

export class ParcelWriter {
  private readonly insert;
  constructor(db: Db) {
    // Positional parameters: binding by name costs a property lookup per column per row.
    this.insert = db.prepare(`
      INSERT INTO parcels (id, carrier, waybill_no, status, item_category, weight_g, name_ct, phone_ct, address_ct,
                           masked_ct, phone_bidx, tail_bidx, source, import_id, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (carrier, waybill_no) DO NOTHING`);
  }

  /** False when the carrier's waybill is already stored. */
  add(p: NewParcel): boolean {
    const s = p.sealed;
    return (
      this.insert.run(
        p.id, p.carrier, p.waybillNo, p.status, p.itemCategory, p.weightG,
        s.name_ct, s.phone_ct, s.address_ct, s.masked_ct, s.phone_bidx, s.tail_bidx,
        p.source, p.importId, p.createdAt,
      ).changes === 1
    );
  }
}

interface ParcelRow {
  id: number;
  carrier: Carrier;
  waybill_no: string;
  status: ParcelStatus;
  pickup_code: string | null;
  item_category: ItemCategory;
  masked_ct: Uint8Array | null;
}

const ERASED: MaskedProjection = { name: '', phone: '', address: '' };

export function toMaskedParcel(keys: StationKeys, row: ParcelRow): MaskedParcel {
  const m = row.masked_ct
    ? (JSON.parse(openText(keys.field, row.masked_ct, context('masked', row.id))) as MaskedProjection)
    : ERASED;
  return {
    waybillNo: row.waybill_no,
    carrier: row.carrier,
    pickupCode: row.pickup_code,
    status: row.status,
    name: m.name,
    phone: m.phone,
    address: m.address,
    item: row.item_category,
  };
}

/** The masked projection of one parcel by id (labels, follow-up screens). */
export function maskedParcelById(db: Db, keys: StationKeys, id: number): MaskedParcel | null {
  const row = db.prepare(`SELECT ${PARCEL_ROW_COLUMNS} FROM parcels WHERE id = ?`).get(id) as ParcelRow | undefined;
  return row ? toMaskedParcel(keys, row) : null;
}

export type PersonalField = 'name' | 'phone' | 'address';

/**
 * One full personal value, for the purpose-bound unmask path only. Null when
 * the parcel is unknown or its personal data has been erased.
 */
export function openPersonalField(db: Db, keys: StationKeys, id: number, field: PersonalField): string | null {
  const row = db.prepare(`SELECT ${field}_ct AS ct FROM parcels WHERE id = ?`).get(id) as { ct: Uint8Array | null } | undefined;
  return row?.ct ? openText(keys.field, row.ct, context(field, id)) : null;
}

export const PARCEL_ROW_COLUMNS = 'id, carrier, waybill_no, status, pickup_code, item_category, masked_ct';
export type { ParcelRow };
