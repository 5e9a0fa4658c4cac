// Pickup and handover (出库). A customer is everyone sharing one phone blind
// index; the index itself never leaves main. A phone tail alone is a weak
// key (many customers share one), so when it matches several customers the
// counter gets only how many parcels each has, until a second factor — a
// pickup code or a waybill of that customer — narrows it to one.
//
// A handover needs the parcel's own waybill scanned and refuses a parcel of
// anyone else; it can be undone within a short window, by the same clerk only.
import type { Actor } from '../../shared/actor';
import type {
  CounterLookupResult,
  CounterParcel,
  CounterQuery,
  HandoverInput,
  HandoverResult,
  NotOnShelf,
} from '../../shared/counter';
import { AppError } from '../../shared/errors';
import { normaliseWaybill } from '../../shared/waybill';
import { assertNoPersonalData } from '../audit/personal-text';
import { sealText } from '../crypto/envelope';
import { checkedParcelRow, intactCards, PARCEL_ROW_COLUMNS, toMaskedParcel, type IntactCards, type ParcelRow } from '../store/parcels';
import type { Queryable, Tx } from '../store/engine/store';
import { ParcelWriter } from '../store/parcel-writer';
import type { Station } from '../store/station';
import { localDay } from '../settings/calendar';
import { COUNTER_ROW_COLUMNS, stationDay, toCounterParcel, type CounterRow } from './counter-parcel';
import { SEARCH_COLUMN, searchValue, TAIL_PAGE_SIZE } from './lookup';
import { Settings } from '../settings/settings';
import { leaveOpenReturnBatches } from './returns';
import { ShelfCodes } from './shelf';

interface Owner {
  phone_bidx: Uint8Array;
  parcels: number;
  latest: number;
}

interface HandoverRow {
  id: number;
  parcel_id: number;
  operator_id: number;
  handed_at: string;
  undone_at: string | null;
}

const ON_SHELF = "status = 'on_shelf'";
/** How many not-on-shelf matches a failed lookup names. */
const NOT_ON_SHELF_SHOWN = 3;

const SQL = {
  exists: 'SELECT 1 FROM parcels WHERE id = ?',
  waybillOfCustomer: `SELECT id, status, CASE WHEN phone_bidx = (SELECT phone_bidx FROM parcels WHERE id = ?) THEN 1 ELSE 0 END AS same
                      FROM parcels WHERE waybill_no = ?`,
  insertHandover: 'INSERT INTO handovers (parcel_id, operator_id, workstation, handed_at, proxy) VALUES (?, ?, ?, ?, ?) RETURNING id',
  sealProxyNote: 'UPDATE handovers SET proxy_note_ct = ? WHERE id = ?',
  handover: 'SELECT id, parcel_id, operator_id, handed_at, undone_at FROM handovers WHERE id = ?',
  slotOf: 'SELECT shelf, layer, pickup_code FROM parcels WHERE id = ?',
  codeTaken: `SELECT 1 FROM parcels WHERE pickup_code = ? AND ${ON_SHELF}`,
  undo: 'UPDATE handovers SET undone_at = ?, undone_by = ?, undo_reason_ct = ? WHERE id = ?',
  remaining: `SELECT COUNT(*) FROM parcels WHERE phone_bidx = (SELECT phone_bidx FROM parcels WHERE id = ?) AND ${ON_SHELF}`,
  latest: `SELECT ${PARCEL_ROW_COLUMNS} FROM parcels WHERE id = ?`,
  customerParcels: `SELECT ${COUNTER_ROW_COLUMNS} FROM parcels WHERE phone_bidx = ? AND ${ON_SHELF} ORDER BY shelf, layer, arrived_at`,
  parcel: `SELECT ${COUNTER_ROW_COLUMNS} FROM parcels WHERE id = ?`,
  eraseNotes:
    'UPDATE handovers SET proxy_note_ct = NULL, undo_reason_ct = NULL WHERE parcel_id = ? AND (proxy_note_ct IS NOT NULL OR undo_reason_ct IS NOT NULL)',
};

