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
import type { Dialect, Queryable, SqlValue, Tx } from '../store/engine/store';
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

const chains = new WeakMap<Station, ChainLog>();
/** One per unlocked station: the counter's hook runs at every scan-in. */
function shredChain(station: Station): ChainLog {
  let c = chains.get(station);
  if (!c) chains.set(station, (c = openChainLog(station, SHRED_LOG)));
  return c;
}

const INSERT_INDEX = 'INSERT INTO shred_ledger (seq, kind, at, batch_id, ref_seq) VALUES (?, ?, ?, ?, ?)';

async function appendEntry(tx: Tx, station: Station, payload: Payload, at: Date, batchId: number | null, refSeq: number | null): Promise<number> {
  const { seq } = await shredChain(station).append(tx, payload as unknown as CanonicalValue, at);
  await tx.run(INSERT_INDEX, seq, payload.type, at.toISOString(), batchId, refSeq);
  return seq;
}

export type PaperState = 'detached' | 'batched' | 'destroyed';

/**
 * The counter's hook: the paper waybill of `parcelId` has come off its parcel
 * (a privacy label applied at scan-in, or left behind at pickup), in the
 * caller's transaction. Once per parcel: a second call records nothing and
 * returns the paper's state.
 */
export async function markPaperDetached(
  tx: Tx,
  station: Station,
  parcelId: number,
  reason: DetachReason,
  actor: Actor,
  now: Date = new Date(),
): Promise<PaperState> {
  const known = await tx.value<PaperState>('SELECT state FROM shred_papers WHERE parcel_id = ?', parcelId);
  if (known !== undefined) return known;
  const waybill = await tx.value<string>('SELECT waybill_no FROM parcels WHERE id = ?', parcelId);
  if (waybill === undefined) throw new AppError('PARCEL_NOT_FOUND');
  // The paper may have been scanned into a batch before the counter said it came off.
  const batched = await tx.get<{ destroyed_seq: number | null }>(
    `SELECT b.destroyed_seq FROM shred_batch_items i JOIN shred_batches b ON b.id = i.batch_id
     WHERE i.waybill_no = ? AND i.withdrawn_seq IS NULL`,
    waybill,
  );
  const state: PaperState = !batched ? 'detached' : batched.destroyed_seq === null ? 'batched' : 'destroyed';
  const payload: DetachedPayload = { type: 'detached', parcel: parcelId, waybill, reason, by: staff(actor) };
  const seq = await appendEntry(tx, station, payload, now, null, null);
  await tx.run(
    `INSERT INTO shred_papers (parcel_id, waybill_no, reason, detached_at, detached_by, state, entry_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    parcelId, waybill, reason, now.toISOString(), actor.userId, state, seq,
  );
  return state;
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

/** A field of an entry's JSON payload, in the engine's own JSON functions. */
const payloadField = (dialect: Dialect, field: 'type' | 'entry'): string =>
  dialect === 'postgres'
    ? field === 'entry' ? "(payload::jsonb->>'entry')::bigint" : "payload::jsonb->>'type'"
    : `json_extract(payload, '$.${field}')`;

export class ShredLedger {
  constructor(
    private readonly station: Station,
    private readonly settings: Settings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async staffOf(q: Queryable, userId: number): Promise<StaffRef> {
    const u = await q.get<{ username: string; display_name: string }>('SELECT username, display_name FROM users WHERE id = ?', userId);
    return u ? { username: u.username, displayName: u.display_name } : { username: 'cli', displayName: 'CLI' };
  }

  // ---- batches -------------------------------------------------------------

  async openBatch(tx: Tx, actor: Actor): Promise<ShredBatch> {
    const id = Number(await tx.value('INSERT INTO shred_batches (opened_at, opened_by) VALUES (?, ?) RETURNING id', this.now().toISOString(), actor.userId));
    return this.batch(tx, id);
  }

  /** Batches being filled, oldest first. */
  async openBatches(q: Queryable): Promise<ShredBatch[]> {
    const ids = await q.all<{ id: number }>('SELECT id FROM shred_batches WHERE destroyed_seq IS NULL ORDER BY id');
    const batches: ShredBatch[] = [];
    for (const { id } of ids) batches.push(await this.batch(q, id));
    return batches;
  }

  async batch(q: Queryable, id: number): Promise<ShredBatch> {
    const b = await q.get<{ id: number; opened_at: string; opened_by: number }>('SELECT id, opened_at, opened_by FROM shred_batches WHERE id = ?', id);
    if (!b) throw new AppError('BATCH_NOT_FOUND');
    const items = await this.liveItems(q, id);
    const scanned = items.filter((i) => i.waybill_no !== null);
    const counts = items.filter((i) => i.waybill_no === null).map((i) => ({ sheets: i.sheets, note: i.note! }));
    return {
      id: b.id,
      openedAt: b.opened_at,
      openedBy: await this.staffOf(q, b.opened_by),
      waybills: scanned.filter((i) => i.parcel_id !== null).map((i) => i.waybill_no!),
      unknownWaybills: scanned.filter((i) => i.parcel_id === null).map((i) => i.waybill_no!),
      counts,
      sheets: scanned.length + sumSheets(counts),
    };
  }

  private liveItems(q: Queryable, batchId: number): Promise<ItemRow[]> {
    return q.all<ItemRow>('SELECT waybill_no, parcel_id, sheets, note FROM shred_batch_items WHERE batch_id = ? AND withdrawn_seq IS NULL ORDER BY id', batchId);
  }

  private async requireOpen(tx: Tx, batchId: number): Promise<void> {
    const b = await tx.get<{ destroyed_seq: number | null }>('SELECT destroyed_seq FROM shred_batches WHERE id = ?', batchId);
    if (!b) throw new AppError('BATCH_NOT_FOUND');
    if (b.destroyed_seq !== null) throw new AppError('BATCH_CLOSED');
  }

  /** A paper's barcode scanned into the bag: unknown numbers are kept and flagged; a second scan is refused. */
  async scan(tx: Tx, actor: Actor, batchId: number, raw: string): Promise<BatchScanResult> {
    const waybill = normaliseWaybill(raw);
    if (!isWellFormedWaybill(waybill)) throw new AppError('INVALID_INPUT', 'waybill');
    await this.requireOpen(tx, batchId);
    const dup = await tx.value<number>('SELECT batch_id FROM shred_batch_items WHERE waybill_no = ? AND withdrawn_seq IS NULL', waybill);
    if (dup !== undefined) throw new AppError('DUPLICATE_SCAN', `batch ${dup}`);
    const n = Number(await tx.value('SELECT count(*) FROM shred_batch_items WHERE batch_id = ? AND waybill_no IS NOT NULL', batchId));
    if (n >= MAX_BATCH_WAYBILLS) throw new AppError('BATCH_FULL', `${MAX_BATCH_WAYBILLS} waybills`);
    const parcelId = await tx.value<number>('SELECT id FROM parcels WHERE waybill_no = ? ORDER BY id LIMIT 1', waybill);
    await tx.run(
      'INSERT INTO shred_batch_items (batch_id, waybill_no, parcel_id, sheets, added_at, added_by) VALUES (?, ?, ?, 1, ?, ?)',
      batchId, waybill, parcelId ?? null, this.now().toISOString(), actor.userId,
    );
    const moved = (await tx.run("UPDATE shred_papers SET state = 'batched' WHERE waybill_no = ?", waybill)).changes;
    const custody: BatchScanResult['custody'] = parcelId === undefined ? 'unknown' : moved ? 'detached' : 'on_parcel';
    return { batch: await this.batch(tx, batchId), waybill, custody };
  }

  /** Papers whose barcode cannot be read, by count with a note. */
  async addCount(tx: Tx, actor: Actor, batchId: number, count: number, note: string): Promise<ShredBatch> {
    assertNoPhone(note, 'note');
    await this.requireOpen(tx, batchId);
    const n = Number(await tx.value('SELECT count(*) FROM shred_batch_items WHERE batch_id = ? AND waybill_no IS NULL', batchId));
    if (n >= MAX_BATCH_COUNTS) throw new AppError('BATCH_FULL', `${MAX_BATCH_COUNTS} counts`);
    await tx.run(
      'INSERT INTO shred_batch_items (batch_id, sheets, note, added_at, added_by) VALUES (?, ?, ?, ?, ?)',
      batchId, count, note.trim(), this.now().toISOString(), actor.userId,
    );
    return this.batch(tx, batchId);
  }

  /** Takes a mis-scanned paper out of a batch that has not been destroyed yet. */
  async remove(tx: Tx, batchId: number, raw: string): Promise<ShredBatch> {
    const waybill = normaliseWaybill(raw);
    await this.requireOpen(tx, batchId);
    const gone = (await tx.run('DELETE FROM shred_batch_items WHERE batch_id = ? AND waybill_no = ?', batchId, waybill)).changes;
    if (!gone) throw new AppError('NOT_IN_BATCH');
    await tx.run("UPDATE shred_papers SET state = 'detached' WHERE waybill_no = ?", waybill);
    return this.batch(tx, batchId);
  }

  // ---- ledger entries ------------------------------------------------------

  /**
   * Records the destruction of a batch. The operator is the acting person;
   * the witness someone else, not an auditor, who has authenticated on the
   * spot (the app checks their PIN and code; the CLI, holding the station
   * passphrase, names existing accounts).
   */
  async destroy(tx: Tx, operator: Actor, witness: Actor, input: DestroyInput): Promise<ShredDestruction> {
    if (!can(operator.role, 'ledger.record')) throw new AppError('FORBIDDEN');
    if (witness.userId === operator.userId) throw new AppError('WITNESS_IS_OPERATOR');
    if (witness.role === 'auditor') throw new AppError('WITNESS_NOT_ALLOWED');
    assertNoPhone(input.notes, 'notes');
    await this.requireOpen(tx, input.batchId);
    const items = await this.liveItems(tx, input.batchId);
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
    const seq = await appendEntry(tx, this.station, payload, this.now(), input.batchId, null);
    await tx.run('UPDATE shred_batches SET destroyed_seq = ? WHERE id = ?', seq, input.batchId);
    await tx.run(
      `UPDATE shred_papers SET state = 'destroyed' WHERE waybill_no IN
       (SELECT waybill_no FROM shred_batch_items WHERE batch_id = ? AND waybill_no IS NOT NULL AND withdrawn_seq IS NULL)`,
      input.batchId,
    );
    return this.destruction(tx, seq);
  }

  /** A supervisor's sign-off on a destruction record, once, never by its operator. */
  async signoff(tx: Tx, actor: Actor, entryId: number): Promise<ShredDestruction> {
    if (actor.role !== 'supervisor') throw new AppError('FORBIDDEN');
    const d = await this.destruction(tx, entryId);
    if (d.operator.username === actor.username) throw new AppError('SIGNOFF_OWN_ENTRY');
    if (d.signoff) throw new AppError('ALREADY_SIGNED_OFF');
    await appendEntry(tx, this.station, { type: 'signoff', entry: entryId, by: staff(actor) }, this.now(), d.batchId, entryId);
    return this.destruction(tx, entryId);
  }

  /** A new entry correcting a destruction record; withdrawn papers count as outstanding again. */
  async correct(tx: Tx, actor: Actor, input: CorrectInput): Promise<ShredCorrection> {
    if (actor.role !== 'supervisor') throw new AppError('FORBIDDEN');
    assertNoPhone(input.reason, 'reason');
    assertNoPhone(input.notes, 'notes');
    const d = await this.destruction(tx, input.entryId);
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
    const seq = await appendEntry(tx, this.station, payload, this.now(), d.batchId, input.entryId);
    for (const w of withdraw) {
      await tx.run('UPDATE shred_batch_items SET withdrawn_seq = ? WHERE batch_id = ? AND waybill_no = ? AND withdrawn_seq IS NULL', seq, d.batchId, w);
      await tx.run("UPDATE shred_papers SET state = 'detached' WHERE waybill_no = ?", w);
    }
    const [row] = await this.rows(tx, `${ENTRY_SELECT} AND seq = ?`, seq);
    return correctionView(row.seq, row.at, row.payload as CorrectionPayload);
  }

  /** A destruction record as it stands: with its sign-off and the corrections made to it. */
  async destruction(q: Queryable, entryId: number): Promise<ShredDestruction> {
    const [row] = await this.rows(q, `${ENTRY_SELECT} AND seq = ? AND ${payloadField(q.dialect, 'type')} = 'destroyed'`, entryId);
    if (!row) throw new AppError('LEDGER_ENTRY_NOT_FOUND');
    return destructionView(row, await this.followUps(q, entryId, entryId));
  }

  /**
   * Destruction and correction records made in [fromIso, toIso), in order,
   * read from the chain by the time each entry's hash covers. Sign-offs and
   * corrections are attached whenever they were made.
   */
  async entries(q: Queryable, fromIso: string, toIso: string): Promise<LedgerEntry[]> {
    const rows = await this.rows(
      q,
      `${ENTRY_SELECT} AND created_at >= ? AND created_at < ? AND ${payloadField(q.dialect, 'type')} IN ('destroyed', 'correction') ORDER BY seq`,
      fromIso,
      toIso,
    );
    const destroyed = rows.filter((r) => r.payload.type === 'destroyed');
    const follow = destroyed.length ? await this.followUps(q, destroyed[0].seq, destroyed[destroyed.length - 1].seq) : [];
    const byRef = new Map<number, EntryRow[]>();
    for (const f of follow) {
      const ref = (f.payload as SignoffPayload | CorrectionPayload).entry;
      byRef.set(ref, [...(byRef.get(ref) ?? []), f]);
    }
    return rows.map((r) =>
      r.payload.type === 'destroyed' ? destructionView(r, byRef.get(r.seq) ?? []) : correctionView(r.seq, r.at, r.payload as CorrectionPayload),
    );
  }

  private followUps(q: Queryable, fromRef: number, toRef: number): Promise<EntryRow[]> {
    // Only sign-offs and corrections refer to another entry, and always to an earlier one.
    return this.rows(
      q,
      `${ENTRY_SELECT} AND seq > ? AND ${payloadField(q.dialect, 'type')} IN ('signoff', 'correction') AND ${payloadField(q.dialect, 'entry')} BETWEEN ? AND ? ORDER BY seq`,
      fromRef,
      fromRef,
      toRef,
    );
  }

  private async rows(q: Queryable, sql: string, ...args: SqlValue[]): Promise<EntryRow[]> {
    return (await q.all<{ seq: number; at: string; payload: string }>(sql, ...args)).map((r) => ({
      seq: r.seq,
      at: r.at,
      payload: JSON.parse(r.payload) as Payload,
    }));
  }

  // ---- outstanding papers --------------------------------------------------

  outstandingDays(q: Queryable): Promise<number> {
    return this.settings.get(q, 'ledger.outstandingDays');
  }

  async setOutstandingDays(tx: Tx, days: number): Promise<number> {
    if (!Number.isInteger(days) || days < 1 || days > OUTSTANDING_DAYS_MAX) throw new AppError('INVALID_INPUT', 'outstandingDays');
    await this.settings.set(tx, 'ledger.outstandingDays', days);
    return days;
  }

  private async outstandingCutoff(q: Queryable): Promise<string> {
    return new Date(this.now().getTime() - (await this.outstandingDays(q)) * DAY_MS).toISOString();
  }

  /** How many detached papers are overdue for destruction: the home screen's warning, polled often. */
  async outstandingCount(q: Queryable): Promise<number> {
    return Number(await q.value("SELECT count(*) FROM shred_papers WHERE state <> 'destroyed' AND detached_at <= ?", await this.outstandingCutoff(q)));
  }

  /** Every detached paper not destroyed yet, oldest first, with its age; those kept past the configured days are overdue. */
  async outstanding(q: Queryable): Promise<OutstandingReport> {
    const days = await this.outstandingDays(q);
    const now = this.now().getTime();
    const cutoff = await this.outstandingCutoff(q);
    const count = await this.outstandingCount(q);
    const total = Number(await q.value("SELECT count(*) FROM shred_papers WHERE state <> 'destroyed'"));
    const rows = await q.all<{ parcel_id: number; waybill_no: string; reason: DetachReason; detached_at: string; batch_id: number | null }>(
      `SELECT p.parcel_id, p.waybill_no, p.reason, p.detached_at, i.batch_id FROM shred_papers p
       LEFT JOIN shred_batch_items i ON i.waybill_no = p.waybill_no AND i.withdrawn_seq IS NULL
       WHERE p.state <> 'destroyed'
       ORDER BY p.detached_at, p.parcel_id LIMIT ?`,
      OUTSTANDING_LISTED,
    );
    return {
      days,
      count,
      total,
      papers: rows.map((r) => ({
        parcelId: r.parcel_id,
        waybill: r.waybill_no,
        reason: r.reason,
        detachedAt: r.detached_at,
        days: Math.floor((now - Date.parse(r.detached_at)) / DAY_MS),
        batchId: r.batch_id,
        overdue: r.detached_at <= cutoff,
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
