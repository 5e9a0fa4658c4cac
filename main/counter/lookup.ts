// Finding parcels at the counter. Every result is the masked projection; the
// blind indexes let the search run without decrypting the table.
import { AppError } from '../../shared/errors';
import type { LookupQuery } from '../../shared/ipc/contract';
import type { MaskedParcel } from '../../shared/parcel';
import { parsePhone } from '../../shared/phone';
import { normaliseWaybill } from '../../shared/waybill';
import { PARCEL_ROW_COLUMNS, toMaskedParcel, type ParcelRow } from '../store/parcels';
import type { Station } from '../store/station';

/** A tail search lists at most this many parcels: it is a counter tool, not a browser. */
export const TAIL_PAGE_SIZE = 20;
const EXACT_LIMIT = 50;

export class ParcelLookup {
  private readonly byTail;
  private readonly byPhone;
  private readonly byWaybill;
  private readonly byCode;

  constructor(private readonly station: Station) {
    const q = (where: string, limit: number) =>
      station.db.prepare(`SELECT ${PARCEL_ROW_COLUMNS} FROM parcels WHERE ${where} ORDER BY id DESC LIMIT ${limit}`);
    // Tail matches are limited to parcels at (or due at) the station.
    this.byTail = q("tail_bidx = ? AND status IN ('expected', 'on_shelf')", TAIL_PAGE_SIZE);
    this.byPhone = q('phone_bidx = ?', EXACT_LIMIT);
    this.byWaybill = q('waybill_no = ?', EXACT_LIMIT);
    this.byCode = q("pickup_code = ? AND status = 'on_shelf'", EXACT_LIMIT);
  }

  find(query: LookupQuery): MaskedParcel[] {
    const { keys } = this.station;
    let rows: ParcelRow[];
    switch (query.by) {
      case 'tail':
        rows = this.byTail.all(keys.tailBlindIndex(query.value)) as ParcelRow[];
        break;
      case 'phone': {
        const phone = parsePhone(query.value);
        if (!phone) throw new AppError('INVALID_INPUT', 'phone');
        rows = this.byPhone.all(keys.phoneBlindIndex(phone.digits)) as ParcelRow[];
        break;
      }
      case 'waybill':
        rows = this.byWaybill.all(normaliseWaybill(query.value)) as ParcelRow[];
        break;
      case 'code':
        rows = this.byCode.all(query.value.trim()) as ParcelRow[];
        break;
    }
    return rows.map((r) => toMaskedParcel(keys, r));
  }
}
