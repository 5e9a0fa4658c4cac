// The one module that writes stocktakes, their layers and their scans. A
// stocktake counts a set of shelf-layers: the clerk scans a layer's barcode,
// then the parcels on it; every scan is stored at once, so a pause, a crash
// or a restart loses nothing. Closing stores the counts and the
// supervisor's note (sealed: it may name people).
import type { Actor } from '../../shared/actor';
import { AppError } from '../../shared/errors';
import type { StocktakeResult, StocktakeScanResult, StocktakeState, StocktakeSummary } from '../../shared/stocktake';
import type { Slot } from '../counter/shelf';
import type { StationKeys } from '../crypto/keyring';
import { sealText } from '../crypto/envelope';
import type { Queryable } from '../store/engine/store';
import { reconcile, type Booked, type Reconciliation } from './reconcile';
import { slotName } from '../counter/shelf-layer';

interface StocktakeRow {
  id: number;
  state: StocktakeState;
  started_at: string;
  at_shelf: number | null;
  at_layer: number | null;
  next_seq: number;
  closed_at: string | null;
}

interface BookRow {
  id: number;
  waybill_no: string;
  status: string;
  shelf: number | null;
  layer: number | null;
}

const toBooked = (r: BookRow): Booked => {
  const onShelf = r.status === 'on_shelf' && r.shelf !== null && r.layer !== null;
  return { id: r.id, waybillNo: r.waybill_no, onShelf, slot: onShelf ? slotName({ shelf: r.shelf!, layer: r.layer! }) : null };
};

const STOCKTAKE_COLUMNS = 'id, state, started_at, at_shelf, at_layer, next_seq, closed_at';

/** What the CLI prints and the report lists: waybill numbers and shelf-layers only. */
export function stocktakeResult(r: Reconciliation): StocktakeResult {
  return {
    expected: r.expected,
    found: r.found,
    missing: r.missing.map((m) => m.waybillNo),
    extra: r.extra,
    misplaced: r.misplaced.map(({ waybillNo, expected, found }) => ({ waybillNo, expected, found })),
  };
}

export class Stocktakes {
  constructor(private readonly keys: StationKeys) {}

  /** The stocktake not yet closed, if any. */
  async live(tx: Queryable): Promise<StocktakeRow | undefined> {
    return tx.get<StocktakeRow>(`SELECT ${STOCKTAKE_COLUMNS} FROM stocktakes WHERE state <> 'closed'`);
  }

  async start(tx: Queryable, actor: Actor, layers: readonly Slot[] | 'all', at: string): Promise<number> {
    if (await this.live(tx)) throw new AppError('STOCKTAKE_ALREADY_OPEN');
    const id = (await tx.value<number>(
      "INSERT INTO stocktakes (state, started_by, started_at) VALUES ('open', ?, ?) RETURNING id",
      actor.userId, at,
    ))!;
    if (layers === 'all') {
      // The configured layout, and any slot beyond it that still holds parcels.
      await tx.run(
        `INSERT INTO stocktake_layers (stocktake_id, shelf, layer)
         SELECT ?, s.shelf, s.layer FROM shelf_slots s, counter_settings c
         WHERE (s.shelf <= c.shelves AND s.layer <= c.layers) OR s.occupied > 0`,
        id,
      );
    } else {
      if (!layers.length) throw new AppError('INVALID_INPUT', 'layers');
      for (const s of layers) {
        if (!(await tx.value('SELECT 1 FROM shelf_slots WHERE shelf = ? AND layer = ?', s.shelf, s.layer))) {
          throw new AppError('SHELF_LAYER_UNKNOWN', slotName(s));
        }
        await tx.run('INSERT INTO stocktake_layers (stocktake_id, shelf, layer) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', id, s.shelf, s.layer);
      }
    }
    return id;
  }

  /** The live stocktake, open for scanning (a paused one is resumed first). */
  async scanning(tx: Queryable): Promise<StocktakeRow> {
    const live = await this.live(tx);
    if (!live) throw new AppError('STOCKTAKE_NOT_OPEN');
    if (live.state === 'paused') throw new AppError('STOCKTAKE_PAUSED');
    return live;
  }

  /** The clerk stands at `slot` now. */
  async enterLayer(tx: Queryable, st: StocktakeRow, slot: Slot): Promise<StocktakeScanResult> {
    const inScope = await tx.value('SELECT 1 FROM stocktake_layers WHERE stocktake_id = ? AND shelf = ? AND layer = ?', st.id, slot.shelf, slot.layer);
    if (!inScope) throw new AppError('STOCKTAKE_LAYER_OUT_OF_SCOPE', slotName(slot));
    await tx.run('UPDATE stocktakes SET at_shelf = ?, at_layer = ? WHERE id = ?', slot.shelf, slot.layer, st.id);
    return { kind: 'layer', slot: slotName(slot) };
  }

