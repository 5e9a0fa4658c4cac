// The shred ledger as an export table: one row per destruction or correction
// record, totals by method (as corrected), and nothing but waybill numbers,
// counts, device/certificate numbers and staff names.
import type { ExportFormat, LedgerEntry, ShredDestruction, ShredMethod, SignedExport } from '../../shared/ipc/ledger';
import { loadSigningKey } from '../chain/signing-key';
import { exportFacts, localDateTime, staffLabel, type ExportContext } from '../exports/format';
import { headOf, sealStationChains } from '../exports/seal';
import { methodWords, PENDING_SIGNOFF } from '../exports/words';
import { signedExport } from '../exports/signed-export';
import type { ExportTable } from '../exports/table';
import type { Station } from '../store/station';
import { SHRED_LOG } from './shred-ledger';

const COLUMNS = [
  { header: '编号 Entry', width: 4.5 },
  { header: '时间 Date/time', width: 8 },
  { header: '批次 Batch', width: 4.5 },
  { header: '面单号 / 张数 Waybills / count', width: 28 },
  { header: '张数 Sheets', width: 4.5 },
  { header: '方式 Method', width: 11 },
  { header: '操作人 Operator', width: 8.5 },
  { header: '见证人 Witness', width: 8.5 },
  { header: '签核 Sign-off', width: 10 },
  { header: '备注 Notes', width: 12.5 },
];

function method(m: ShredMethod, deviceId: string | null, certificate: string | null): string {
  if (deviceId) return `${methodWords(m)} ${deviceId}`;
  if (certificate) return `${methodWords(m)} 证书 Cert. ${certificate}`;
  return methodWords(m);
}

function papers(waybills: readonly string[], unknown: readonly string[], counts: ShredDestruction['counts']): string {
  const parts: string[] = [];
  if (waybills.length) parts.push(waybills.join(', '));
  if (unknown.length) parts.push(`未知 Unknown: ${unknown.join(', ')}`);
  for (const c of counts) parts.push(`计数 Count: ${c.sheets} 张 (${c.note})`);
  return parts.join('\n');
}

function row(e: LedgerEntry, tz: string): string[] {
  const when = localDateTime(e.at, tz);
  if (e.kind === 'correction') {
    const changes: string[] = [];
    if (e.withdraw.length) changes.push(`撤回 Withdrawn: ${e.withdraw.join(', ')}`);
    if (e.countedSheets !== null) changes.push(`计数改为 Counted sheets now: ${e.countedSheets}`);
    const notes = [`更正 Corrects #${e.corrects}: ${e.reason}`, ...(e.notes !== null ? [`备注改为 Notes now: ${e.notes}`] : [])];
    return [
      `#${e.id}`, when, `#${e.batchId}`, changes.join('\n'), '',
      e.method ? method(e.method, e.deviceId, e.certificate) : '—', staffLabel(e.by), '—', '—', notes.join('\n'),
    ];
  }
  const notes = [...(e.notes ? [e.notes] : []), ...(e.correctedBy.length ? [`已更正 Corrected by ${e.correctedBy.map((id) => `#${id}`).join(', ')}`] : [])];
  return [
    `#${e.id}`, when, `#${e.batchId}`, papers(e.waybills, e.unknownWaybills, e.counts), String(e.sheets),
    method(e.method, e.deviceId, e.certificate), staffLabel(e.operator), staffLabel(e.witness),
    e.signoff ? `${staffLabel(e.signoff.by)} ${localDateTime(e.signoff.at, tz)}` : PENDING_SIGNOFF, notes.join('\n'),
  ];
}

export function ledgerTable(entries: readonly LedgerEntry[], ctx: ExportContext): ExportTable {
  const destroyed = entries.filter((e): e is ShredDestruction => e.kind === 'destroyed');
  const byMethod = new Map<ShredMethod, { records: number; sheets: number }>();
  for (const d of destroyed) {
    const m = d.corrected?.method ?? d.method;
    const t = byMethod.get(m) ?? { records: 0, sheets: 0 };
    t.records++;
    t.sheets += d.corrected?.sheets ?? d.sheets;
    byMethod.set(m, t);
  }
  const sheets = destroyed.reduce((n, d) => n + (d.corrected?.sheets ?? d.sheets), 0);
  const totals: [string, string][] = [
    ...[...byMethod].map(([m, t]): [string, string] => [methodWords(m), `${t.records} 次 records / ${t.sheets} 张 sheets`]),
    ['全部 All', `${destroyed.length} 次 records / ${sheets} 张 sheets`],
    ['更正 Corrections', String(entries.length - destroyed.length)],
    [PENDING_SIGNOFF, String(destroyed.filter((d) => !d.signoff).length)],
  ];
  return {
    fileStem: `shred-ledger_${ctx.from}_${ctx.to}`,
    title: '纸质面单销毁台账 Paper waybill shred ledger',
    facts: exportFacts(ctx),
    totals,
    columns: COLUMNS,
    rows: entries.map((e) => row(e, ctx.timeZone)),
    // For an inspector's printout: rows counted without gaps (an entry's number may skip), times with their offset,
    // and room for the people answerable for the ledger to sign and the station to stamp.
    numbered: '序 No.',
    signLines: ['操作人签字 Operator', '站长签字 Supervisor', '驿站盖章 Station stamp'],
    timeZone: ctx.timeZone,
  };
}

/** Checkpoints both chains (every export carries the signed heads away) and renders the signed file. */
export async function exportLedger(
  station: Station,
  entries: readonly LedgerEntry[],
  format: ExportFormat,
  ctx: ExportContext,
  onProgress?: (done: number, total: number) => void,
): Promise<SignedExport> {
  const chains = await sealStationChains(station, 'export', ctx.now);
  return signedExport(ledgerTable(entries, ctx), format, { seal: headOf(chains, SHRED_LOG), chains, signer: loadSigningKey(station), now: ctx.now, onProgress });
}
