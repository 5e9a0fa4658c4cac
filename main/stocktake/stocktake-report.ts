// A closed stocktake as an export table: one row per difference (missing,
// misplaced, extra), waybill numbers and shelf-layers only. Its words come
// from the locale files.
import type { StocktakeResult, StocktakeSummary } from '../../shared/stocktake';
import { exportedFact, localDateTime, type ExportContext } from '../exports/format';
import { reportLabel } from '../exports/report-text';
import type { ExportTable } from '../exports/table';

const label = (k: Parameters<typeof reportLabel<'stocktake'>>[1]) => reportLabel('stocktake', k);

const COLUMNS = [
  { header: label('difference'), width: 10 },
  { header: label('waybill'), width: 14 },
  { header: label('bookedAt'), width: 8 },
  { header: label('foundAt'), width: 8 },
];

export function stocktakeTable(s: StocktakeSummary, r: StocktakeResult, ctx: Omit<ExportContext, 'from' | 'to'>): ExportTable {
  return {
    fileStem: `stocktake_${s.id}`,
    title: `${label('title')} #${s.id}`,
    facts: [
      [reportLabel('facts', 'station'), ctx.stationName],
      [label('started'), localDateTime(s.startedAt, ctx.timeZone)],
      [label('closed'), s.closedAt ? localDateTime(s.closedAt, ctx.timeZone) : '—'],
      [label('layers'), s.layers.join(', ')],
      exportedFact(ctx),
    ],
    totals: [
      [label('expected'), String(r.expected)],
      [label('found'), String(r.found)],
      [label('missing'), String(r.missing.length)],
      [label('misplaced'), String(r.misplaced.length)],
      [label('extra'), String(r.extra.length)],
    ],
    columns: COLUMNS,
    rows: [
      ...r.missing.map((w) => [label('missing'), w, '', '']),
      ...r.misplaced.map((m) => [label('misplaced'), m.waybillNo, m.expected, m.found]),
      ...r.extra.map((w) => [label('extra'), w, '', '']),
    ],
  };
}
