// The audit log as an export table: who did what, when, why and
// from where. Entries hold ids and staff names only, never personal data.
import type { AuditAction, AuditEntry } from '../../shared/ipc/contract';
import type { ExportFormat, SignedExport } from '../../shared/ipc/ledger';
import { AUDIT_LOG, type AuditLog } from '../audit/audit-log';
import { loadSigningKey } from '../chain/signing-key';
import type { Queryable } from '../store/engine/store';
import type { Station } from '../store/station';
import { exportFacts, localDateTime, type ExportContext } from './format';
import { headOf, sealStationChains } from './seal';
import { signedExport } from './signed-export';
import type { ExportTable } from './table';

export interface AuditExportFilter {
  fromIso: string;
  toIso: string;
  userId?: number;
  action?: AuditAction;
  parcelId?: number;
}

const PAGE = 5000;

const ROLE_LABELS: Record<string, string> = { clerk: '店员 Clerk', supervisor: '站长 Supervisor', auditor: '审计员 Auditor' };

const COLUMNS = [
  { header: '序号 Seq', width: 4 },
  { header: '时间 Time', width: 8 },
  { header: '人员 Person', width: 8 },
  { header: '角色 Role', width: 7 },
  { header: '操作 Action', width: 10 },
  { header: '目的 Purpose', width: 20 },
  { header: '包裹 Parcel ids', width: 10 },
  { header: '工作站 Workstation', width: 8 },
  { header: '详情 Detail', width: 25 },
];

/** Every matching entry, oldest first (AuditLog.query pages newest first). */
export async function auditEntriesBetween(q: Queryable, audit: AuditLog, f: AuditExportFilter): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for (let beforeSeq: number | undefined; ; ) {
    const page = await audit.query(q, { userId: f.userId, action: f.action, parcelId: f.parcelId, from: f.fromIso, to: f.toIso, beforeSeq, limit: PAGE });
    out.push(...page);
    if (page.length < PAGE) break;
    beforeSeq = page[page.length - 1].seq;
  }
  return out.reverse();
}

export function auditTable(entries: readonly AuditEntry[], ctx: ExportContext): ExportTable {
  const byAction = new Map<string, number>();
  for (const e of entries) byAction.set(e.action, (byAction.get(e.action) ?? 0) + 1);
  return {
    fileStem: `audit-log_${ctx.from}_${ctx.to}`,
    title: '审计日志 Audit log',
    facts: exportFacts(ctx),
    totals: [['全部 All', String(entries.length)], ...[...byAction].sort((a, b) => b[1] - a[1]).map(([a, n]): [string, string] => [a, String(n)])],
    columns: COLUMNS,
    rows: entries.map((e) => [
      String(e.seq),
      localDateTime(e.at, ctx.timeZone),
      e.username ?? '—',
      e.role ? (ROLE_LABELS[e.role] ?? e.role) : '—',
      e.action,
      e.purpose ?? '',
      e.parcelIds.join(', '),
      e.workstation,
      Object.entries(e.detail)
        .map(([k, v]) => `${k}=${v}`)
        .join('; '),
    ]),
  };
}

/** Checkpoints both chains after the export itself was audited, and renders the signed file. */
export async function exportAudit(
  station: Station,
  entries: readonly AuditEntry[],
  format: ExportFormat,
  ctx: ExportContext,
  onProgress?: (done: number, total: number) => void,
): Promise<SignedExport> {
  const chains = await sealStationChains(station, 'export', ctx.now);
  return signedExport(auditTable(entries, ctx), format, { seal: headOf(chains, AUDIT_LOG), chains, signer: loadSigningKey(station), now: ctx.now, onProgress });
}
