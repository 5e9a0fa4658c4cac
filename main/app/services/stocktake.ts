// Stocktake application service: start, scan, pause, resume, close and the
// signed report. Starting, pausing, resuming and closing are audited; the
// close names the parcels it found missing, which become problem parcels
// until one is seen again. Scans are stored with who scanned them and are
// summed up in the close's entry.
import type { Actor } from '../../../shared/actor';
import { AppError } from '../../../shared/errors';
import type { ExportFormat } from '../../../shared/ipc/ledger';
import { normaliseWaybill } from '../../../shared/waybill';
import type { StocktakeResult, StocktakeScanResult, StocktakeSummary } from '../../../shared/stocktake';
import { exported } from '../../audit/events';
import { staffLabel } from '../../exports/format';
import { stationTimeZone } from '../../exports/format';
import { signedStationReport } from '../../exports/station-report';
import type { Queryable, Tx } from '../../store/engine/store';
import { missingParcels } from '../../stocktake/missing';
import { parseShelfLayer } from '../../counter/shelf-layer';
import { stocktakeTable } from '../../stocktake/stocktake-report';
import { stocktakeResult, Stocktakes } from '../../stocktake/stocktakes';
import type { ServiceDeps } from './deps';

export class StocktakeService {
  private readonly stocktakes: Stocktakes;

  constructor(private readonly deps: ServiceDeps) {
    this.stocktakes = new Stocktakes(deps.station.keys);
  }

  /** `layers`: shelf-layer barcodes ("3-2"); none for every shelf. */
  start(actor: Actor, layers?: readonly string[]): Promise<StocktakeSummary> {
    return this.deps.tx.run(async (tx) => this.stocktakes.summary(tx, await this.startIn(tx, actor, layers)));
  }

  /** The stocktake under way (open or paused), if any. */
  current(): Promise<StocktakeSummary | null> {
    return this.deps.station.store.transaction(async (tx) => {
      const live = await this.stocktakes.live(tx);
      return live ? this.stocktakes.summary(tx, live.id) : null;
    });
  }

  /** One scan: a shelf-layer's barcode, or a waybill found on the layer last scanned. */
  scan(actor: Actor, code: string): Promise<StocktakeScanResult> {
    return this.deps.tx.run((tx) => this.scanOne(tx, actor, code));
  }

  /**
   * A whole stocktake of every shelf from a list of scans in the order made
   * (the CLI's file; blank lines skipped, kept for their numbers), started,
   * counted and closed in one transaction: a bad line leaves nothing behind.
   */
  countAll(actor: Actor, codes: readonly string[]): Promise<StocktakeResult> {
    return this.deps.tx.run(async (tx) => {
      const id = await this.startIn(tx, actor);
      for (const [i, code] of codes.entries()) {
        if (!code.trim()) continue;
        try {
          await this.scanOne(tx, actor, code);
        } catch (e) {
          throw e instanceof AppError ? new AppError(e.code, `line ${i + 1}${e.detail ? `: ${e.detail}` : ''}`) : e;
        }
      }
      return this.closeIn(tx, actor, id, null);
    });
  }

  pause(actor: Actor): Promise<StocktakeSummary> {
    return this.changeState(actor, 'pause');
  }

  resume(actor: Actor): Promise<StocktakeSummary> {
    return this.changeState(actor, 'resume');
  }

  /** The live stocktake's differences so far. */
  progress(): Promise<StocktakeResult> {
    return this.deps.station.store.transaction(async (tx) => {
      const live = await this.stocktakes.live(tx);
      if (!live) throw new AppError('STOCKTAKE_NOT_OPEN');
      return stocktakeResult(await this.stocktakes.reconcile(tx, live.id));
    });
  }

  /** The supervisor closes it with a note (sealed, never in the audit chain); what it missed becomes problem parcels. */
  close(actor: Actor, note?: string): Promise<{ summary: StocktakeSummary; result: StocktakeResult }> {
    const text = note?.trim() || null;
    if (text && text.length > 500) throw new AppError('INVALID_INPUT', 'note');
    return this.deps.tx.run(async (tx) => {
      const live = await this.stocktakes.live(tx);
      if (!live) throw new AppError('STOCKTAKE_NOT_OPEN');
      const result = await this.closeIn(tx, actor, live.id, text);
      return { summary: await this.stocktakes.summary(tx, live.id), result };
    });
  }

