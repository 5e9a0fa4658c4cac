// The parcels table: sealing personal fields on the way in and reading the
// masked projection on the way out. Full values are only opened by unmask
// paths (a later, permission-checked service), never by a lookup.
import { maskAddress, maskName, maskParsedPhone } from '../../shared/mask';
import { AppError } from '../../shared/errors';
import type { Carrier, ItemCategory, MaskedParcel, ParcelStatus } from '../../shared/parcel';
import { phoneTail, type ParsedPhone } from '../../shared/phone';
import { openText, sealText } from '../crypto/envelope';
import type { FieldKeys, StationKeys } from '../crypto/keyring';
import { freshArray, type Allocate } from '../crypto/slab';
import type { Queryable } from './engine/store';
import { checkRow, qualified, rowCheckColumns, rowMac, tamperedParcels, type RowCheck } from './row-mac';

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
  row_mac: Uint8Array;
}

/** What identifies a parcel, bound into its row MAC with the sealed values. */
export interface ParcelIdentity {
  id: number;
  carrier: Carrier;
  waybillNo: string;
}

interface MaskedProjection {
  name: string;
  phone: string;
  address: string;
}

/** The context a parcel's sealed value binds: its column and row id. */
export const parcelContext = (column: string, id: number): string => `parcels.${column}#${id}`;

/** `allocate` gives the arrays the sealed values are written to (a slab when sealing in bulk). */
export function sealPersonalFields(keys: FieldKeys, parcel: ParcelIdentity, f: PersonalFields, allocate: Allocate = freshArray): SealedFields {
  const { id } = parcel;
  const masked: MaskedProjection = { name: maskName(f.name), phone: maskParsedPhone(f.phone), address: maskAddress(f.address) };
  const phoneStored = f.phone.ext ? `${f.phone.digits}-${f.phone.ext}` : f.phone.digits;
  const sealed = {
    name_ct: sealText(keys.field, f.name, parcelContext('name', id), allocate),
    phone_ct: sealText(keys.field, phoneStored, parcelContext('phone', id), allocate),
    address_ct: sealText(keys.field, f.address, parcelContext('address', id), allocate),
    masked_ct: sealText(keys.field, JSON.stringify(masked), parcelContext('masked', id), allocate),
    phone_bidx: keys.phoneBlindIndex(f.phone.digits, allocate),
    tail_bidx: keys.tailBlindIndex(phoneTail(f.phone), allocate),
  };
  return { ...sealed, row_mac: rowMac(keys.rowMac, { id, carrier: parcel.carrier, waybill_no: parcel.waybillNo, ...sealed }, allocate) };
}

interface ParcelRow extends RowCheck {
  carrier: Carrier;
  masked_ct: Uint8Array | null;
  status: ParcelStatus;
  pickup_code: string | null;
  item_category: ItemCategory;
}

const ERASED: MaskedProjection = { name: '', phone: '', address: '' };

/** Throws TAMPERED naming the parcel when the row fails its MAC. */
export function toMaskedParcel(keys: StationKeys, row: ParcelRow): MaskedParcel {
  checkRow(keys.rowMac, row);
  const m = row.masked_ct
    ? (JSON.parse(openText(keys.field, row.masked_ct, parcelContext('masked', row.id))) as MaskedProjection)
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

export interface IntactCards<C> {
  cards: C[];
  /** Ids of the rows that failed their integrity check: left out, for the caller to report. */
  tampered: number[];
}

/** The cards of the rows that pass their MAC (a search still shows its good results), and the ids of those that fail. */
export function intactCards<R extends { id: number }, C>(rows: readonly R[], card: (row: R) => C): IntactCards<C> {
  const out: IntactCards<C> = { cards: [], tampered: [] };
  for (const r of rows) {
    try {
      out.cards.push(card(r));
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'TAMPERED')) throw e;
      out.tampered.push(r.id);
    }
  }
  return out;
}

/** TAMPERED naming every failing parcel, if any. */
export function refuseTampered(ids: readonly number[]): void {
  if (ids.length) throw new AppError('TAMPERED', tamperedParcels(ids));
}

/** The masked projection of one parcel by id (labels, follow-up screens). */
export async function maskedParcelById(q: Queryable, keys: StationKeys, id: number): Promise<MaskedParcel | null> {
  const row = await q.get<ParcelRow>(`SELECT ${PARCEL_ROW_COLUMNS} FROM parcels WHERE id = ?`, id);
  return row ? toMaskedParcel(keys, row) : null;
}

export type PersonalField = 'name' | 'phone' | 'address';

/**
 * One full personal value, for the purpose-bound unmask path only. Null when
 * the parcel is unknown or its personal data has been erased.
 */
export async function openPersonalField(q: Queryable, keys: StationKeys, id: number, field: PersonalField): Promise<string | null> {
  const row = await checkedParcelRow(q, keys, id);
  if (!row) return null;
  const ct = row[`${field}_ct`];
  return ct ? openText(keys.field, ct, parcelContext(field, id)) : null;
}

type CheckedRow = RowCheck & Record<`${PersonalField}_ct`, Uint8Array | null>;

/** A parcel's sealed personal values, after its row check (TAMPERED naming it); undefined when there is no such parcel. */
export async function checkedParcelRow(q: Queryable, keys: StationKeys, id: number): Promise<CheckedRow | undefined> {
  const row = await q.get<CheckedRow>(`SELECT id, ${rowCheckColumns()}, name_ct, phone_ct, address_ct FROM parcels WHERE id = ?`, id);
  if (row) checkRow(keys.rowMac, row);
  return row;
}

/** The columns of a card and its row check, for table `alias` if given. */
export function parcelRowColumns(alias = ''): string {
  return `${['id', 'status', 'pickup_code', 'item_category', 'masked_ct'].map(qualified(alias)).join(', ')}, ${rowCheckColumns(alias)}`;
}

export const PARCEL_ROW_COLUMNS = parcelRowColumns();
export type { ParcelRow };
