// Scanning a parcel in (入库): an expected parcel goes on the shelf, an
// unknown one is created from the recipient typed off the paper waybill, and
// a second scan of a parcel already on the shelf only repeats its code. Each
// scan is one IMMEDIATE transaction, so batch scanning at two counters at once
// can neither double-count a parcel nor issue one code twice.
import type { Actor } from '../../shared/actor';
import type { RecipientInput, ScanInInput, ScanInResult } from '../../shared/counter';
import { AppError } from '../../shared/errors';
import type { Carrier } from '../../shared/parcel';
import { parsePhone } from '../../shared/phone';
import { MAX_ADDRESS_LENGTH, MAX_NAME_LENGTH } from '../../shared/recipient-limits';
import { inferCarrier, isWellFormedWaybill, normaliseWaybill } from '../../shared/waybill';
import { localDay } from '../settings/calendar';
import { Settings } from '../settings/settings';
import { ShelfCodes } from '../counter/shelf';
import {
  PARCEL_ROW_COLUMNS,
  sealPersonalFields,
  toMaskedParcel,
  type ParcelRow,
} from '../store/parcels';
import { ParcelWriter, reserveParcelIds } from '../store/parcel-writer';
import { VISIBLE_PARCEL } from '../store/pending-imports';
import { checkRow } from '../store/row-mac';
import type { Tx } from '../store/engine/store';
import type { Station } from '../store/station';

type Found = { kind: 'existing'; row: ParcelRow } | { kind: 'new'; carrier: Carrier };

/** What a scan did, for the audit log. */
export interface ScanFacts {
  /** The parcel whose masked card the scan shows. */
  parcelId: number;
  waybillNo: string;
  duplicate: boolean;
  created: boolean;
}

const SQL = {
  byWaybill: `SELECT ${PARCEL_ROW_COLUMNS} FROM parcels WHERE waybill_no = ? AND ${VISIBLE_PARCEL}`,
  byId: `SELECT ${PARCEL_ROW_COLUMNS} FROM parcels WHERE id = ?`,
};

export class ScanIn {
  private readonly writer = new ParcelWriter();
  private readonly codes = new ShelfCodes();
  private readonly settings = new Settings();
  private readonly now: () => Date;

  constructor(
    private readonly station: Station,
    opts: { now?: () => Date } = {},
  ) {
    this.now = opts.now ?? (() => new Date());
  }

  /** One scan, in the caller's transaction (which holds the write lock from its start). */
  async scan(tx: Tx, actor: Actor, input: ScanInInput): Promise<ScanInResult> {
    const waybillNo = normaliseWaybill(input.waybill);
    if (!isWellFormedWaybill(waybillNo)) throw new AppError('INVALID_INPUT', 'waybill');
    const { id, duplicate, created } = await this.arriveOrCreate(tx, actor, waybillNo, input);
    return { parcelId: id, parcel: toMaskedParcel(this.station.keys, (await tx.get<ParcelRow>(SQL.byId, id))!), duplicate, created };
  }

  private async arriveOrCreate(tx: Tx, actor: Actor, waybillNo: string, input: ScanInInput): Promise<Omit<ScanFacts, 'waybillNo' | 'parcelId'> & { id: number }> {
    const at = this.now();
    const found = await this.find(tx, waybillNo, input.carrier);
    if (found.kind === 'existing') {
      const { row } = found;
      // A damaged row is refused before it is shelved or the scan recorded, not only when its card is shown.
      checkRow(this.station.keys.rowMac, row);
      if (row.status === 'on_shelf') return { id: row.id, duplicate: true, created: false };
      if (row.status !== 'expected') throw new AppError('PARCEL_ALREADY_OUT', row.status);
      await this.putOnShelf(tx, actor, row.id, at, input.shelf);
      return { id: row.id, duplicate: false, created: false };
    }
    const newId = await this.create(tx, waybillNo, found.carrier, input.recipient, at);
    await this.putOnShelf(tx, actor, newId, at, input.shelf);
    return { id: newId, duplicate: false, created: true };
  }

  /** The stored parcel this scan means, or the carrier a new one gets. */
  private async find(tx: Tx, waybillNo: string, carrier: Carrier | undefined): Promise<Found> {
    const all = await tx.all<ParcelRow>(SQL.byWaybill, waybillNo);
    let rows = carrier ? all.filter((r) => r.carrier === carrier) : all;
    // Carriers' number ranges can overlap; the number's shape may settle it.
    if (rows.length > 1) rows = rows.filter((r) => r.carrier === inferCarrier(waybillNo));
    if (rows.length === 1) return { kind: 'existing', row: rows[0] };
    if (carrier) return { kind: 'new', carrier };
    const inferred = inferCarrier(waybillNo);
    // Several stored parcels share the number and its shape picks none of them.
    if (all.length > 1 || !inferred) throw new AppError('CARRIER_REQUIRED');
    return { kind: 'new', carrier: inferred };
  }

  private async create(tx: Tx, waybillNo: string, carrier: Carrier, recipient: RecipientInput | undefined, at: Date): Promise<number> {
    if (!recipient) throw new AppError('RECIPIENT_REQUIRED');
    const name = recipient.name.trim().replace(/\s+/g, ' ');
    const address = (recipient.address ?? '').trim();
    const phone = parsePhone(recipient.phone);
    if (!name || name.length > MAX_NAME_LENGTH) throw new AppError('INVALID_INPUT', 'name');
    if (!phone) throw new AppError('INVALID_INPUT', 'phone');
    if (address.length > MAX_ADDRESS_LENGTH) throw new AppError('INVALID_INPUT', 'address');
    const { keys } = this.station;
    const id = await reserveParcelIds(tx, 1);
    // The parcel is here before the import that lists it has committed: the scan wins, the import skips it.
    await this.writer.dropPending(tx, carrier, waybillNo);
    await this.writer.add(tx, {
      id,
      carrier,
      waybillNo,
      status: 'expected',
      itemCategory: '物品',
      weightG: null,
      source: 'manual',
      importId: null,
      createdAt: at.toISOString(),
      sealed: sealPersonalFields(keys, { id, carrier, waybillNo }, { name, phone, address }),
    });
    return id;
  }

  private async putOnShelf(tx: Tx, actor: Actor, id: number, at: Date, shelf: number | undefined): Promise<void> {
    const [settings, plan] = await Promise.all([this.settings.counter(tx), this.settings.plan(tx)]);
    // Where the clerk picks, a scan that names no shelf is refused before anything is shelved.
    if (plan.slotMode === 'clerk' && shelf === undefined) throw new AppError('SHELF_REQUIRED');
    const slot = await this.codes.chooseSlot(tx, settings, { capacity: plan.layerCapacity, shelf });
    const code = await this.codes.issueCode(tx, slot, localDay(at, settings.timeZone));
    await this.writer.arrive(tx, { ...slot, code, at: at.toISOString(), by: actor.userId, id });
  }
}
