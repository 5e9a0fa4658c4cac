// Pickup and handover (出库). A customer is everyone sharing one phone blind
// index; the index itself never leaves main. A phone tail alone is a weak
// key (many customers share one), so when it matches several customers the
// counter gets only how many parcels each has, until a second factor — a
// pickup code or a waybill of that customer — narrows it to one.
//
// A handover needs the parcel's own waybill scanned and refuses a parcel of
// anyone else; it can be undone within a short window, by the same clerk only.
import type { Statement } from 'better-sqlite3';
import type { Actor } from '../../shared/actor';
import type {
  CounterLookupResult,
  CounterParcel,
  CounterQuery,
  HandoverInput,
  HandoverResult,
} from '../../shared/counter';
import { AppError } from '../../shared/errors';
import { normaliseWaybill } from '../../shared/waybill';
import { assertNoPersonalData } from '../audit/personal-text';
import { sealText } from '../crypto/envelope';
import { checkedParcelRow, intactCards, PARCEL_ROW_COLUMNS, toMaskedParcel, type IntactCards, type ParcelRow } from '../store/parcels';
import type { Db } from '../store/database';
import { ParcelWriter } from '../store/parcel-writer';
import type { Station } from '../store/station';
import { localDay } from '../settings/calendar';
import { COUNTER_ROW_COLUMNS, stationDay, toCounterParcel, type CounterRow, type StationDay } from './counter-parcel';
import { SEARCH_COLUMN, searchValue, TAIL_PAGE_SIZE } from './lookup';
import { settingsOf } from '../settings/settings';
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

export class PickupDesk {
  private readonly statements = new Map<string, Statement<unknown[]>>();
  private readonly codes;
  private readonly parcels;
  private readonly leaveReturnBatches;
  private readonly now: () => Date;

  constructor(
    private readonly station: Station,
    opts: { now?: () => Date } = {},
  ) {
    this.now = opts.now ?? (() => new Date());
    this.codes = new ShelfCodes(station.db);
    this.parcels = new ParcelWriter(station.db);
    this.leaveReturnBatches = leaveOpenReturnBatches(station.db);
  }

  find(query: CounterQuery): CounterLookupResult {
    const { keys } = this.station;
    const args: (Uint8Array | string | number)[] = [searchValue(keys, query)];
    // An erased parcel has no owner left to serve.
    let where = `o.${SEARCH_COLUMN[query.by]} = ? AND o.${ON_SHELF} AND o.phone_bidx IS NOT NULL`;
    if (query.second) {
      where += ` AND o.phone_bidx IN (SELECT phone_bidx FROM parcels WHERE ${SEARCH_COLUMN[query.second.by]} = ? AND ${ON_SHELF})`;
      args.push(searchValue(keys, query.second));
    }
    const owners = this.sql(
      `SELECT o.phone_bidx, MAX(o.id) AS latest,
              (SELECT COUNT(*) FROM parcels p WHERE p.phone_bidx = o.phone_bidx AND p.${ON_SHELF}) AS parcels
       FROM parcels o WHERE ${where} GROUP BY o.phone_bidx ORDER BY latest DESC LIMIT ?`,
    ).all(...args, TAIL_PAGE_SIZE + 1) as Owner[];

    let result: CounterLookupResult;
    let tampered: number[] = [];
    if (owners.length === 0) result = { kind: 'none' };
    else if (owners.length === 1) {
      const found = this.customerParcels(owners[0].phone_bidx);
      result = found.cards.length ? { kind: 'customer', parcels: found.cards } : { kind: 'none' };
      tampered = found.tampered;
    } else {
      const latest = this.sql(`SELECT ${PARCEL_ROW_COLUMNS} FROM parcels WHERE id = ?`);
      const rows = owners.slice(0, TAIL_PAGE_SIZE).map((o) => ({ ...(latest.get(o.latest) as ParcelRow), parcels: o.parcels }));
      const found = intactCards(rows, (r) => ({ phone: toMaskedParcel(keys, r).phone, parcels: r.parcels }));
      result = { kind: 'choose', customers: found.cards, more: owners.length > TAIL_PAGE_SIZE };
      tampered = found.tampered;
    }
    if (tampered.length) result.tampered = tampered;
    return result;
  }

