// The copy handed to a person who asked what the station holds about them:
// a PDF to read and a JSON file to take elsewhere (PIPL art. 45), both signed
// with the station key like every other export, so the person can show the
// copy is genuine. These files carry the person's own full data by design.
import type { SignedExport } from '../../shared/ipc/ledger';
import type { SubjectParcel, SubjectReport } from '../../shared/ipc/lifecycle';
import { signExport } from '../chain/export-signature';
import { localDateTime } from '../exports/format';
import { problemWords, statusWords } from '../exports/words';
import { signedExport, type ReportContext } from '../exports/signed-export';
import type { ExportTable } from '../exports/table';

const COLUMNS = [
  { header: '运单 Waybill', width: 11 },
  { header: '状态 Status', width: 7 },
  { header: '日期 Dates', width: 14 },
  { header: '姓名 Name', width: 7 },
  { header: '电话 Phone', width: 9 },
  { header: '地址 Address', width: 18 },
  { header: '出库记录 Handovers', width: 16 },
  { header: '问题件 Problems', width: 12 },
];

function row(p: SubjectParcel, tz: string): string[] {
  const when = (label: string, iso: string | null) => (iso ? [`${label} ${localDateTime(iso, tz)}`] : []);
  const erased = p.name === '' && p.phone === '' && p.address === '';
  return [
    `${p.carrier} ${p.waybillNo}\n${p.item}`,
    statusWords(p.status),
    [...when('导入 Imported', p.importedAt), ...when('到站 Arrived', p.arrivedAt), ...when('取件 Picked up', p.pickedUpAt), ...when('退回 Returned', p.returnedAt)].join('\n'),
    erased ? '已删除 Erased' : p.name,
    p.phone,
    p.address,
    p.handovers
      .map((h) =>
        [
          localDateTime(h.handedAt, tz),
          h.proxy ? '代取 By proxy' : '',
          h.proxyNote ?? '',
          h.undoneAt ? `已撤销 Undone ${localDateTime(h.undoneAt, tz)} ${h.undoReason ?? ''}` : '',
        ]
          .filter(Boolean)
          .join(' · '),
      )
      .join('\n'),
    p.problems.map((f) => [problemWords(f.kind), localDateTime(f.flaggedAt, tz), f.note ?? ''].filter(Boolean).join(' · ')).join('\n'),
  ];
}

function subjectTable(report: SubjectReport, ctx: ReportContext): ExportTable {
  const { request } = report;
  const byAction = new Map<string, number>();
  for (const a of report.accessLog) byAction.set(a.action, (byAction.get(a.action) ?? 0) + 1);
  return {
    fileStem: `personal-data_${request.reference}`,
    title: '个人信息副本 Copy of the personal information held',
    facts: [
      ['驿站 Station', ctx.stationName],
      ['请求编号 Request', `${request.reference} (${request.kind === 'access' ? '查阅 access' : '删除 erasure'})`],
      ['收到 Received', localDateTime(request.receivedAt, ctx.timeZone)],
      ['导出 Exported', `${localDateTime(ctx.now, ctx.timeZone)} · ${ctx.exportedBy}`],
    ],
    totals: [
      ['包裹 Parcels', String(report.parcels.length)],
      ['访问记录 Accesses by staff', String(report.accessLog.length)],
      ...[...byAction].map(([a, n]): [string, string] => [a, String(n)]),
    ],
    columns: COLUMNS,
    rows: report.parcels.map((p) => row(p, ctx.timeZone)),
  };
}

export async function exportSubjectReport(report: SubjectReport, ctx: ReportContext): Promise<{ pdf: SignedExport; json: SignedExport }> {
  const pdf = await signedExport(subjectTable(report, ctx), 'pdf', { seal: ctx.seal, signer: ctx.signer, now: ctx.now });
  const body = {
    format: 'privacy-counter/personal-data/v1',
    station: ctx.stationName,
    exportedAt: ctx.now.toISOString(),
    request: { reference: report.request.reference, kind: report.request.kind, receivedAt: report.request.receivedAt },
    parcels: report.parcels,
    accessLog: report.accessLog,
  };
  const bytes = new Uint8Array(Buffer.from(`${JSON.stringify(body, null, 2)}\n`, 'utf8'));
  const json: SignedExport = { fileName: `personal-data_${report.request.reference}.json`, bytes, signature: signExport(bytes, ctx.signer, ctx.now) };
  return { pdf, json };
}