  /** A parcel seen where the clerk stands; what the books say of it comes back with its id. */
  async scanParcel(tx: Queryable, st: StocktakeRow, actor: Actor, waybillNo: string, at: string): Promise<{ result: StocktakeScanResult; parcelId: number | null }> {
    if (st.at_shelf === null || st.at_layer === null) throw new AppError('STOCKTAKE_LAYER_FIRST');
    await tx.run(
      `INSERT INTO stocktake_scans (stocktake_id, seq, shelf, layer, waybill_no, scanned_by, scanned_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      st.id, st.next_seq, st.at_shelf, st.at_layer, waybillNo, actor.userId, at,
    );
    await tx.run('UPDATE stocktakes SET next_seq = next_seq + 1 WHERE id = ?', st.id);
    const slot = slotName({ shelf: st.at_shelf, layer: st.at_layer });
    const b = await this.book(tx, waybillNo);
    if (!b?.onShelf) return { result: { kind: 'parcel', waybillNo, slot, outcome: 'extra', expected: null }, parcelId: null };
    const outcome = b.slot === slot ? 'in_place' : 'misplaced';
    return { result: { kind: 'parcel', waybillNo, slot, outcome, expected: b.slot }, parcelId: b.id };
  }

  async setState(tx: Queryable, id: number, from: StocktakeState, to: StocktakeState): Promise<void> {
    const r = await tx.run('UPDATE stocktakes SET state = ? WHERE id = ? AND state = ?', to, id, from);
    if (!r.changes) throw new AppError(from === 'open' ? 'STOCKTAKE_NOT_OPEN' : 'STOCKTAKE_NOT_PAUSED');
  }

  /** The books against the scans, as of now. */
  async reconcile(tx: Queryable, id: number): Promise<Reconciliation> {
    const booked = new Map<string, Booked>();
    // Driven by the on-shelf parcels (a partial index), each probing the layer list by its key.
    const rows = await tx.all<BookRow>(
      `SELECT p.id, p.waybill_no, p.status, p.shelf, p.layer FROM parcels p
       WHERE p.status = 'on_shelf'
         AND EXISTS (SELECT 1 FROM stocktake_layers l WHERE l.stocktake_id = ? AND l.shelf = p.shelf AND l.layer = p.layer)`,
      id,
    );
    for (const r of rows) if (!booked.has(r.waybill_no)) booked.set(r.waybill_no, toBooked(r));
    const scans = await tx.all<{ shelf: number; layer: number; waybill_no: string }>(
      'SELECT shelf, layer, waybill_no FROM stocktake_scans WHERE stocktake_id = ? ORDER BY seq',
      id,
    );
    const seen = scans.map((s) => ({ waybillNo: s.waybill_no, slot: slotName(s) }));
    // The few scanned waybills not on the counted layers, looked up one by one.
    const others = new Map<string, Booked | undefined>();
    for (const s of seen) if (!booked.has(s.waybillNo) && !others.has(s.waybillNo)) others.set(s.waybillNo, await this.book(tx, s.waybillNo));
    return reconcile(booked, seen, (w) => others.get(w));
  }

  async close(tx: Queryable, id: number, actor: Actor, note: string | null, r: Reconciliation, at: string): Promise<void> {
    const done = await tx.run(
      `UPDATE stocktakes SET state = 'closed', closed_by = ?, closed_at = ?, expected = ?, found = ?, missing = ?, extra = ?, misplaced = ?, result = ?
       WHERE id = ? AND state <> 'closed'`,
      actor.userId, at, r.expected, r.found, r.missing.length, r.extra.length, r.misplaced.length, JSON.stringify(stocktakeResult(r)), id,
    );
    if (!done.changes) throw new AppError('STOCKTAKE_NOT_OPEN');
    if (note) await tx.run('UPDATE stocktakes SET note_ct = ? WHERE id = ?', sealText(this.keys.field, note, `stocktakes.note#${id}`), id);
  }

  async summary(tx: Queryable, id: number): Promise<StocktakeSummary> {
    const st = await tx.get<StocktakeRow>(`SELECT ${STOCKTAKE_COLUMNS} FROM stocktakes WHERE id = ?`, id);
    if (!st) throw new AppError('STOCKTAKE_NOT_FOUND');
    const layers = await tx.all<Slot>('SELECT shelf, layer FROM stocktake_layers WHERE stocktake_id = ? ORDER BY shelf, layer', id);
    return {
      id: st.id,
      state: st.state,
      startedAt: st.started_at,
      layers: layers.map(slotName),
      at: st.at_shelf === null || st.at_layer === null ? null : slotName({ shelf: st.at_shelf, layer: st.at_layer }),
      scans: st.next_seq - 1,
      closedAt: st.closed_at,
    };
  }

  /** A closed stocktake's result as it stood at its close. */
  async closedResult(tx: Queryable, id: number): Promise<{ summary: StocktakeSummary; result: StocktakeResult }> {
    const summary = await this.summary(tx, id);
    const json = await tx.value<string>("SELECT result FROM stocktakes WHERE id = ? AND state = 'closed'", id);
    if (!json) throw new AppError('STOCKTAKE_NOT_FOUND', `#${id} is not closed`);
    return { summary, result: JSON.parse(json) as StocktakeResult };
  }

  /** Stocktakes closed in [fromIso, toIso), with their counts, for the daily close. */
  async closedBetween(tx: Queryable, fromIso: string, toIso: string) {
    return tx.all<{ id: number; expected: number; found: number; missing: number; extra: number; misplaced: number }>(
      `SELECT id, expected, found, missing, extra, misplaced FROM stocktakes
       WHERE state = 'closed' AND closed_at >= ? AND closed_at < ? ORDER BY id`,
      fromIso, toIso,
    );
  }

  /** The books on one waybill: the parcel on the shelf if one is, else any. */
  private async book(tx: Queryable, waybillNo: string): Promise<Booked | undefined> {
    const r = await tx.get<BookRow>(
      `SELECT id, waybill_no, status, shelf, layer FROM parcels WHERE waybill_no = ?
       ORDER BY CASE WHEN status = 'on_shelf' THEN 0 ELSE 1 END, id DESC LIMIT 1`,
      waybillNo,
    );
    return r && toBooked(r);
  }
}