  /**
   * Hands over the parcel whose waybill was scanned. Refused, with nothing
   * recorded, unless it belongs to the customer of `customerParcelId` and is
   * on the shelf.
   */
  handOver(actor: Actor, input: HandoverInput): HandoverResult {
    const { db, keys } = this.station;
    const waybillNo = normaliseWaybill(input.waybill);
    const note = input.proxyNote?.trim() || null;
    const { handoverId, parcelId } = db
      .transaction(() => {
        const at = this.now().toISOString();
        if (!this.sql('SELECT 1 FROM parcels WHERE id = ?').get(input.customerParcelId)) {
          throw new AppError('PARCEL_NOT_FOUND', 'customerParcelId');
        }
        const rows = this.sql(
          `SELECT id, status, phone_bidx = (SELECT phone_bidx FROM parcels WHERE id = ?) AS same
           FROM parcels WHERE waybill_no = ?`,
        ).all(input.customerParcelId, waybillNo) as { id: number; status: string; same: number | null }[];
        if (rows.length === 0) throw new AppError('PARCEL_NOT_FOUND', 'waybill');
        const theirs = rows.filter((r) => r.same === 1);
        if (theirs.length === 0) throw new AppError('HANDOVER_WRONG_PARCEL');
        const parcel = theirs.find((r) => r.status === 'on_shelf');
        if (!parcel) throw new AppError('PARCEL_NOT_ON_SHELF', theirs[0].status);
        // Never hand over by a row whose waybill or phone index may have been swapped.
        checkedParcelRow(db, keys, parcel.id);

        this.parcels.handOver(parcel.id, at);
        const id = Number(
          this.sql(
            'INSERT INTO handovers (parcel_id, operator_id, workstation, handed_at, proxy) VALUES (?, ?, ?, ?, ?)',
          ).run(parcel.id, actor.userId, actor.workstation, at, input.proxy ? 1 : 0).lastInsertRowid,
        );
        if (note) {
          this.sql('UPDATE handovers SET proxy_note_ct = ? WHERE id = ?').run(
            sealText(keys.field, note, `handovers.proxy_note#${id}`),
            id,
          );
        }
        this.leaveReturnBatches(parcel.id);
        return { handoverId: id, parcelId: parcel.id };
      })
      .immediate();
    const { remaining } = this.sql(
      `SELECT COUNT(*) AS remaining FROM parcels
       WHERE phone_bidx = (SELECT phone_bidx FROM parcels WHERE id = ?) AND ${ON_SHELF}`,
    ).get(parcelId) as { remaining: number };
    return { handoverId, parcel: this.parcel(parcelId), remaining };
  }

  /** Puts a handed-over parcel back on the shelf: same clerk, within the undo window, with a reason. */
  undo(actor: Actor, handoverId: number, reason: string): CounterParcel {
    const { db, keys } = this.station;
    const why = reason.trim();
    if (!why) throw new AppError('INVALID_INPUT', 'reason');
    // The reason is sealed here but goes into the audit chain in clear.
    assertNoPersonalData(why, 'reason');
    const parcelId = db
      .transaction(() => {
        const now = this.now();
        const h = this.sql('SELECT id, parcel_id, operator_id, handed_at, undone_at FROM handovers WHERE id = ?').get(
          handoverId,
        ) as HandoverRow | undefined;
        if (!h || h.undone_at) throw new AppError('INVALID_INPUT', 'handoverId');
        if (h.operator_id !== actor.userId) throw new AppError('HANDOVER_UNDO_OTHER_CLERK');
        const settings = settingsOf(db).counter();
        if (now.getTime() - Date.parse(h.handed_at) > settings.undoMinutes * 60_000) {
          throw new AppError('HANDOVER_UNDO_EXPIRED');
        }
        const p = this.sql('SELECT shelf, layer, pickup_code FROM parcels WHERE id = ?').get(h.parcel_id) as {
          shelf: number;
          layer: number;
          pickup_code: string;
        };
        // Its old code may have been issued again meanwhile (after a wrap): then a fresh one in the same slot.
        const taken = this.sql(`SELECT 1 FROM parcels WHERE pickup_code = ? AND ${ON_SHELF}`).get(p.pickup_code);
        const code = taken ? this.codes.issueCode(p, localDay(now, settings.timeZone)) : p.pickup_code;
        this.parcels.undoHandover(h.parcel_id, code);
        this.sql('UPDATE handovers SET undone_at = ?, undone_by = ?, undo_reason_ct = ? WHERE id = ?').run(
          now.toISOString(),
          actor.userId,
          sealText(keys.field, why, `handovers.undo_reason#${h.id}`),
          h.id,
        );
        return h.parcel_id;
      })
      .immediate();
    return this.parcel(parcelId);
  }

  private customerParcels(phoneBidx: Uint8Array): IntactCards<CounterParcel> {
    const rows = this.sql(
      `SELECT ${COUNTER_ROW_COLUMNS} FROM parcels WHERE phone_bidx = ? AND ${ON_SHELF} ORDER BY shelf, layer, arrived_at`,
    ).all(phoneBidx) as CounterRow[];
    const day = this.day();
    return intactCards(rows, (r) => toCounterParcel(this.station.keys, r, day));
  }

  private parcel(id: number): CounterParcel {
    const row = this.sql(`SELECT ${COUNTER_ROW_COLUMNS} FROM parcels WHERE id = ?`).get(id) as CounterRow;
    return toCounterParcel(this.station.keys, row, this.day());
  }

  private day(): StationDay {
    return stationDay(this.station.db, this.now());
  }

  // Queries are built from a handful of fixed pieces; each is prepared once.
  private sql(text: string) {
    let s = this.statements.get(text);
    if (!s) {
      s = this.station.db.prepare(text);
      this.statements.set(text, s);
    }
    return s;
  }
}

/** For erasure: drops the notes typed about a parcel's handovers (proxy, undo reason). */
export function handoverNoteEraser(db: Db): (parcelId: number) => void {
  const erase = db.prepare(
    'UPDATE handovers SET proxy_note_ct = NULL, undo_reason_ct = NULL WHERE parcel_id = ? AND (proxy_note_ct IS NOT NULL OR undo_reason_ct IS NOT NULL)',
  );
  return (parcelId) => void erase.run(parcelId);
}
