// Closing application service: the daily close (日结) and the carrier
// settlement (派费结算). A close is audited and checkpoints both chains, so
// its report vouches for the day's entries; a settlement export is audited
// and counted by the bulk-export rule like any other.
import type { Actor } from '../../../shared/actor';
import type { DailyClose, FeeTable, Settlement } from '../../../shared/closing';
import { yuan } from '../../../shared/closing';
import { AppError } from '../../../shared/errors';
import type { ExportFormat, SignedExport } from '../../../shared/ipc/ledger';
import { exported } from '../../audit/events';
import { carrierCounts, paperCounts, type Period } from '../../closing/carrier-counts';
import { dailyCloseTable, settlementTable } from '../../closing/closing-reports';
import { dailyCloses } from '../../closing/daily-closes';
import { feeTableFromYuan, parseFeeTable, settle } from '../../closing/settlement';
import { overdueCondition, overdueRule } from '../../counter/overdue-cutoff';
import { exportContext, staffLabel } from '../../exports/format';
import { sealStationChainsIn } from '../../exports/seal';
import { signedStationReport } from '../../exports/station-report';
import { addDays, dayStart, localDay } from '../../settings/calendar';
import { Stocktakes } from '../../stocktake/stocktakes';
import type { Queryable } from '../../store/engine/store';
import type { ServiceDeps } from './deps';

export class ClosingService {
  private readonly stocktakes: Stocktakes;

  constructor(private readonly deps: ServiceDeps) {
    this.stocktakes = new Stocktakes(deps.station.keys);
  }

  /** Closes a station-local day (today at the earliest at its end of business, never one still to come). */
  async closeDay(actor: Actor, date: string): Promise<DailyClose> {
    const { station, now } = this.deps;
    const at = now();
    const period = await this.period(date, date);
    if (date > localDay(at, await this.timeZone())) throw new AppError('DAY_NOT_OVER', date);
    return this.deps.tx.run(async (tx) => {
      if (await dailyCloses.find(tx, date)) throw new AppError('DAY_ALREADY_CLOSED', date);
      const carriers = await carrierCounts(tx, period);
      const papers = await paperCounts(tx, period);
      const stocktakes = (await this.stocktakes.closedBetween(tx, period.start, period.end)).map(({ id, ...counts }) => ({ stocktakeId: id, ...counts }));
      const sum = (k: 'received' | 'handedOver' | 'returned' | 'onShelf' | 'overdue') => carriers.reduce((n, c) => n + c[k], 0);
      await this.deps.oversight.record(tx, {
        action: 'day.close',
        actor,
        detail: { date, received: sum('received'), handedOver: sum('handedOver'), returned: sum('returned'), onShelf: sum('onShelf'), overdue: sum('overdue'), stocktakes: stocktakes.length },
      });
      // After its own entry, so the signed heads include the close.
      const seal = await sealStationChainsIn(tx, station, 'daily-close', at);
      const close: DailyClose = {
        date,
        closedAt: at.toISOString(),
        closedBy: staffLabel(actor),
        carriers,
        papers,
        stocktakes,
        heads: seal.heads.map((h) => ({ log: h.log, seq: h.seq })),
      };
      await dailyCloses.record(tx, close, actor.userId);
      return close;
    });
  }

  /** A closed day's signed PDF/CSV, as it stood at its close; audited before it is rendered. */
  async exportDay(actor: Actor, date: string, format: ExportFormat): Promise<SignedExport> {
    const close = await this.deps.station.store.transaction((tx) => dailyCloses.find(tx, date));
    if (!close) throw new AppError('INVALID_INPUT', `${date} is not closed`);
    await this.deps.tx.run((tx) => this.deps.oversight.record(tx, exported(actor, 'daily-close', format, date, date, close.carriers.length), { kind: 'export' }));
    const ctx = await exportContext(this.deps.station, date, date, staffLabel(actor), this.deps.now());
    return signedStationReport(this.deps.station, dailyCloseTable(close, ctx), format, ctx.now);
  }

  /** Per carrier for the days from..to: received, handed over, the fee and the amount due, with its signed file. */
  async settlement(actor: Actor, from: string, to: string, format: ExportFormat): Promise<{ settlement: Settlement; file: SignedExport }> {
    if (from > to) throw new AppError('INVALID_INPUT', 'from is after to');
    const period = await this.period(from, to);
    const counts = await this.deps.station.store.transaction((tx) => carrierCounts(tx, period));
    const settlement = settle(from, to, counts, await this.feeTable(this.deps.station.store));
    await this.deps.tx.run((tx) => this.deps.oversight.record(tx, exported(actor, 'settlement', format, from, to, settlement.lines.length), { kind: 'export' }));
    const ctx = await exportContext(this.deps.station, from, to, staffLabel(actor), this.deps.now());
    return { settlement, file: await signedStationReport(this.deps.station, settlementTable(settlement, ctx), format, ctx.now) };
  }

  /** The latest closes as they were at their close, newest first: counts per carrier, no parcel. */
  history(limit: number): Promise<DailyClose[]> {
    return dailyCloses.recent(this.deps.station.store, limit);
  }

  /** The fee table in 元, as the settings screen shows it. */
  async fees(): Promise<Record<string, string>> {
    return this.feesIn(this.deps.station.store);
  }

  setFees(actor: Actor, input: Record<string, unknown>): Promise<Record<string, string>> {
    const table = feeTableFromYuan(input);
    return this.deps.tx.run(async (tx) => {
      await this.deps.settings.set(tx, 'settlement.fees', JSON.stringify(table));
      await this.deps.oversight.record(tx, { action: 'settings.change', actor, detail: { key: 'settlement.fees', carriers: Object.keys(table).length } });
      return this.feesIn(tx);
    });
  }

  private async feesIn(q: Queryable): Promise<Record<string, string>> {
    return Object.fromEntries(Object.entries(await this.feeTable(q)).map(([c, fen]) => [c, yuan(fen)]));
  }

  private async feeTable(q: Queryable): Promise<FeeTable> {
    return parseFeeTable(await this.deps.settings.get(q, 'settlement.fees'));
  }

  private async timeZone(): Promise<string> {
    return (await this.deps.settings.counter(this.deps.station.store)).timeZone;
  }

  private async period(from: string, to: string): Promise<Period> {
    const rule = await overdueRule(this.deps.settings, this.deps.station.store);
    const tz = rule.timeZone;
    return {
      start: dayStart(from, tz).toISOString(),
      end: dayStart(addDays(to, 1), tz).toISOString(),
      overdue: overdueCondition(to, rule, { arrived: 'arrived_at', carrier: 'carrier' }),
    };
  }
}
