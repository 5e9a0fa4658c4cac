// The persistent outbox of pickup notices, the single owner of notify_outbox
// and notify_parcels. A notice is written once, with its idempotency key and
// what it says, and then only moves on: claimed ('sending', one attempt more)
// in a committed transaction before its request leaves, settled after. A row
// left 'sending' by a crash is found again by its age (`stale`), and the
// sender decides, by whether the provider drops repeats, to send it again
// under the same key or to leave it unconfirmed rather than text twice.
import { randomUUID } from 'node:crypto';
import type { NoticeKind, OutboxStatus } from '../../shared/notify';
import type { Queryable, SqlValue } from '../store/engine/store';
import type { RenderedNotice, TemplateField } from './template';

export type { NoticeKind, OutboxStatus } from '../../shared/notify';

export interface OutboxEntry {
  id: number;
  idemKey: string;
  kind: NoticeKind;
  phoneBidx: Uint8Array;
  /** The parcel whose sealed phone the sender opens. */
  parcelId: number;
  parcelIds: number[];
  notice: RenderedNotice;
  status: OutboxStatus;
  provider: string | null;
  providerMessageId: string | null;
  providerCode: string | null;
  attempts: number;
  nextAttemptAt: string;
  createdAt: string;
  updatedAt: string;
  /** When the provider's delivery receipt came in. */
  receiptAt: string | null;
}

/** A parcel on the shelf that no notice of this kind has covered yet. */
export interface Candidate {
  id: number;
  phoneBidx: Uint8Array;
  pickupCode: string;
  arrivedAt: string;
}

interface Row {
  id: number;
  idem_key: string;
  kind: NoticeKind;
  phone_bidx: Uint8Array;
  parcel_id: number;
  parcel_ids: string;
  template_code: string;
  params: string;
  body: string;
  status: OutboxStatus;
  provider: string | null;
  provider_message_id: string | null;
  provider_code: string | null;
  attempts: number;
  next_attempt_at: string;
  created_at: string;
  updated_at: string;
  receipt_at: string | null;
}

const COLUMNS = `id, idem_key, kind, phone_bidx, parcel_id, parcel_ids, template_code, params, body, status, provider,
  provider_message_id, provider_code, attempts, next_attempt_at, created_at, updated_at, receipt_at`;

const entry = (r: Row): OutboxEntry => ({
  id: r.id,
  idemKey: r.idem_key,
  kind: r.kind,
  phoneBidx: r.phone_bidx,
  parcelId: r.parcel_id,
  parcelIds: JSON.parse(r.parcel_ids) as number[],
  notice: { templateCode: r.template_code, params: JSON.parse(r.params) as [TemplateField, string][], text: r.body },
  status: r.status,
  provider: r.provider,
  providerMessageId: r.provider_message_id,
  providerCode: r.provider_code,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  receiptAt: r.receipt_at,
});

export interface NewNotice {
  kind: NoticeKind;
  phoneBidx: Uint8Array;
  parcelIds: readonly number[];
  notice: RenderedNotice;
  /** 'queued', or settled at once: an opted-out number is recorded, not sent. */
  status: 'queued' | 'opted_out';
}

export interface Settlement {
  status: Exclude<OutboxStatus, 'sending'>;
  code: string;
  messageId?: string | null;
  /** For a retry: when. */
  nextAttemptAt?: string;
}

