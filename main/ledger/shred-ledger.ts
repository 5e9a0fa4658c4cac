// The shred ledger for paper waybills (纸质面单销毁台账).
//
// A paper waybill's custody: on its parcel → detached (a privacy label went
// over it at scan-in, or the customer left it at pickup) → in a destruction
// batch → destroyed. Every ledger fact (a paper detached, a batch destroyed,
// a supervisor's sign-off, a correction) is an entry of the tamper-evident
// chain 'shred', appended in the same transaction as the rows that project it.
// Nothing is edited or deleted: a correction is a new entry naming the one it
// corrects. Only waybill numbers, counts, device/certificate numbers and staff
// names go in; free-text notes are refused if they hold a phone number.
import type { Statement } from 'better-sqlite3';
import type { Actor } from '../../shared/actor';
import { AppError } from '../../shared/errors';
import { assertNoPersonalData as assertNoPhone } from '../audit/personal-text';
import type {
  BatchScanResult,
  CountedPapers,
  DetachReason,
  LedgerEntry,
  OutstandingReport,
  ShredBatch,
  ShredCorrection,
  ShredDestruction,
  ShredMethod,
  StaffRef,
} from '../../shared/ipc/ledger';
import { OUTSTANDING_DAYS_MAX } from '../../shared/ipc/ledger';
import { can } from '../../shared/permissions';
import { isWellFormedWaybill, normaliseWaybill } from '../../shared/waybill';
import type { CanonicalValue } from '../chain/canonical';
import { openChainLog, type ChainLog } from '../chain/chain-log';
import type { Settings } from '../settings/settings';
import type { Station } from '../store/station';

export const SHRED_LOG = 'shred';
/** Keeps a destruction entry under the chain's 64 KB payload limit with 32-character numbers. */
export const MAX_BATCH_WAYBILLS = 1500;
export const MAX_BATCH_COUNTS = 20;
const DAY_MS = 86_400_000;
const OUTSTANDING_LISTED = 500;

interface Staff {
  user: string;
  name: string;
}

interface DetachedPayload {
  type: 'detached';
  parcel: number;
  waybill: string;
  reason: DetachReason;
  by: Staff;
}

interface DestroyedPayload {
  type: 'destroyed';
  batch: number;
  method: ShredMethod;
  device: string | null;
  certificate: string | null;
  operator: Staff;
  witness: Staff;
  waybills: string[];
  unknown: string[];
  counts: CountedPapers[];
  notes: string | null;
}

interface SignoffPayload {
  type: 'signoff';
  entry: number;
  by: Staff;
}

interface CorrectionChanges {
  method?: ShredMethod;
  device?: string | null;
  certificate?: string | null;
  notes?: string;
  withdraw?: string[];
  countedSheets?: number;
}

interface CorrectionPayload {
  type: 'correction';
  entry: number;
  batch: number;
  reason: string;
  by: Staff;
  changes: CorrectionChanges;
}

type Payload = DetachedPayload | DestroyedPayload | SignoffPayload | CorrectionPayload;

interface EntryRow {
  seq: number;
  at: string;
  payload: Payload;
}

export interface DestroyInput {
  batchId: number;
  method: ShredMethod;
  deviceId?: string;
  certificate?: string;
  notes?: string;
}

export interface CorrectInput {
  entryId: number;
  reason: string;
  method?: ShredMethod;
  deviceId?: string;
  certificate?: string;
  notes?: string;
  withdraw?: string[];
  countedSheets?: number;
}

const staff = (a: Actor): Staff => ({ user: a.username, name: a.displayName });
const staffRef = (s: Staff): StaffRef => ({ username: s.user, displayName: s.name });
const sumSheets = (counts: readonly CountedPapers[]) => counts.reduce((n, c) => n + c.sheets, 0);

const chains = new WeakMap<Station, { chain: ChainLog; index: Statement }>();
/** One per unlocked station: the counter's hook runs at every scan-in. */
function shredChain(station: Station) {
  let c = chains.get(station);
  if (!c) {
    c = {
      chain: openChainLog(station, SHRED_LOG),
      index: station.db.prepare('INSERT INTO shred_ledger (seq, kind, at, batch_id, ref_seq) VALUES (?, ?, ?, ?, ?)'),
    };
    chains.set(station, c);
  }
  return c;
}

