// The daily close and the settlement as export tables: counts and money per
// carrier, nothing about any recipient.
import type { DailyClose, Settlement } from '../../shared/closing';
import { exportFacts, localDateTime, type ExportContext } from '../exports/format';
import type { ExportTable } from '../exports/table';

// Both reports open with the carrier and its parcels in and out.
const FLOW_COLUMNS = [
  { header: '快递公司 Carrier', width: 8 },
  { header: '入库 Received', width: 5 },
  { header: '出库 Handed over', width: 5 },
];

export function dailyCloseTable(d: DailyClose, ctx: ExportContext): ExportTable {
  const sum = (k: 'received' | 'handedOver' | 'returned' | 'onShelf' | 'overdue') => String(d.carriers.reduce((n, c) => n + c[k], 0));
  return {
    fileStem: `daily-close_${d.date}`,
    title: `日结 Daily close ${d.date}`,
    facts: [
      ...exportFacts(ctx),
      ['日结 Closed', `${localDateTime(d.closedAt, ctx.timeZone)} · ${d.closedBy}`],
      ['面单 Paper waybills', `撤下 detached ${d.papers.detached} · 销毁 destroyed ${d.papers.destroyed}`],
      ...d.stocktakes.map((s): [string, string] => [
        `盘库 Stocktake #${s.stocktakeId}`,
        `应在架 expected ${s.expected} · 找到 found ${s.found} · 缺失 missing ${s.missing} · 错放 misplaced ${s.misplaced} · 多出 extra ${s.extra}`,
      ]),
    ],
    totals: [
      ['入库 Received', sum('received')],
      ['出库 Handed over', sum('handedOver')],
      ['退回 Returned', sum('returned')],
      ['在架 On the shelves', sum('onShelf')],
      ['滞留 Overdue', sum('overdue')],
    ],
    columns: [
      ...FLOW_COLUMNS,
      { header: '退回 Returned', width: 5 },
      { header: '在架 On shelves', width: 5 },
      { header: '滞留 Overdue', width: 5 },
    ],
    rows: d.carriers.map((c) => [c.carrier, String(c.received), String(c.handedOver), String(c.returned), String(c.onShelf), String(c.overdue)]),
  };
}

export function settlementTable(s: Settlement, ctx: ExportContext): ExportTable {
  return {
    fileStem: `settlement_${s.from}_${s.to}`,
    title: '派费结算 Carrier settlement',
    facts: [...exportFacts(ctx), ['计费依据 Fee basis', '入库件数 × 每件派费 Parcels received × fee per parcel (元 yuan)']],
    totals: [['应结金额 Amount due (元)', s.total]],
    columns: [
      ...FLOW_COLUMNS,
      { header: '派费 Fee (元/件)', width: 5 },
      { header: '金额 Amount (元)', width: 6 },
    ],
    rows: s.lines.map((l) => [l.carrier, String(l.received), String(l.handedOver), l.fee ?? '—', l.amount ?? '—']),
  };
}
