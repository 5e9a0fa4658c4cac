// The persistent print queue. A job is written before anything is sent, and
// its status only moves forward when the printer has the bytes, so a crash,
// an unplug or a locked station never loses a label silently: it is queued,
// done, or failed with a reason the supervisor can see and reprint.
import { AppError } from '../../shared/errors';
import type { PrinterLanguage, PrintJobStatus, PrintJobSummary } from '../../shared/devices';
import { open, seal } from '../crypto/envelope';
import { AUDIT_LOG } from '../audit/audit-log';
import type { Dialect, Queryable, Tx } from '../store/engine/store';
import type { Station } from '../store/station';

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

/** One counter's print queue: its jobs are its workstation's rows, never sent by another counter. */
export class PrintJobs {
  private readonly store: Queryable;

  constructor(
    private readonly station: Pick<Station, 'store' | 'keys'>,
    private readonly workstation: string,
  ) {
    this.store = station.store;
  }

  /** Queued in `tx`: the caller's audit entry commits with it. */
  async enqueue(tx: Tx, printerKey: string, format: PrinterLanguage, payload: Uint8Array, reprintOf: number | null = null): Promise<PrintJobSummary> {
    // The sealed payload binds the row id, so the row comes first.
    const id = Number(
      await tx.value(
        `INSERT INTO print_jobs (created_at, printer_key, format, payload, status, reprint_of, workstation)
         VALUES (?, ?, ?, ?, 'queued', ?, ?) RETURNING id`,
        new Date().toISOString(), printerKey, format, Buffer.alloc(0), reprintOf, this.workstation,
      ),
    );
    await tx.run('UPDATE print_jobs SET payload = ? WHERE id = ?', seal(this.station.keys.field, payload, payloadContext(id)), id);
    return this.get(id, tx);
  }

  /** A new job with the payload of job `id`, whatever became of it. */
  async reprint(tx: Tx, id: number, printerKey: string): Promise<PrintJobSummary> {
    const row = await tx.get<{ format: PrinterLanguage; payload: Uint8Array }>(
      'SELECT format, payload FROM print_jobs WHERE id = ? AND workstation = ?',
      id, this.workstation,
    );
    if (!row) throw new AppError('PRINT_JOB_NOT_FOUND', String(id));
    // The retention purge empties printed labels' payloads along with the parcel's personal data.
    if (row.payload.length === 0) throw new AppError('DATA_ERASED');
    return this.enqueue(tx, printerKey, row.format, this.openPayload(id, row.payload), id);
  }

  async get(id: number, q: Queryable = this.store): Promise<PrintJobSummary> {
    const row = await q.get<JobRow>(`SELECT ${SUMMARY} FROM print_jobs WHERE id = ? AND workstation = ?`, id, this.workstation);
    if (!row) throw new AppError('PRINT_JOB_NOT_FOUND', String(id));
    return toSummary(row);
  }

  /** Newest first. */
  async list(limit = 50): Promise<PrintJobSummary[]> {
    return (await this.store.all<JobRow>(`SELECT ${SUMMARY} FROM print_jobs WHERE workstation = ? ORDER BY id DESC LIMIT ?`, this.workstation, limit)).map(toSummary);
  }

  /** The oldest queued job for the printer; a job whose payload fails its MAC is failed, not sent. */
  async next(printerKey: string): Promise<PendingJob | null> {
    for (;;) {
      const row = await this.store.get<{ id: number; format: PrinterLanguage; payload: Uint8Array; bytes_sent: number; attempts: number }>(
        `SELECT id, format, payload, bytes_sent, attempts FROM print_jobs
         WHERE workstation = ? AND status = 'queued' AND printer_key = ? ORDER BY id LIMIT 1`,
        this.workstation, printerKey,
      );
      if (!row) return null;
      try {
        return { id: row.id, format: row.format, payload: this.openPayload(row.id, row.payload), bytesSent: row.bytes_sent, attempts: row.attempts };
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        await this.failed(row.id, e.message);
      }
    }
  }

  async started(id: number): Promise<void> {
    await this.store.run("UPDATE print_jobs SET status = 'printing', attempts = attempts + 1 WHERE id = ?", id);
  }

  /** Back in the queue, to resume at `bytesSent` on the same printer. */
  async interrupted(id: number, bytesSent: number, error: string): Promise<void> {
    await this.store.run("UPDATE print_jobs SET status = 'queued', bytes_sent = ?, last_error = ? WHERE id = ?", bytesSent, error, id);
  }

  /** The printer cannot be reached: its queued jobs say why, and stay queued for the next try. Those newly told. */
  async noteUnreachable(printerKey: string, error: string): Promise<PrintJobSummary[]> {
    const rows = await this.store.all<JobRow>(
      `UPDATE print_jobs SET last_error = ?
       WHERE workstation = ? AND status = 'queued' AND printer_key = ? AND (last_error IS NULL OR last_error <> ?) RETURNING ${SUMMARY}`,
      error, this.workstation, printerKey, error,
    );
    return rows.map(toSummary);
  }

  async done(id: number, bytesSent: number): Promise<void> {
    await this.store.run("UPDATE print_jobs SET status = 'done', bytes_sent = ?, printed_at = ? WHERE id = ?", bytesSent, new Date().toISOString(), id);
  }

  async failed(id: number, error: string): Promise<void> {
    await this.store.run("UPDATE print_jobs SET status = 'failed', last_error = ? WHERE id = ?", error, id);
  }

  /**
   * After a crash a job may be left 'printing' with its progress unknown.
   * Sending it again from the start risks a duplicate label; not sending it
   * risks a lost one, which is worse. This counter's jobs only: another
   * counter's 'printing' job is being printed right now.
   */
  async recoverInterrupted(): Promise<number> {
    const sql = "UPDATE print_jobs SET status = 'queued', bytes_sent = 0, last_error = ? WHERE workstation = ? AND status = 'printing'";
    return (await this.store.run(sql, INTERRUPTED_BY_RESTART, this.workstation)).changes;
  }

  /** Queued jobs follow the counter to a newly chosen printer, which has received none of their bytes. */
  async retarget(printerKey: string): Promise<void> {
    const sql = "UPDATE print_jobs SET printer_key = ?, bytes_sent = 0 WHERE workstation = ? AND status = 'queued' AND printer_key <> ?";
    await this.store.run(sql, printerKey, this.workstation, printerKey);
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