function appendEntry(station: Station, payload: Payload, at: Date, batchId: number | null, refSeq: number | null): number {
  const { chain, index } = shredChain(station);
  const { seq } = chain.append(payload as unknown as CanonicalValue, at);
  index.run(seq, payload.type, at.toISOString(), batchId, refSeq);
  return seq;
}

export type PaperState = 'detached' | 'batched' | 'destroyed';

/**
 * The counter's hook: the paper waybill of `parcelId` has come off its parcel
 * (a privacy label applied at scan-in, or left behind at pickup). Runs inside
 * the caller's transaction when there is one. Once per parcel: a second call
 * records nothing and returns the paper's state.
 */
export function markPaperDetached(
  station: Station,
  parcelId: number,
  reason: DetachReason,
  actor: Actor,
  now: Date = new Date(),
): PaperState {
  const { db } = station;
  const detached = db.transaction((): PaperState => {
    const known = db.prepare('SELECT state FROM shred_papers WHERE parcel_id = ?').get(parcelId) as { state: PaperState } | undefined;
    if (known) return known.state;
    const parcel = db.prepare('SELECT waybill_no FROM parcels WHERE id = ?').get(parcelId) as { waybill_no: string } | undefined;
    if (!parcel) throw new AppError('PARCEL_NOT_FOUND');
    // The paper may have been scanned into a batch before the counter said it came off.
    const batched = db
      .prepare(
        `SELECT b.destroyed_seq FROM shred_batch_items i JOIN shred_batches b ON b.id = i.batch_id
         WHERE i.waybill_no = ? AND i.withdrawn_seq IS NULL`,
      )
      .get(parcel.waybill_no) as { destroyed_seq: number | null } | undefined;
    const state: PaperState = !batched ? 'detached' : batched.destroyed_seq === null ? 'batched' : 'destroyed';
    const payload: DetachedPayload = { type: 'detached', parcel: parcelId, waybill: parcel.waybill_no, reason, by: staff(actor) };
    const seq = appendEntry(station, payload, now, null, null);
    db.prepare(
      `INSERT INTO shred_papers (parcel_id, waybill_no, reason, detached_at, detached_by, state, entry_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(parcelId, parcel.waybill_no, reason, now.toISOString(), actor.userId, state, seq);
    return state;
  })();
  shredChain(station).chain.anchor();
  return detached;
}

interface ItemRow {
  waybill_no: string | null;
  parcel_id: number | null;
  sheets: number;
  note: string | null;
}

// Ledger entries are read from the chain itself, never through the shred_ledger
// index: an index row deleted or back-dated in SQLite must not drop a
// destruction from what the station shows and signs (projections.ts checks
// the index against the chain).
const ENTRY_SELECT = `SELECT seq, created_at AS at, payload FROM chain_entries WHERE log = '${SHRED_LOG}'`;
const ENTRY_TYPE = "json_extract(payload, '$.type')";

export class ShredLedger {
  constructor(
    private readonly station: Station,
    private readonly settings: Settings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get db() {
    return this.station.db;
  }

  private readonly statements = new Map<string, Statement>();
  /** Prepared once per ledger: a batch of a thousand scans runs the same few statements. */
  private sql(query: string): Statement {
    let st = this.statements.get(query);
    if (!st) this.statements.set(query, (st = this.db.prepare(query)));
    return st;
  }

  private staffOf(userId: number): StaffRef {
    const u = this.sql('SELECT username, display_name FROM users WHERE id = ?').get(userId) as
      | { username: string; display_name: string }
      | undefined;
    return u ? { username: u.username, displayName: u.display_name } : { username: 'cli', displayName: 'CLI' };
  }

  // ---- batches -------------------------------------------------------------

  openBatch(actor: Actor): ShredBatch {
    const id = Number(
      this.sql('INSERT INTO shred_batches (opened_at, opened_by) VALUES (?, ?)').run(this.now().toISOString(), actor.userId)
        .lastInsertRowid,
    );
    return this.batch(id);
  }

  /** Batches being filled, oldest first. */
  openBatches(): ShredBatch[] {
    const ids = this.sql('SELECT id FROM shred_batches WHERE destroyed_seq IS NULL ORDER BY id').pluck().all() as number[];
    return ids.map((id) => this.batch(id));
  }

  batch(id: number): ShredBatch {
    const b = this.sql('SELECT id, opened_at, opened_by FROM shred_batches WHERE id = ?').get(id) as
      | { id: number; opened_at: string; opened_by: number }
      | undefined;
    if (!b) throw new AppError('BATCH_NOT_FOUND');
    const items = this.liveItems(id);
    const scanned = items.filter((i) => i.waybill_no !== null);
    const counts = items.filter((i) => i.waybill_no === null).map((i) => ({ sheets: i.sheets, note: i.note! }));
    return {
      id: b.id,
      openedAt: b.opened_at,
      openedBy: this.staffOf(b.opened_by),
      waybills: scanned.filter((i) => i.parcel_id !== null).map((i) => i.waybill_no!),
      unknownWaybills: scanned.filter((i) => i.parcel_id === null).map((i) => i.waybill_no!),
      counts,
      sheets: scanned.length + sumSheets(counts),
    };
  }

  private liveItems(batchId: number): ItemRow[] {
    return this.sql('SELECT waybill_no, parcel_id, sheets, note FROM shred_batch_items WHERE batch_id = ? AND withdrawn_seq IS NULL ORDER BY id')
      .all(batchId) as ItemRow[];
  }

  private requireOpen(batchId: number): void {
    const b = this.sql('SELECT destroyed_seq FROM shred_batches WHERE id = ?').get(batchId) as { destroyed_seq: number | null } | undefined;
    if (!b) throw new AppError('BATCH_NOT_FOUND');
    if (b.destroyed_seq !== null) throw new AppError('BATCH_CLOSED');
  }

  /** A paper's barcode scanned into the bag: unknown numbers are kept and flagged; a second scan is refused. */
  scan(actor: Actor, batchId: number, raw: string): BatchScanResult {
    const waybill = normaliseWaybill(raw);
    if (!isWellFormedWaybill(waybill)) throw new AppError('INVALID_INPUT', 'waybill');
    const custody = this.db
      .transaction((): BatchScanResult['custody'] => {
        this.requireOpen(batchId);
        const dup = this.sql('SELECT batch_id FROM shred_batch_items WHERE waybill_no = ? AND withdrawn_seq IS NULL')
          .get(waybill) as { batch_id: number } | undefined;
        if (dup) throw new AppError('DUPLICATE_SCAN', `batch ${dup.batch_id}`);
        const n = this.sql('SELECT count(*) FROM shred_batch_items WHERE batch_id = ? AND waybill_no IS NOT NULL').pluck().get(batchId) as number;
        if (n >= MAX_BATCH_WAYBILLS) throw new AppError('BATCH_FULL', `${MAX_BATCH_WAYBILLS} waybills`);
        const parcelId = this.sql('SELECT id FROM parcels WHERE waybill_no = ? ORDER BY id LIMIT 1').pluck().get(waybill) as number | undefined;
        this.sql('INSERT INTO shred_batch_items (batch_id, waybill_no, parcel_id, sheets, added_at, added_by) VALUES (?, ?, ?, 1, ?, ?)')
          .run(batchId, waybill, parcelId ?? null, this.now().toISOString(), actor.userId);
        const moved = this.sql("UPDATE shred_papers SET state = 'batched' WHERE waybill_no = ?").run(waybill).changes;
        return parcelId === undefined ? 'unknown' : moved ? 'detached' : 'on_parcel';
      })
      .immediate();
    return { batch: this.batch(batchId), waybill, custody };
  }

  /** Papers whose barcode cannot be read, by count with a note. */
  addCount(actor: Actor, batchId: number, count: number, note: string): ShredBatch {
    assertNoPhone(note, 'note');
    this.db
      .transaction(() => {
        this.requireOpen(batchId);
        const n = this.sql('SELECT count(*) FROM shred_batch_items WHERE batch_id = ? AND waybill_no IS NULL').pluck().get(batchId) as number;
        if (n >= MAX_BATCH_COUNTS) throw new AppError('BATCH_FULL', `${MAX_BATCH_COUNTS} counts`);
        this.sql('INSERT INTO shred_batch_items (batch_id, sheets, note, added_at, added_by) VALUES (?, ?, ?, ?, ?)')
          .run(batchId, count, note.trim(), this.now().toISOString(), actor.userId);
      })
      .immediate();
    return this.batch(batchId);
  }

  /** Takes a mis-scanned paper out of a batch that has not been destroyed yet. */
  remove(batchId: number, raw: string): ShredBatch {
    const waybill = normaliseWaybill(raw);
    this.db
      .transaction(() => {
        this.requireOpen(batchId);
        const gone = this.sql('DELETE FROM shred_batch_items WHERE batch_id = ? AND waybill_no = ?').run(batchId, waybill).changes;
        if (!gone) throw new AppError('NOT_IN_BATCH');
        this.sql("UPDATE shred_papers SET state = 'detached' WHERE waybill_no = ?").run(waybill);
      })
      .immediate();
    return this.batch(batchId);
  }

  // ---- ledger entries ------------------------------------------------------

  /**
   * Records the destruction of a batch. The operator is the acting person;
   * the witness someone else, not an auditor, who has authenticated on the
   * spot (the app checks their PIN and code; the CLI, holding the station
   * passphrase, names existing accounts).
   */
  destroy(operator: Actor, witness: Actor, input: DestroyInput): ShredDestruction {
    if (!can(operator.role, 'ledger.record')) throw new AppError('FORBIDDEN');
    if (witness.userId === operator.userId) throw new AppError('WITNESS_IS_OPERATOR');
    if (witness.role === 'auditor') throw new AppError('WITNESS_NOT_ALLOWED');
    assertNoPhone(input.notes, 'notes');
    const seq = this.db
      .transaction(() => {
        this.requireOpen(input.batchId);
        const items = this.liveItems(input.batchId);
        if (items.length === 0) throw new AppError('BATCH_EMPTY');
        const scanned = items.filter((i) => i.waybill_no !== null);
        const payload: DestroyedPayload = {
          type: 'destroyed',
          batch: input.batchId,
          method: input.method,
          device: input.method === 'shredder' ? (input.deviceId?.trim() ?? null) : null,
          certificate: input.method === 'outsourced' ? (input.certificate?.trim() ?? null) : null,
          operator: staff(operator),
          witness: staff(witness),
          waybills: scanned.filter((i) => i.parcel_id !== null).map((i) => i.waybill_no!),
          unknown: scanned.filter((i) => i.parcel_id === null).map((i) => i.waybill_no!),
          counts: items.filter((i) => i.waybill_no === null).map((i) => ({ sheets: i.sheets, note: i.note! })),
          notes: input.notes?.trim() || null,
        };
        const s = appendEntry(this.station, payload, this.now(), input.batchId, null);
        this.sql('UPDATE shred_batches SET destroyed_seq = ? WHERE id = ?').run(s, input.batchId);
        this.sql(
            `UPDATE shred_papers SET state = 'destroyed' WHERE waybill_no IN
             (SELECT waybill_no FROM shred_batch_items WHERE batch_id = ? AND waybill_no IS NOT NULL AND withdrawn_seq IS NULL)`,
          )
          .run(input.batchId);
        return s;
      })
      .immediate();
    this.anchor();
    return this.destruction(seq);
  }

  /** A supervisor's sign-off on a destruction record, once, never by its operator. */
  signoff(actor: Actor, entryId: number): ShredDestruction {
    if (actor.role !== 'supervisor') throw new AppError('FORBIDDEN');
    this.db
      .transaction(() => {
        const d = this.destruction(entryId);
        if (d.operator.username === actor.username) throw new AppError('SIGNOFF_OWN_ENTRY');
        if (d.signoff) throw new AppError('ALREADY_SIGNED_OFF');
        appendEntry(this.station, { type: 'signoff', entry: entryId, by: staff(actor) }, this.now(), d.batchId, entryId);
      })
      .immediate();
    this.anchor();
    return this.destruction(entryId);
  }

  /** A new entry correcting a destruction record; withdrawn papers count as outstanding again. */
  correct(actor: Actor, input: CorrectInput): ShredCorrection {
    if (actor.role !== 'supervisor') throw new AppError('FORBIDDEN');
    assertNoPhone(input.reason, 'reason');
    assertNoPhone(input.notes, 'notes');
    const seq = this.db
      .transaction(() => {
        const d = this.destruction(input.entryId);
        const withdraw = [...new Set((input.withdraw ?? []).map(normaliseWaybill))];
        const listed = new Set([...d.waybills, ...d.unknownWaybills]);
        const gone = new Set(d.corrected?.withdrawn ?? []);
        for (const w of withdraw) if (!listed.has(w) || gone.has(w)) throw new AppError('WAYBILL_NOT_IN_ENTRY', w);
        const changes: CorrectionChanges = {};
        if (input.method) {
          changes.method = input.method;
          changes.device = input.method === 'shredder' ? (input.deviceId?.trim() ?? null) : null;
          changes.certificate = input.method === 'outsourced' ? (input.certificate?.trim() ?? null) : null;
        }
        if (input.notes !== undefined) changes.notes = input.notes.trim();
        if (withdraw.length) changes.withdraw = withdraw;
        if (input.countedSheets !== undefined) changes.countedSheets = input.countedSheets;
        if (Object.keys(changes).length === 0) throw new AppError('INVALID_INPUT', 'a correction changes something');
        const payload: CorrectionPayload = {
          type: 'correction',
          entry: input.entryId,
          batch: d.batchId,
          reason: input.reason.trim(),
          by: staff(actor),
          changes,
        };
        const s = appendEntry(this.station, payload, this.now(), d.batchId, input.entryId);
        const withdrawItem = this.sql(
          'UPDATE shred_batch_items SET withdrawn_seq = ? WHERE batch_id = ? AND waybill_no = ? AND withdrawn_seq IS NULL',
        );
        const backToDetached = this.sql("UPDATE shred_papers SET state = 'detached' WHERE waybill_no = ?");
        for (const w of withdraw) {
          withdrawItem.run(s, d.batchId, w);
          backToDetached.run(w);
        }
        return s;
      })
      .immediate();
    this.anchor();
    const [row] = this.rows(`${ENTRY_SELECT} AND seq = ?`, seq);
    return correctionView(row.seq, row.at, row.payload as CorrectionPayload);
  }

  /** A destruction record as it stands: with its sign-off and the corrections made to it. */
  destruction(entryId: number): ShredDestruction {
    const [row] = this.rows(`${ENTRY_SELECT} AND seq = ? AND ${ENTRY_TYPE} = 'destroyed'`, entryId);
    if (!row) throw new AppError('LEDGER_ENTRY_NOT_FOUND');
    return destructionView(row, this.followUps(entryId, entryId));
  }

  /**
   * Destruction and correction records made in [fromIso, toIso), in order,
   * read from the chain by the time each entry's hash covers. Sign-offs and
   * corrections are attached whenever they were made.
   */
  entries(fromIso: string, toIso: string): LedgerEntry[] {
    const rows = this.rows(
      `${ENTRY_SELECT} AND created_at >= ? AND created_at < ? AND ${ENTRY_TYPE} IN ('destroyed', 'correction') ORDER BY seq`,
      fromIso,
      toIso,
    );
    const destroyed = rows.filter((r) => r.payload.type === 'destroyed');
    const follow = destroyed.length ? this.followUps(destroyed[0].seq, destroyed[destroyed.length - 1].seq) : [];
    const byRef = new Map<number, EntryRow[]>();
    for (const f of follow) {
      const ref = (f.payload as SignoffPayload | CorrectionPayload).entry;
      byRef.set(ref, [...(byRef.get(ref) ?? []), f]);
    }
    return rows.map((r) =>
      r.payload.type === 'destroyed' ? destructionView(r, byRef.get(r.seq) ?? []) : correctionView(r.seq, r.at, r.payload as CorrectionPayload),
    );
  }

  private followUps(fromRef: number, toRef: number): EntryRow[] {
    // Only sign-offs and corrections refer to another entry, and always to an earlier one.
    return this.rows(
      `${ENTRY_SELECT} AND seq > ? AND ${ENTRY_TYPE} IN ('signoff', 'correction') AND json_extract(payload, '$.entry') BETWEEN ? AND ? ORDER BY seq`,
      fromRef,
      fromRef,
      toRef,
    );
  }

  private rows(sql: string, ...args: unknown[]): EntryRow[] {
    return (this.sql(sql).all(...args) as { seq: number; at: string; payload: string }[]).map((r) => ({
      seq: r.seq,
      at: r.at,
      payload: JSON.parse(r.payload) as Payload,
    }));
  }

  /** Copies the newest checkpoint out to the anchor file once this ledger's transaction has committed. */
  private anchor(): void {
    shredChain(this.station).chain.anchor();
  }

  // ---- outstanding papers --------------------------------------------------

  outstandingDays(): number {
    return this.settings.get('ledger.outstandingDays');
  }

  setOutstandingDays(days: number): number {
    if (!Number.isInteger(days) || days < 1 || days > OUTSTANDING_DAYS_MAX) throw new AppError('INVALID_INPUT', 'outstandingDays');
    this.settings.set('ledger.outstandingDays', days);
    return days;
  }

  private outstandingCutoff(): string {
    return new Date(this.now().getTime() - this.outstandingDays() * DAY_MS).toISOString();
  }

  /** How many detached papers are overdue for destruction: the home screen's warning, polled often. */
  outstandingCount(): number {
    return this.sql("SELECT count(*) FROM shred_papers WHERE state <> 'destroyed' AND detached_at <= ?")
      .pluck()
      .get(this.outstandingCutoff()) as number;
  }

  /** Detached papers not destroyed after the configured number of days, oldest first. */
  outstanding(): OutstandingReport {
    const days = this.outstandingDays();
    const now = this.now().getTime();
    const cutoff = this.outstandingCutoff();
    const count = this.outstandingCount();
    const rows = this.sql(
        `SELECT p.parcel_id, p.waybill_no, p.reason, p.detached_at, i.batch_id FROM shred_papers p
         LEFT JOIN shred_batch_items i ON i.waybill_no = p.waybill_no AND i.withdrawn_seq IS NULL
         WHERE p.state <> 'destroyed' AND p.detached_at <= ?
         ORDER BY p.detached_at, p.parcel_id LIMIT ?`,
      )
      .all(cutoff, OUTSTANDING_LISTED) as { parcel_id: number; waybill_no: string; reason: DetachReason; detached_at: string; batch_id: number | null }[];
    return {
      days,
      count,
      papers: rows.map((r) => ({
        parcelId: r.parcel_id,
        waybill: r.waybill_no,
        reason: r.reason,
        detachedAt: r.detached_at,
        days: Math.floor((now - Date.parse(r.detached_at)) / DAY_MS),
        batchId: r.batch_id,
      })),
    };
  }
}

function destructionView(row: EntryRow, follow: readonly EntryRow[]): ShredDestruction {
  const p = row.payload as DestroyedPayload;
  const signoff = follow.find((f) => f.payload.type === 'signoff');
  const corrections = follow.filter((f) => f.payload.type === 'correction').map((f) => f.payload as CorrectionPayload);
  const scanned = p.waybills.length + p.unknown.length;
  return {
    kind: 'destroyed',
    id: row.seq,
    at: row.at,
    batchId: p.batch,
    method: p.method,
    deviceId: p.device,
    certificate: p.certificate,
    operator: staffRef(p.operator),
    witness: staffRef(p.witness),
    waybills: p.waybills,
    unknownWaybills: p.unknown,
    counts: p.counts,
    sheets: scanned + sumSheets(p.counts),
    notes: p.notes,
    signoff: signoff ? { id: signoff.seq, at: signoff.at, by: staffRef((signoff.payload as SignoffPayload).by) } : null,
    correctedBy: follow.filter((f) => f.payload.type === 'correction').map((f) => f.seq),
    corrected: corrections.length ? applyCorrections(p, corrections) : null,
  };
}

/** The record's values once every correction, in order, is applied. */
function applyCorrections(p: DestroyedPayload, corrections: readonly CorrectionPayload[]): NonNullable<ShredDestruction['corrected']> {
  const v = {
    method: p.method,
    deviceId: p.device,
    certificate: p.certificate,
    notes: p.notes,
    withdrawn: [] as string[],
    counted: sumSheets(p.counts),
  };
  for (const { changes: c } of corrections) {
    if (c.method) {
      v.method = c.method;
      v.deviceId = c.device ?? null;
      v.certificate = c.certificate ?? null;
    }
    if (c.notes !== undefined) v.notes = c.notes;
    if (c.withdraw) v.withdrawn.push(...c.withdraw);
    if (c.countedSheets !== undefined) v.counted = c.countedSheets;
  }
  const { counted, ...rest } = v;
  return { ...rest, sheets: p.waybills.length + p.unknown.length - v.withdrawn.length + counted };
}

function correctionView(seq: number, at: string, p: CorrectionPayload): ShredCorrection {
  const c = p.changes;
  return {
    kind: 'correction',
    id: seq,
    at,
    corrects: p.entry,
    batchId: p.batch,
    by: staffRef(p.by),
    reason: p.reason,
    method: c.method ?? null,
    deviceId: c.device ?? null,
    certificate: c.certificate ?? null,
    notes: c.notes ?? null,
    withdraw: c.withdraw ?? [],
    countedSheets: c.countedSheets ?? null,
  };
}
