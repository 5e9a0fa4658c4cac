// The persistent print queue. A job is written before anything is sent, and
// its status only moves forward when the printer has the bytes, so a crash,
// an unplug or a locked station never loses a label silently: it is queued,
// done, or failed with a reason the supervisor can see and reprint.
import { AppError } from '../../shared/errors';
import type { PrinterLanguage, PrintJobStatus, PrintJobSummary } from '../../shared/devices';
import { open, seal } from '../crypto/envelope';
import { AUDIT_LOG } from '../audit/audit-log';
import type { Dialect, Queryable } from '../store/engine/store';
import type { EmbeddedStation } from '../store/station';

interface JobRow {
  id: number;
  created_at: string;
  printer_key: string;
  format: PrinterLanguage;
  status: PrintJobStatus;
  attempts: number;
  last_error: string | null;
  printed_at: string | null;
  reprint_of: number | null;
}

const SUMMARY = 'id, created_at, printer_key, format, status, attempts, last_error, printed_at, reprint_of';

const toSummary = (r: JobRow): PrintJobSummary => ({
  id: r.id,
  createdAt: r.created_at,
  printerKey: r.printer_key,
  format: r.format,
  status: r.status,
  attempts: r.attempts,
  lastError: r.last_error,
  printedAt: r.printed_at,
  reprintOf: r.reprint_of,
});

const payloadContext = (id: number): string => `print_jobs.payload#${id}`;

/** A queued job, ready to send. */
export interface PendingJob {
  id: number;
  format: PrinterLanguage;
  payload: Uint8Array;
  /** Where to resume: the printer already has the bytes before this offset. */
  bytesSent: number;
  attempts: number;
}

export const INTERRUPTED_BY_RESTART = 'interrupted while printing (app closed); printing again from the start';

export class PrintJobs {
  constructor(private readonly station: Pick<EmbeddedStation, 'db' | 'keys'>) {}

  private get db() {
    return this.station.db;
  }

