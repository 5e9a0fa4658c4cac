// The incident report as a signed PDF: the two deadlines and whether they
// were met above, then in order what happened, every step taken and the
// closure (table rows, which wrap long text), and the affected parcels by status. The affected parcels are counted, not
// listed: the report goes to management or an authority, the list stays here.
import type { SignedExport } from '../../shared/ipc/ledger';
import type { Deadline, Incident, IncidentStepKind, IncidentType, NotifiedParty } from '../../shared/ipc/lifecycle';
import { localDateTime } from '../exports/format';
import { statusWords } from '../exports/words';
import { signedExport, type ReportContext } from '../exports/signed-export';
import type { ExportTable } from '../exports/table';

const INCIDENT_TYPE_LABELS: Record<IncidentType, string> = {
  internal: '内部人员 Internal',
  external_attack: '外部攻击 External attack',
  physical_loss: '电脑或纸质丢失 Physical loss (PC or paper)',
  compliance: '合规 Compliance',
};

const STEP_LABELS: Record<IncidentStepKind, string> = {
  assessed: '已评估 Assessed',
  access_restricted: '已限制访问 Access restricted',
  access_restored: '已恢复访问 Access restored',
  evidence_preserved: '已保全证据 Evidence preserved',
  notified: '已通知 Notified',
  other: '其他 Other',
};

const PARTY_LABELS: Record<NotifiedParty, string> = {
  authority: '主管部门 Authority',
  subjects: '受影响个人 Affected persons',
  management: '管理层 Management',
  other: '其他 Other',
};

const STATE_LABELS: Record<Deadline['state'], string> = {
  pending: '进行中 Pending',
  met: '已完成 Met',
  overdue: '已超时 Overdue',
  not_required: '无需通知 Not required',
};

const COLUMNS = [
  { header: '时间 Time', width: 9 },
  { header: '步骤 Step', width: 12 },
  { header: '详情 Detail', width: 40 },
  { header: '记录人 Recorded by', width: 9 },
];

function clock(d: Deadline, tz: string): string {
  const met = d.metAt ? ` · ${localDateTime(d.metAt, tz)}${d.metAt > d.dueAt ? ' (逾期 late)' : ''}` : '';
  return `${STATE_LABELS[d.state]} · 期限 due ${localDateTime(d.dueAt, tz)}${met}`;
}

function incidentTable(incident: Incident, ctx: ReportContext): ExportTable {
  const tz = ctx.timeZone;
  return {
    fileStem: `incident_${incident.reference}`,
    title: `个人信息安全事件报告 Personal data incident report ${incident.reference}`,
    facts: [
      ['驿站 Station', ctx.stationName],
      ['类型 Type', INCIDENT_TYPE_LABELS[incident.type]],
      ['发现 Discovered', localDateTime(incident.discoveredAt, tz)],
      ['1 小时评估 1-hour assessment', clock(incident.assessment, tz)],
      ['48 小时通知 48-hour notification', clock(incident.notification, tz)],
      ['结案 Closed', incident.closedAt ? localDateTime(incident.closedAt, tz) : '未结案 Open'],
      ['导出 Exported', `${localDateTime(ctx.now, tz)} · ${ctx.exportedBy}`],
    ],
    totals: [
      ['受影响包裹 Affected parcels', String(incident.affected)],
      ...Object.entries(incident.affectedByStatus).map(([status, n]): [string, string] => [statusWords(status), String(n)]),
    ],
    columns: COLUMNS,
    rows: [
      [localDateTime(incident.discoveredAt, tz), '发现 Discovered', `报告人 Reported by ${incident.reporter}\n${incident.description}`, ''],
      ...incident.steps.map((s) => [
        localDateTime(s.at, tz),
        STEP_LABELS[s.kind],
        [
          s.notificationRequired === null ? '' : s.notificationRequired ? '需要通知 Notification required' : '无需通知 No notification required',
          s.whom ? PARTY_LABELS[s.whom] : '',
          s.note ?? '',
        ]
          .filter(Boolean)
          .join(' · '),
        s.recordedBy,
      ]),
      ...(incident.closedAt
        ? [[localDateTime(incident.closedAt, tz), '结案 Closed', `根本原因 Root cause: ${incident.rootCause}\n整改措施 Remediation: ${incident.remediation}`, '']]
        : []),
    ],
  };
}

export function exportIncident(incident: Incident, ctx: ReportContext): Promise<SignedExport> {
  return signedExport(incidentTable(incident, ctx), 'pdf', { seal: ctx.seal, signer: ctx.signer, now: ctx.now });
}
