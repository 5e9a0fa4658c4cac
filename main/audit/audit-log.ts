// The audit log: who saw which data, when, why and from where. Each event is
// an entry of the tamper-evident chain 'audit' (ids and staff names only,
// never personal data), indexed in audit_index for the auditor's filters.
import type { Actor } from '../../shared/actor';
import type { AuditAction, AuditEntry } from '../../shared/ipc/contract';
import type { CanonicalValue } from '../chain/canonical';
import { openChainLog, type ChainLog } from '../chain/chain-log';
import type { Queryable, Tx } from '../store/engine/store';
import type { Station } from '../store/station';

export const AUDIT_LOG = 'audit';

export interface AuditEvent {
  action: AuditAction;
  /** Null for attempts by someone not (yet) authenticated. */
  actor: Actor | null;
  /** For failed logins: the name that was tried. */
  username?: string;
  workstation?: string;
  purpose?: string;
  parcelIds?: readonly number[];
  /** Non-personal facts: counts, channel, field names, reference numbers. */
  detail?: Record<string, string | number | boolean | null>;
}

export interface AuditFilter {
  userId?: number;
  action?: AuditAction;
  from?: string;
  to?: string;
  parcelId?: number;
  limit?: number;
  beforeSeq?: number;
}

type AuditPayload = Omit<AuditEntry, 'seq' | 'at'>;

const INSERT_INDEX = 'INSERT INTO audit_index (seq, at, user_id, username, action, workstation) VALUES (?, ?, ?, ?, ?, ?)';
const INSERT_PARCEL = 'INSERT INTO audit_parcels (seq, parcel_id) VALUES (?, ?) ON CONFLICT DO NOTHING';

export class AuditLog {
  private readonly chain: ChainLog;

  constructor(
    station: Station,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.chain = openChainLog(station, AUDIT_LOG);
  }

  /** Appends the entry in the caller's transaction; the caller anchors the chain after the commit. */
  async record(tx: Tx, e: AuditEvent): Promise<AuditEntry> {
    const at = this.now();
    const payload: AuditPayload = {
      action: e.action,
      userId: e.actor?.userId ?? null,
      username: e.actor?.username ?? e.username ?? null,
      role: e.actor?.role ?? null,
      workstation: e.actor?.workstation ?? e.workstation ?? '',
      purpose: e.purpose ?? null,
      parcelIds: [...(e.parcelIds ?? [])],
      detail: e.detail ?? {},
    };
    const { seq } = await this.chain.append(tx, payload as unknown as CanonicalValue, at);
    await tx.run(INSERT_INDEX, seq, at.toISOString(), payload.userId, payload.username, payload.action, payload.workstation);
    for (const id of payload.parcelIds) await tx.run(INSERT_PARCEL, seq, id);
    return { seq, at: at.toISOString(), ...payload };
  }

  /** Newest first. The entries come from the chain; the index only selects them. */
  async query(q: Queryable, f: AuditFilter = {}): Promise<AuditEntry[]> {
    const conditions: [string, string | number | undefined][] = [
      ['i.user_id = ?', f.userId],
      ['i.action = ?', f.action],
      ['i.at >= ?', f.from],
      ['i.at < ?', f.to],
      ['i.seq < ?', f.beforeSeq],
      ['i.seq IN (SELECT seq FROM audit_parcels WHERE parcel_id = ?)', f.parcelId],
    ];
    const used = conditions.filter(([, v]) => v !== undefined && v !== '');
    const where = [`e.log = '${AUDIT_LOG}' AND e.seq = i.seq`, ...used.map(([c]) => c)];
    const args = used.map(([, v]) => v as string | number);
    const rows = await q.all<{ seq: number; created_at: string; payload: string }>(
      // CROSS JOIN fixes SQLite's order: filter the small index first, then fetch those
      // entries by key; left to itself SQLite walked the whole chain per query. The
      // join condition is in WHERE, since PostgreSQL's CROSS JOIN takes no ON.
      `SELECT e.seq, e.created_at, e.payload FROM audit_index i
       CROSS JOIN chain_entries e
       WHERE ${where.join(' AND ')}
       ORDER BY i.seq DESC LIMIT ?`,
      ...args,
      Math.min(f.limit ?? 200, 5000),
    );
    return rows.map((r) => ({ seq: r.seq, at: r.created_at, ...(JSON.parse(r.payload) as AuditPayload) }));
  }

  /** Signs the current head, e.g. at every export (outside any transaction). */
  checkpoint(reason: string) {
    return this.chain.checkpoint(reason, this.now());
  }
}