  enqueue(printerKey: string, format: PrinterLanguage, payload: Uint8Array, reprintOf: number | null = null): PrintJobSummary {
    const id = this.db.transaction(() => {
      // The sealed payload binds the row id, so the row comes first.
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO print_jobs (created_at, printer_key, format, payload, status, reprint_of)
           VALUES (?, ?, ?, X'', 'queued', ?)`,
        )
        .run(new Date().toISOString(), printerKey, format, reprintOf);
      const jobId = Number(lastInsertRowid);
      this.db.prepare('UPDATE print_jobs SET payload = ? WHERE id = ?').run(seal(this.station.keys.field, payload, payloadContext(jobId)), jobId);
      return jobId;
    })();
    return this.get(id);
  }

  /** A new job with the payload of job `id`, whatever became of it. */
  reprint(id: number, printerKey: string): PrintJobSummary {
    const row = this.db.prepare('SELECT format, payload FROM print_jobs WHERE id = ?').get(id) as
      | { format: PrinterLanguage; payload: Uint8Array }
      | undefined;
    if (!row) throw new AppError('PRINT_JOB_NOT_FOUND', String(id));
    // The retention purge empties printed labels' payloads along with the parcel's personal data.
    if (row.payload.length === 0) throw new AppError('DATA_ERASED');
    return this.enqueue(printerKey, row.format, this.openPayload(id, row.payload), id);
  }

  get(id: number): PrintJobSummary {
    const row = this.db.prepare(`SELECT ${SUMMARY} FROM print_jobs WHERE id = ?`).get(id) as JobRow | undefined;
    if (!row) throw new AppError('PRINT_JOB_NOT_FOUND', String(id));
    return toSummary(row);
  }

  /** Newest first. */
  list(limit = 50): PrintJobSummary[] {
    return (this.db.prepare(`SELECT ${SUMMARY} FROM print_jobs ORDER BY id DESC LIMIT ?`).all(limit) as JobRow[]).map(toSummary);
  }

  /** The oldest queued job for the printer; a job whose payload fails its MAC is failed, not sent. */
  next(printerKey: string): PendingJob | null {
    const stmt = this.db.prepare(
      `SELECT id, format, payload, bytes_sent, attempts FROM print_jobs
       WHERE status = 'queued' AND printer_key = ? ORDER BY id LIMIT 1`,
    );
    for (;;) {
      const row = stmt.get(printerKey) as
        | { id: number; format: PrinterLanguage; payload: Uint8Array; bytes_sent: number; attempts: number }
        | undefined;
      if (!row) return null;
      try {
        return { id: row.id, format: row.format, payload: this.openPayload(row.id, row.payload), bytesSent: row.bytes_sent, attempts: row.attempts };
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        this.failed(row.id, e.message);
      }
    }
  }

  started(id: number): void {
    this.db.prepare("UPDATE print_jobs SET status = 'printing', attempts = attempts + 1 WHERE id = ?").run(id);
  }

  /** Back in the queue, to resume at `bytesSent` on the same printer. */
  interrupted(id: number, bytesSent: number, error: string): void {
    this.db.prepare("UPDATE print_jobs SET status = 'queued', bytes_sent = ?, last_error = ? WHERE id = ?").run(bytesSent, error, id);
  }

  /** The printer cannot be reached: its queued jobs say why, and stay queued for the next try. Those newly told. */
  noteUnreachable(printerKey: string, error: string): PrintJobSummary[] {
    const rows = this.db
      .prepare(`UPDATE print_jobs SET last_error = ? WHERE status = 'queued' AND printer_key = ? AND last_error IS NOT ? RETURNING ${SUMMARY}`)
      .all(error, printerKey, error) as JobRow[];
    return rows.map(toSummary);
  }

  done(id: number, bytesSent: number): void {
    this.db
      .prepare("UPDATE print_jobs SET status = 'done', bytes_sent = ?, printed_at = ? WHERE id = ?")
      .run(bytesSent, new Date().toISOString(), id);
  }

  failed(id: number, error: string): void {
    this.db.prepare("UPDATE print_jobs SET status = 'failed', last_error = ? WHERE id = ?").run(error, id);
  }

  /**
   * After a crash a job may be left 'printing' with its progress unknown.
   * Sending it again from the start risks a duplicate label; not sending it
   * risks a lost one, which is worse.
   */
  recoverInterrupted(): number {
    return this.db
      .prepare("UPDATE print_jobs SET status = 'queued', bytes_sent = 0, last_error = ? WHERE status = 'printing'")
      .run(INTERRUPTED_BY_RESTART).changes;
  }

  /** Queued jobs follow the station to a newly chosen printer, which has received none of their bytes. */
  retarget(printerKey: string): void {
    this.db.prepare("UPDATE print_jobs SET printer_key = ?, bytes_sent = 0 WHERE status = 'queued' AND printer_key <> ?").run(printerKey, printerKey);
  }

  private openPayload(id: number, blob: Uint8Array): Uint8Array {
    return open(this.station.keys.field, blob, payloadContext(id));
  }
}

/** For erasure and retention: the label bytes of jobs no longer queued, wiped (the job rows stay). */
/** A label job's id in its printing's audit entry, in the engine's own JSON functions. */
const jobIdOf = (dialect: Dialect): string =>
  dialect === 'postgres' ? "(e.payload::jsonb->'detail'->>'jobId')::bigint" : "json_extract(e.payload, '$.detail.jobId')";

export class LabelPayloadEraser {
  /** Every job printing this parcel's label, and its reprints; how many were wiped. */
  async ofParcel(tx: Queryable, parcelId: number): Promise<number> {
    // A label's bytes are found through the audit entry of its printing, and reprints through reprint_of.
    const sql = `WITH RECURSIVE jobs(id) AS (
         SELECT ${jobIdOf(tx.dialect)}
         FROM audit_parcels ap
         JOIN audit_index i ON i.seq = ap.seq AND i.action = 'label.print'
         JOIN chain_entries e ON e.log = '${AUDIT_LOG}' AND e.seq = ap.seq
         WHERE ap.parcel_id = ?
         UNION SELECT p.id FROM print_jobs p JOIN jobs j ON p.reprint_of = j.id)
       UPDATE print_jobs SET payload = ? WHERE id IN (SELECT id FROM jobs) AND status IN ('done', 'failed') AND ${payloadLength(tx.dialect)} > 0`;
    return (await tx.run(sql, parcelId, Buffer.alloc(0))).changes;
  }

  /** Done jobs printed before `doneBefore`, failed ones created before `failedBefore`. */
  async older(tx: Queryable, doneBefore: string, failedBefore: string): Promise<number> {
    const sql = `UPDATE print_jobs SET payload = ?
       WHERE ${payloadLength(tx.dialect)} > 0 AND ((status = 'done' AND printed_at < ?) OR (status = 'failed' AND created_at < ?))`;
    return (await tx.run(sql, Buffer.alloc(0), doneBefore, failedBefore)).changes;
  }
}

const payloadLength = (dialect: Dialect): string => (dialect === 'postgres' ? 'octet_length(payload)' : 'length(payload)');
