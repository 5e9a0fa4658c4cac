// The daily close and the settlement as export tables: counts and money per
// carrier, nothing about any recipient. Their words come from the locale files.
import type { DailyClose, Settlement } from '../../shared/closing';
import { exportFacts, localDateTime, type ExportContext } from '../exports/format';
import { reportLabel, reportPhrase } from '../exports/report-text';
import type { ExportTable } from '../exports/table';

const COUNTS = ['received', 'handedOver', 'returned', 'onShelf', 'overdue'] as const;
const flow = (k: 'carrier' | (typeof COUNTS)[number]) => reportLabel('flow', k);

// Both reports open with the carrier and its parcels in and out.
const FLOW_COLUMNS = [
  { header: flow('carrier'), width: 8 },
  { header: flow('received'), width: 5 },
  { header: flow('handedOver'), width: 5 },
];

export function dailyCloseTable(d: DailyClose, ctx: ExportContext): ExportTable {
  const sum = (k: (typeof COUNTS)[number]) => String(d.carriers.reduce((n, c) => n + c[k], 0));
  return {
    fileStem: `daily-close_${d.date}`,
    title: `${reportLabel('dailyClose', 'title')} ${d.date}`,
    facts: [
      ...exportFacts(ctx),
      [reportLabel('dailyClose', 'closed'), `${localDateTime(d.closedAt, ctx.timeZone)} · ${d.closedBy}`],
      [reportLabel('dailyClose', 'papers'), reportPhrase('dailyClose', 'papersValue', d.papers)],
      ...d.stocktakes.map((s): [string, string] => [`${reportLabel('dailyClose', 'stocktake')} #${s.stocktakeId}`, reportPhrase('dailyClose', 'stocktakeValue', { ...s })]),
    ],
    totals: COUNTS.map((k): [string, string] => [flow(k), sum(k)]),
    columns: [...FLOW_COLUMNS, ...COUNTS.slice(2).map((k) => ({ header: flow(k), width: 5 }))],
    rows: d.carriers.map((c) => [c.carrier, ...COUNTS.map((k) => String(c[k]))]),
  };
}

export function settlementTable(s: Settlement, ctx: ExportContext): ExportTable {
  return {
    fileStem: `settlement_${s.from}_${s.to}`,
    title: reportLabel('settlement', 'title'),
    facts: [...exportFacts(ctx), [reportLabel('settlement', 'basis'), reportPhrase('settlement', 'basisValue')]],
    totals: [[reportLabel('settlement', 'amountDue'), s.total]],
    columns: [
      ...FLOW_COLUMNS,
      { header: reportLabel('settlement', 'fee'), width: 5 },
      { header: reportLabel('settlement', 'amount'), width: 6 },
    ],
    rows: s.lines.map((l) => [l.carrier, String(l.received), String(l.handedOver), l.fee ?? '—', l.amount ?? '—']),
  };
}
