// A closed stocktake as an export table: one row per difference (missing,
// misplaced, extra), waybill numbers and shelf-layers only.
import type { StocktakeResult, StocktakeSummary } from '../../shared/stocktake';
import { localDateTime, type ExportContext } from '../exports/format';
import type { ExportTable } from '../exports/table';

const COLUMNS = [
  { header: '差异 Difference', width: 10 },
  { header: '运单号 Waybill', width: 14 },
  { header: '账面货架 Booked at', width: 8 },
  { header: '实际货架 Found at', width: 8 },
];

export function stocktakeTable(s: StocktakeSummary, r: StocktakeResult, ctx: Omit<ExportContext, 'from' | 'to'>): ExportTable {
  return {
    fileStem: `stocktake_${s.id}`,
    title: `盘库 Stocktake #${s.id}`,
    facts: [
      ['驿站 Station', ctx.stationName],
      ['开始 Started', localDateTime(s.startedAt, ctx.timeZone)],
      ['结束 Closed', s.closedAt ? localDateTime(s.closedAt, ctx.timeZone) : '—'],
      ['货架层 Shelf-layers', s.layers.join(', ')],
      ['导出 Exported', `${localDateTime(ctx.now, ctx.timeZone)} · ${ctx.exportedBy}`],
    ],
    totals: [
      ['应在架 Expected', String(r.expected)],
      ['找到 Found', String(r.found)],
      ['缺失 Missing', String(r.missing.length)],
      ['错放 Misplaced', String(r.misplaced.length)],
      ['多出 Extra', String(r.extra.length)],
    ],
    columns: COLUMNS,
    rows: [
      ...r.missing.map((w) => ['缺失 Missing', w, '', '']),
      ...r.misplaced.map((m) => ['错放 Misplaced', m.waybillNo, m.expected, m.found]),
      ...r.extra.map((w) => ['多出 Extra', w, '', '']),
    ],
  };
}