  /** A closed stocktake's signed PDF/CSV; audited (and counted by the bulk-export rule) before it is rendered. */
  async exportReport(actor: Actor, stocktakeId: number, format: ExportFormat) {
    const { station, now } = this.deps;
    const { summary, result } = await station.store.transaction((tx) => this.stocktakes.closedResult(tx, stocktakeId));
    const day = summary.startedAt.slice(0, 10);
    await this.deps.tx.run((tx) =>
      this.deps.oversight.record(tx, exported(actor, 'stocktake', format, day, day, result.missing.length + result.misplaced.length + result.extra.length), { kind: 'export' }),
    );
    const ctx = { stationName: station.name, timeZone: await stationTimeZone(station.store), now: now(), exportedBy: staffLabel(actor) };
    return signedStationReport(station, stocktakeTable(summary, result, ctx), format, ctx.now);
  }

  private async startIn(tx: Tx, actor: Actor, layers?: readonly string[]): Promise<number> {
    const slots = layers?.map((l) => parseShelfLayer(l) ?? badLayer(l));
    const id = await this.stocktakes.start(tx, actor, slots ?? 'all', this.at());
    const { layers: counted } = await this.stocktakes.summary(tx, id);
    await this.deps.oversight.record(tx, { action: 'stocktake', actor, detail: { step: 'start', stocktakeId: id, layers: counted.length } });
    return id;
  }

  private async closeIn(tx: Tx, actor: Actor, id: number, note: string | null): Promise<StocktakeResult> {
    const r = await this.stocktakes.reconcile(tx, id);
    const at = this.at();
    await this.stocktakes.close(tx, id, actor, note, r, at);
    await missingParcels.flag(tx, id, r.missing.map((m) => m.parcelId), at);
    await this.deps.oversight.record(tx, {
      action: 'stocktake',
      actor,
      parcelIds: r.missing.map((m) => m.parcelId),
      detail: {
        step: 'close',
        stocktakeId: id,
        expected: r.expected,
        found: r.found,
        missing: r.missing.length,
        misplaced: r.misplaced.length,
        extra: r.extra.length,
        noted: note !== null,
      },
    });
    return stocktakeResult(r);
  }

  private async scanOne(tx: Queryable, actor: Actor, code: string): Promise<StocktakeScanResult> {
    const text = code.trim();
    if (!text || text.length > 64) throw new AppError('INVALID_INPUT', 'scan');
    const st = await this.stocktakes.scanning(tx);
    const slot = parseShelfLayer(text.startsWith('@') ? text.slice(1) : text);
    if (slot) return this.stocktakes.enterLayer(tx, st, slot);
    if (text.startsWith('@')) badLayer(text);
    const { result, parcelId } = await this.stocktakes.scanParcel(tx, st, actor, normaliseWaybill(text), this.at());
    if (parcelId !== null) await missingParcels.clear(tx, parcelId, 'stocktake', this.at());
    return result;
  }

  private changeState(actor: Actor, step: 'pause' | 'resume'): Promise<StocktakeSummary> {
    return this.deps.tx.run(async (tx) => {
      const live = await this.stocktakes.live(tx);
      if (!live) throw new AppError('STOCKTAKE_NOT_OPEN');
      await this.stocktakes.setState(tx, live.id, step === 'pause' ? 'open' : 'paused', step === 'pause' ? 'paused' : 'open');
      await this.deps.oversight.record(tx, { action: 'stocktake', actor, detail: { step, stocktakeId: live.id } });
      return this.stocktakes.summary(tx, live.id);
    });
  }

  private at(): string {
    return this.deps.now().toISOString();
  }
}

function badLayer(text: string): never {
  throw new AppError('SHELF_LAYER_UNKNOWN', text.slice(0, 16));
}