export class PickupDesk {
  private readonly codes = new ShelfCodes();
  private readonly parcels = new ParcelWriter();
  private readonly settings = new Settings();
  private readonly now: () => Date;

  constructor(
    private readonly station: Station,
    opts: { now?: () => Date } = {},
  ) {
    this.now = opts.now ?? (() => new Date());
  }

  async find(q: Queryable, query: CounterQuery): Promise<CounterLookupResult> {
    const { keys } = this.station;
    const args: (Uint8Array | string | number)[] = [searchValue(keys, query)];
    // An erased parcel has no owner left to serve.
    let where = `o.${SEARCH_COLUMN[query.by]} = ? AND o.${ON_SHELF} AND o.phone_bidx IS NOT NULL`;
    if (query.second) {
      where += ` AND o.phone_bidx IN (SELECT phone_bidx FROM parcels WHERE ${SEARCH_COLUMN[query.second.by]} = ? AND ${ON_SHELF})`;
      args.push(searchValue(keys, query.second));
    }
    const owners = await q.all<Owner>(
      `SELECT o.phone_bidx, MAX(o.id) AS latest,
              (SELECT COUNT(*) FROM parcels p WHERE p.phone_bidx = o.phone_bidx AND p.${ON_SHELF}) AS parcels
       FROM parcels o WHERE ${where} GROUP BY o.phone_bidx ORDER BY latest DESC LIMIT ?`,
      ...args,
      TAIL_PAGE_SIZE + 1,
    );

    let result: CounterLookupResult;
    let tampered: number[] = [];
    if (owners.length === 0) result = query.second ? { kind: 'none' } : { kind: 'none', elsewhere: await this.notOnShelf(q, query) };
    else if (owners.length === 1) {
      const found = await this.customerParcels(q, owners[0].phone_bidx);
      result = found.cards.length ? { kind: 'customer', parcels: found.cards } : { kind: 'none' };
      tampered = found.tampered;
    } else {
      const rows: (ParcelRow & { parcels: number })[] = [];
      for (const o of owners.slice(0, TAIL_PAGE_SIZE)) rows.push({ ...(await q.get<ParcelRow>(SQL.latest, o.latest))!, parcels: Number(o.parcels) });
      const found = intactCards(rows, (r) => ({ phone: toMaskedParcel(keys, r).phone, parcels: r.parcels }));
      result = { kind: 'choose', customers: found.cards, more: owners.length > TAIL_PAGE_SIZE };
      tampered = found.tampered;
    }
    if (tampered.length) result.tampered = tampered;
    return result;
  }

  /** Why nothing is on the shelf: the key's parcels in the manifest still to arrive, or handed over, newest first. */
  private async notOnShelf(q: Queryable, query: CounterQuery): Promise<NotOnShelf[]> {
    const rows = await q.all<{ status: NotOnShelf['status']; carrier: NotOnShelf['carrier']; picked_up_at: string | null }>(
      `SELECT status, carrier, picked_up_at FROM parcels
       WHERE ${SEARCH_COLUMN[query.by]} = ? AND status IN ('expected', 'picked_up') AND phone_bidx IS NOT NULL
       ORDER BY id DESC LIMIT ?`,
      searchValue(this.station.keys, query),
      NOT_ON_SHELF_SHOWN,
    );
    return rows.map((r) => ({ status: r.status, carrier: r.carrier, handedAt: r.status === 'picked_up' ? r.picked_up_at : null }));
  }

