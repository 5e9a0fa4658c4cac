// Moving parcels between shelf-layers. A pickup code names its slot
// ("3-2-1024" sits on shelf 3, layer 2), so a parcel moved gets a new code
// issued on its new layer, and its label must be reprinted. Runs inside the
// caller's IMMEDIATE transaction, like the code issue it relies on.
import { AppError } from '../../shared/errors';
import type { ParcelMove } from '../../shared/stocktake';
import { normaliseWaybill } from '../../shared/waybill';
import type { Db } from '../store/database';
import { ParcelWriter } from '../store/parcel-writer';
import { slotName } from './shelf-layer';
import { stationDay } from './counter-parcel';
import { ShelfCodes, type Slot } from './shelf';

export type Moved = ParcelMove;

interface ShelvedRow {
  id: number;
  waybill_no: string;
  shelf: number;
  layer: number;
  pickup_code: string | null;
}

export class ParcelMoves {
  private readonly codes: ShelfCodes;
  private readonly parcels: ParcelWriter;
  private readonly byWaybill;
  private readonly onLayer;
  private readonly slotExists;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {
    this.codes = new ShelfCodes(db);
    this.parcels = new ParcelWriter(db);
    this.byWaybill = db.prepare("SELECT id, waybill_no, shelf, layer, pickup_code FROM parcels WHERE waybill_no = ? AND status = 'on_shelf'");
    this.onLayer = db.prepare("SELECT id, waybill_no, shelf, layer, pickup_code FROM parcels WHERE shelf = ? AND layer = ? AND status = 'on_shelf' ORDER BY id");
    this.slotExists = db.prepare('SELECT 1 FROM shelf_slots WHERE shelf = ? AND layer = ?').pluck();
  }

  /** One parcel, found by its waybill, onto `to`; already there, nothing changes. */
  move(waybill: string, to: Slot): Moved {
    this.checkSlot(to);
    const rows = this.byWaybill.all(normaliseWaybill(waybill)) as ShelvedRow[];
    if (!rows.length) throw new AppError('PARCEL_NOT_ON_SHELF', waybill.slice(0, 32));
    if (rows.length > 1) throw new AppError('INVALID_INPUT', 'two parcels on the shelf share this waybill number');
    return this.put(rows[0], to);
  }

  /** Every parcel on layer `from` onto `to`. */
  moveLayer(from: Slot, to: Slot): Moved[] {
    this.checkSlot(from);
    this.checkSlot(to);
    if (slotName(from) === slotName(to)) return [];
    return (this.onLayer.all(from.shelf, from.layer) as ShelvedRow[]).map((r) => this.put(r, to));
  }

  private put(r: ShelvedRow, to: Slot): Moved {
    const from = slotName(r);
    if (from === slotName(to)) {
      return { parcelId: r.id, waybillNo: r.waybill_no, from, to: from, pickupCode: r.pickup_code ?? '', relabel: false };
    }
    const code = this.codes.issueCode(to, stationDay(this.db, this.now()).today);
    if (!this.parcels.move(r.id, to.shelf, to.layer, code)) throw new AppError('PARCEL_NOT_ON_SHELF', r.waybill_no);
    return { parcelId: r.id, waybillNo: r.waybill_no, from, to: slotName(to), pickupCode: code, relabel: code !== r.pickup_code };
  }

  private checkSlot(s: Slot): void {
    if (!this.slotExists.get(s.shelf, s.layer)) throw new AppError('SHELF_LAYER_UNKNOWN', slotName(s));
  }
}
