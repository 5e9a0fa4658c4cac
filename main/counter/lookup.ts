// Finding parcels at the counter. Every result is the masked projection; the
// blind indexes let the search run without decrypting the table.
import { AppError } from '../../shared/errors';
import type { LookupQuery } from '../../shared/ipc/contract';
import type { MaskedParcel } from '../../shared/parcel';
import { parsePhone } from '../../shared/phone';
import { normaliseWaybill } from '../../shared/waybill';
import type { StationKeys } from '../crypto/keyring';
import { intactCards, PARCEL_ROW_COLUMNS, refuseTampered, toMaskedParcel, type ParcelRow } from '../store/parcels';
import { VISIBLE_PARCEL } from '../store/pending-imports';
import type { Queryable } from '../store/engine/store';
import type { Station } from '../store/station';

/** A tail search lists at most this many parcels: it is a counter tool, not a browser. */
export const TAIL_PAGE_SIZE = 20;
const EXACT_LIMIT = 50;

export type FoundParcel = MaskedParcel & { id: number };

export interface ParcelSearch {
  parcels: FoundParcel[];
  /** Ids of matching rows that failed their integrity check: not shown, reported as TAMPERED. */
  tampered: number[];
}

/** The indexed column each kind of query searches. */
export const SEARCH_COLUMN = { tail: 'tail_bidx', phone: 'phone_bidx', waybill: 'waybill_no', code: 'pickup_code' } as const;

/** The value a query binds against its indexed column: blind indexes, never plaintext personal data. */
export function searchValue(keys: StationKeys, query: LookupQuery): Uint8Array | string {
  switch (query.by) {
    case 'tail':
      return keys.tailBlindIndex(query.value);
    case 'phone': {
      const phone = parsePhone(query.value);
      if (!phone) throw new AppError('INVALID_INPUT', 'phone');
      return keys.phoneBlindIndex(phone.digits);
    }
    case 'waybill':
      return normaliseWaybill(query.value);
    case 'code':
      return query.value.trim();
  }
}

const byKey = (where: string, limit: number) =>
  `SELECT ${PARCEL_ROW_COLUMNS} FROM parcels WHERE ${where} AND ${VISIBLE_PARCEL} ORDER BY id DESC LIMIT ${limit}`;

const SQL = {
  // Tail matches are limited to parcels at (or due at) the station.
  // Written as the server's index parcels_tail_lookup's condition is (postgres/migrations/005).
  tail: byKey("tail_bidx = ? AND (status = 'expected' OR status = 'on_shelf')", TAIL_PAGE_SIZE),
  phone: byKey('phone_bidx = ?', EXACT_LIMIT),
  waybill: byKey('waybill_no = ?', EXACT_LIMIT),
  code: byKey("pickup_code = ? AND status = 'on_shelf'", EXACT_LIMIT),
};

export class ParcelLookup {
  private readonly keys: StationKeys;

  constructor(station: Pick<Station, 'keys'>) {
    this.keys = station.keys;
  }

  /** The masked parcels, each with its row id (for the audit log, not for printing), and the matches that failed their check. */
  async search(q: Queryable, query: LookupQuery): Promise<ParcelSearch> {
    const { keys } = this;
    const rows = await q.all<ParcelRow>(SQL[query.by], searchValue(keys, query));
    const { cards, tampered } = intactCards(rows, (r) => ({ id: r.id, ...toMaskedParcel(keys, r) }));
    return { parcels: cards, tampered };
  }

  /** As `search`, for callers that need every match: TAMPERED naming the failing parcels if any fails. */
  async find(q: Queryable, query: LookupQuery): Promise<FoundParcel[]> {
    const { parcels, tampered } = await this.search(q, query);
    refuseTampered(tampered);
    return parcels;
  }
}
