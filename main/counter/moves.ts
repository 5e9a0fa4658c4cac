// Moving parcels between shelf-layers. A pickup code names its slot
// ("3-2-1024" sits on shelf 3, layer 2), so a parcel moved gets a new code
// issued on its new layer, and its label must be reprinted. Runs inside the
// caller's IMMEDIATE transaction, like the code issue it relies on.
import { AppError } from '../../shared/errors';
import type { ParcelMove } from '../../shared/stocktake';
import { normaliseWaybill } from '../../shared/waybill';
import type { Tx } from '../store/engine/store';
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

const SQL = {
  byWaybill: "SELECT id, waybill_no, shelf, layer, pickup_code FROM parcels WHERE waybill_no = ? AND status = 'on_shelf'",
  onLayer: "SELECT id, waybill_no, shelf, layer, pickup_code FROM parcels WHERE shelf = ? AND layer = ? AND status = 'on_shelf' ORDER BY id",
  slotExists: 'SELECT 1 FROM shelf_slots WHERE shelf = ? AND layer = ?',
};

/** Every method runs in the transaction it is given. */
export class ParcelMoves {
  private readonly codes = new ShelfCodes();
  private readonly parcels = new ParcelWriter();

  constructor(private readonly now: () => Date) {}

  /** One parcel, found by its waybill, onto `to`; already there, nothing changes. */
  async move(tx: Tx, waybill: string, to: Slot): Promise<Moved> {
    await this.checkSlot(tx, to);
    const rows = await tx.all<ShelvedRow>(SQL.byWaybill, normaliseWaybill(waybill));
    if (!rows.length) throw new AppError('PARCEL_NOT_ON_SHELF', waybill.slice(0, 32));
    if (rows.length > 1) throw new AppError('INVALID_INPUT', 'two parcels on the shelf share this waybill number');
    return this.put(tx, rows[0], to);
  }

  /** Every parcel on layer `from` onto `to`. */
  async moveLayer(tx: Tx, from: Slot, to: Slot): Promise<Moved[]> {
    await this.checkSlot(tx, from);
    await this.checkSlot(tx, to);
    if (slotName(from) === slotName(to)) return [];
    const out: Moved[] = [];
    for (const r of await tx.all<ShelvedRow>(SQL.onLayer, from.shelf, from.layer)) out.push(await this.put(tx, r, to));
    return out;
  }

  private async put(tx: Tx, r: ShelvedRow, to: Slot): Promise<Moved> {
    const from = slotName(r);
    if (from === slotName(to)) {
      return { parcelId: r.id, waybillNo: r.waybill_no, from, to: from, pickupCode: r.pickup_code ?? '', relabel: false };
    }
    const code = await this.codes.issueCode(tx, to, (await stationDay(tx, this.now())).today);
    if (!(await this.parcels.move(tx, r.id, to.shelf, to.layer, code))) throw new AppError('PARCEL_NOT_ON_SHELF', r.waybill_no);
    return { parcelId: r.id, waybillNo: r.waybill_no, from, to: slotName(to), pickupCode: code, relabel: code !== r.pickup_code };
  }

  private async checkSlot(tx: Tx, s: Slot): Promise<void> {
    if ((await tx.value(SQL.slotExists, s.shelf, s.layer)) === undefined) throw new AppError('SHELF_LAYER_UNKNOWN', slotName(s));
  }
}