  /**
   * Hands over the parcel whose waybill was scanned, in the caller's
   * transaction. Refused, with nothing recorded, unless it belongs to the
   * customer of `customerParcelId` and is on the shelf.
   */
  async handOver(tx: Tx, actor: Actor, input: HandoverInput): Promise<HandoverResult> {
    const { keys } = this.station;
    const waybillNo = normaliseWaybill(input.waybill);
    const note = input.proxyNote?.trim() || null;
    const at = this.now().toISOString();
    if ((await tx.value(SQL.exists, input.customerParcelId)) === undefined) throw new AppError('PARCEL_NOT_FOUND', 'customerParcelId');
    const rows = await tx.all<{ id: number; status: string; same: number | null }>(SQL.waybillOfCustomer, input.customerParcelId, waybillNo);
    if (rows.length === 0) throw new AppError('PARCEL_NOT_FOUND', 'waybill');
    const theirs = rows.filter((r) => Number(r.same) === 1);
    if (theirs.length === 0) throw new AppError('HANDOVER_WRONG_PARCEL');
    const parcel = theirs.find((r) => r.status === 'on_shelf');
    if (!parcel) throw new AppError('PARCEL_NOT_ON_SHELF', theirs[0].status);
    // Never hand over by a row whose waybill or phone index may have been swapped.
    await checkedParcelRow(tx, keys, parcel.id);

    await this.parcels.handOver(tx, parcel.id, at);
    const handoverId = Number(await tx.value(SQL.insertHandover, parcel.id, actor.userId, actor.workstation, at, input.proxy ? 1 : 0));
    if (note) await tx.run(SQL.sealProxyNote, sealText(keys.field, note, `handovers.proxy_note#${handoverId}`), handoverId);
    await leaveOpenReturnBatches(tx, parcel.id);
    const remaining = Number(await tx.value(SQL.remaining, parcel.id));
    return { handoverId, parcel: await this.parcel(tx, parcel.id), remaining };
  }

  /** Puts a handed-over parcel back on the shelf: same clerk, within the undo window, with a reason. */
  async undo(tx: Tx, actor: Actor, handoverId: number, reason: string): Promise<CounterParcel> {
    const { keys } = this.station;
    const why = reason.trim();
    if (!why) throw new AppError('INVALID_INPUT', 'reason');
    // The reason is sealed here but goes into the audit chain in clear.
    assertNoPersonalData(why, 'reason');
    const now = this.now();
    const h = await tx.get<HandoverRow>(SQL.handover, handoverId);
    if (!h || h.undone_at) throw new AppError('INVALID_INPUT', 'handoverId');
    if (h.operator_id !== actor.userId) throw new AppError('HANDOVER_UNDO_OTHER_CLERK');
    const settings = await this.settings.counter(tx);
    if (now.getTime() - Date.parse(h.handed_at) > settings.undoMinutes * 60_000) {
      throw new AppError('HANDOVER_UNDO_EXPIRED');
    }
    const p = (await tx.get<{ shelf: number; layer: number; pickup_code: string }>(SQL.slotOf, h.parcel_id))!;
    // Its old code may have been issued again meanwhile (after a wrap): then a fresh one in the same slot.
    const taken = (await tx.value(SQL.codeTaken, p.pickup_code)) !== undefined;
    const code = taken ? await this.codes.issueCode(tx, p, localDay(now, settings.timeZone)) : p.pickup_code;
    await this.parcels.undoHandover(tx, h.parcel_id, code);
    await tx.run(SQL.undo, now.toISOString(), actor.userId, sealText(keys.field, why, `handovers.undo_reason#${h.id}`), h.id);
    return this.parcel(tx, h.parcel_id);
  }

  private async customerParcels(q: Queryable, phoneBidx: Uint8Array): Promise<IntactCards<CounterParcel>> {
    const rows = await q.all<CounterRow>(SQL.customerParcels, phoneBidx);
    const day = await stationDay(q, this.now());
    return intactCards(rows, (r) => toCounterParcel(this.station.keys, r, day));
  }

  private async parcel(q: Queryable, id: number): Promise<CounterParcel> {
    const row = (await q.get<CounterRow>(SQL.parcel, id))!;
    return toCounterParcel(this.station.keys, row, await stationDay(q, this.now()));
  }
}

/** For erasure: drops the notes typed about a parcel's handovers (proxy, undo reason). */
export async function eraseHandoverNotes(tx: Queryable, parcelId: number): Promise<void> {
  await tx.run(SQL.eraseNotes, parcelId);
}