export const outbox = {
  /** Parcels on the shelf that no notice of `kind` covered, of those `arrived` picks (a condition over `p.arrived_at` and `p.carrier`). */
  async candidates(tx: Queryable, kind: NoticeKind, arrived: { sql: string; params: Record<string, SqlValue> }): Promise<Candidate[]> {
    const rows = await tx.all<{ id: number; phone_bidx: Uint8Array; pickup_code: string; arrived_at: string }>(
      `SELECT p.id, p.phone_bidx, p.pickup_code, p.arrived_at FROM parcels p
        WHERE p.status = 'on_shelf' AND ${arrived.sql}
          AND p.phone_bidx IS NOT NULL AND p.phone_ct IS NOT NULL AND p.pickup_code IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM notify_parcels n WHERE n.parcel_id = p.id AND n.kind = @kind)
        ORDER BY p.id`,
      { ...arrived.params, kind },
    );
    return rows.map((r) => ({ id: r.id, phoneBidx: r.phone_bidx, pickupCode: r.pickup_code, arrivedAt: r.arrived_at }));
  },

  /** Whether a notice of `kind` already covers any of these parcels. */
  async covered(tx: Queryable, kind: NoticeKind, parcelIds: readonly number[]): Promise<boolean> {
    const marks = parcelIds.map(() => '?').join(', ');
    return (await tx.value<number>(`SELECT 1 FROM notify_parcels WHERE kind = ? AND parcel_id IN (${marks}) LIMIT 1`, kind, ...parcelIds)) === 1;
  },

  async enqueue(tx: Queryable, n: NewNotice, now: Date): Promise<number> {
    const at = now.toISOString();
    const row = await tx.get<{ id: number }>(
      `INSERT INTO notify_outbox (idem_key, kind, phone_bidx, parcel_id, parcel_ids, template_code, params, body, status,
         next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      randomUUID(),
      n.kind,
      n.phoneBidx,
      n.parcelIds[0],
      JSON.stringify(n.parcelIds),
      n.notice.templateCode,
      JSON.stringify(n.notice.params),
      n.notice.text,
      n.status,
      at,
      at,
      at,
    );
    const id = row!.id;
    for (const parcelId of n.parcelIds) {
      await tx.run('INSERT INTO notify_parcels (parcel_id, kind, outbox_id) VALUES (?, ?, ?)', parcelId, n.kind, id);
    }
    return id;
  },

  async due(tx: Queryable, now: Date, limit: number): Promise<OutboxEntry[]> {
    const rows = await tx.all<Row>(
      `SELECT ${COLUMNS} FROM notify_outbox WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
      now.toISOString(),
      limit,
    );
    return rows.map(entry);
  },

  /** Rows some sender claimed before `before` and never settled: it crashed, or lost its answer. */
  async stale(tx: Queryable, before: Date): Promise<OutboxEntry[]> {
    const rows = await tx.all<Row>(`SELECT ${COLUMNS} FROM notify_outbox WHERE status = 'sending' AND updated_at < ? ORDER BY id`, before.toISOString());
    return rows.map(entry);
  },

  /** Takes a queued row for one send; false when another sender took it first. */
  async claim(tx: Queryable, id: number, provider: string, now: Date): Promise<boolean> {
    const { changes } = await tx.run(
      `UPDATE notify_outbox SET status = 'sending', attempts = attempts + 1, provider = ?, updated_at = ? WHERE id = ? AND status = 'queued'`,
      provider,
      now.toISOString(),
      id,
    );
    return changes === 1;
  },

  /** Back to the queue: a retry later, or a stale send the provider will drop if it already has it. */
  async requeue(tx: Queryable, id: number, code: string, nextAttemptAt: Date, now: Date): Promise<void> {
    await tx.run(
      `UPDATE notify_outbox SET status = 'queued', provider_code = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?`,
      code,
      nextAttemptAt.toISOString(),
      now.toISOString(),
      id,
    );
  },

  async settle(tx: Queryable, id: number, s: Settlement, now: Date): Promise<void> {
    await tx.run(
      `UPDATE notify_outbox SET status = ?, provider_code = ?, provider_message_id = COALESCE(?, provider_message_id), updated_at = ? WHERE id = ?`,
      s.status,
      s.code,
      s.messageId ?? null,
      now.toISOString(),
      id,
    );
  },

  /**
   * Sent through `provider` at least until `sentBefore`, written since
   * `since`, with no receipt yet and due to be asked (a sent notice's
   * next_attempt_at is when to ask again), the longest sent first.
   */
  async awaitingReceipt(q: Queryable, provider: string, since: Date, sentBefore: Date, now: Date, limit: number): Promise<OutboxEntry[]> {
    const rows = await q.all<Row>(
      `SELECT ${COLUMNS} FROM notify_outbox
        WHERE status = 'sent' AND provider = ? AND provider_message_id IS NOT NULL AND created_at >= ? AND updated_at <= ? AND next_attempt_at <= ?
        ORDER BY updated_at, id LIMIT ?`,
      provider,
      since.toISOString(),
      sentBefore.toISOString(),
      now.toISOString(),
      limit,
    );
    return rows.map(entry);
  },

  /** The provider's receipt: delivered, or failed with its reason. */
  async receipt(tx: Queryable, id: number, status: 'delivered' | 'failed', code: string, now: Date): Promise<void> {
    await tx.run(
      `UPDATE notify_outbox SET status = ?, provider_code = ?, receipt_at = ?, updated_at = ? WHERE id = ? AND status = 'sent'`,
      status,
      code,
      now.toISOString(),
      now.toISOString(),
      id,
    );
  },

  /** Asked for a receipt that has not come in: asked again at `next`, the others get their turn first. */
  async askAgain(tx: Queryable, id: number, next: Date): Promise<void> {
    await tx.run(`UPDATE notify_outbox SET next_attempt_at = ? WHERE id = ? AND status = 'sent'`, next.toISOString(), id);
  },

  async get(q: Queryable, id: number): Promise<OutboxEntry | null> {
    const row = await q.get<Row>(`SELECT ${COLUMNS} FROM notify_outbox WHERE id = ?`, id);
    return row ? entry(row) : null;
  },

  /** Newest first, for the outbox view and `outbox`. */
  async list(tx: Queryable, limit: number, status?: OutboxStatus): Promise<OutboxEntry[]> {
    const rows = status
      ? await tx.all<Row>(`SELECT ${COLUMNS} FROM notify_outbox WHERE status = ? ORDER BY id DESC LIMIT ?`, status, limit)
      : await tx.all<Row>(`SELECT ${COLUMNS} FROM notify_outbox ORDER BY id DESC LIMIT ?`, limit);
    return rows.map(entry);
  },
};
