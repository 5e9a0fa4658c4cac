// The sender: off the counter's path, it plans what is due, claims it, opens
// each recipient's phone (here, in main, at send time and nowhere else), sends
// through the configured provider at its rate, and settles every notice with
// its audit entry. It only reads the store: each step's writes go to its
// writer (outbox-writes.ts), applied in one transaction by the connection that
// writes the station. A scan-in never waits for it, and a provider that fails
// only leaves notices queued with a later retry time.
import type { Actor } from '../../shared/actor';
import { AppError } from '../../shared/errors';
import { maskPhone } from '../../shared/mask';
import type { SendReport } from '../../shared/notify';
import type { AuditEvent } from '../audit/audit-log';
import type { Settings } from '../settings/settings';
import { openPersonalField } from '../store/parcels';
import type { Station } from '../store/station';
import type { Queryable } from '../store/engine/store';
import { inQuietHours, notifyConfig, type NotifyConfig } from './config';
import { credentials } from './credentials';
import { optOuts } from './opt-outs';
import { outbox, type OutboxEntry, type OutboxStatus, type Settlement } from './outbox';
import type { OutboxWrite, OutboxWriter } from './outbox-writes';
import { MAX_ATTEMPTS, RateLimiter, retryDelay, systemClock, type Clock } from './pacing';
import { plan, planNotices } from './planner';
import { makeProvider } from './providers';
import type { OutgoingSms, ProviderId, SendOutcome, SentSms, SmsProvider } from './providers/provider';
import { reachOf, type Reach } from './recipient';

export interface SenderOptions {
  settings: Settings;
  /** Applies each step's writes, with their audit entries, in one transaction. */
  writer: OutboxWriter;
  now: () => Date;
  workstation: string;
  clock?: Clock;
}

/** A send claimed longer ago than this without an answer was cut off. */
export const STALE_AFTER_MS = 120_000;
/** A receipt is asked for once a notice has been out this long, and no longer after the window (Alibaba keeps 30 days). */
export const RECEIPT_AFTER_MS = 60_000;
const RECEIPT_WINDOW_MS = 3 * 86_400_000;
/** Notices asked about per pass: Alibaba takes one request each. */
const RECEIPTS_PER_PASS = 50;
/** Requests a drain sends together and settles in one transaction (the rate limit still spaces their start). */
const IN_FLIGHT = 8;

/** A notice's audit entry (`notify.send`): parcel ids, template, provider, its message id and the result; never the number. */
export function noticeAudit(
  actor: Actor | null,
  e: OutboxEntry,
  r: { provider: ProviderId; result: OutboxStatus; code: string; messageId: string | null; receipt?: boolean },
): AuditEvent {
  const detail = { outbox: e.id, kind: e.kind, template: e.notice.templateCode, provider: r.provider, messageId: r.messageId, result: r.result, code: r.code };
  return { action: 'notify.send', actor, parcelIds: e.parcelIds, detail: r.receipt ? { ...detail, receipt: true } : detail };
}

class DryRun extends Error {
  constructor(readonly reports: SendReport[]) {
    super('dry run');
  }
}

export class NotifySender {
  private limiter: { rate: number; limiter: RateLimiter } | null = null;
  private readonly clock: Clock;

  constructor(
    private readonly station: Station,
    private readonly opts: SenderOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
  }

  /**
   * Plans and sends what is due. `actor` is who asked (null: the background
   * drain). With `dryRun` nothing is written or sent: the notices that would go
   * are reported as they stand.
   */
  async drain(actor: Actor | null, opts: { dryRun?: boolean } = {}): Promise<SendReport[]> {
    const cfg = await notifyConfig(this.opts.settings, this.station.store);
    const { store } = this.station;
    if (opts.dryRun) return this.preview(cfg);
    // Reads outside any transaction: a write transaction is opened only to write, and kept short.
    const planned = await plan(store, cfg, this.station.name, this.opts.now());
    if (planned.length) await this.write([{ op: 'enqueue', notices: planned }]);
    await this.recoverStale(actor, cfg);
    const provider = await this.provider(cfg);
    // A receipt texts nobody: pulled in quiet hours too.
    await this.pullReceipts(actor, provider);
    if (inQuietHours(this.opts.now(), cfg.quietHours, cfg.timeZone)) return [];
    const reports: SendReport[] = [];
    const chunk = IN_FLIGHT * provider.batchSize;
    for (;;) {
      const due = await outbox.due(store, this.opts.now(), chunk);
      if (!due.length) break;
      const { done, throttled } = await this.sendChunk(actor, provider, cfg, due);
      reports.push(...done);
      // The provider asked us to slow down: the rest waits for the next pass.
      if (throttled || due.length < chunk) break;
      // Small transactions with the event loop in between: a scan at the counter never waits behind a long drain.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return reports;
  }

  private async preview(cfg: NotifyConfig): Promise<SendReport[]> {
    try {
      await this.station.store.transaction(async (tx) => {
        await planNotices(tx, cfg, this.station.name, this.opts.now());
        const due = await outbox.due(tx, this.opts.now(), Number.MAX_SAFE_INTEGER);
        const reports: SendReport[] = [];
        for (const e of due) reports.push(this.report(e, cfg.provider, e.status, (await this.phoneOf(tx, e)).masked, null, null));
        throw new DryRun(reports);
      });
    } catch (e) {
      if (e instanceof DryRun) return e.reports;
      throw e;
    }
    return [];
  }

  private async provider(cfg: NotifyConfig): Promise<SmsProvider> {
    const secrets = await credentials.get(this.station.store, this.station.keys, cfg.provider);
    return makeProvider(cfg.provider, secrets, { endpoint: cfg.endpoint, signName: cfg.signName, now: this.opts.now });
  }

  private rate(cfg: NotifyConfig): RateLimiter {
    if (this.limiter?.rate !== cfg.ratePerSecond) this.limiter = { rate: cfg.ratePerSecond, limiter: new RateLimiter(cfg.ratePerSecond, this.clock) };
    return this.limiter.limiter;
  }

  /**
   * A send cut off between request and record. Where the provider drops a
   * repeated key, it goes again under the same key; elsewhere it may already
   * have been texted, so it is settled unconfirmed rather than sent twice.
   */
  private async recoverStale(actor: Actor | null, cfg: NotifyConfig): Promise<void> {
    const now = this.opts.now();
    const stale = await outbox.stale(this.station.store, new Date(now.getTime() - STALE_AFTER_MS));
    const idempotent = cfg.provider === 'webhook' || cfg.provider === 'manual';
    await this.write(
      stale.map((e): OutboxWrite =>
        idempotent && e.provider === cfg.provider
          ? { op: 'requeue', id: e.id, code: 'RESUMED', next: now }
          : { op: 'settle', id: e.id, settlement: { status: 'failed', code: 'UNCONFIRMED' }, audit: this.audit(actor, e, (e.provider ?? cfg.provider) as ProviderId, 'failed', 'UNCONFIRMED', null) },
      ),
      now,
    );
  }

  /** The recipient's number, opened for this send only; a damaged row is not texted. */
  private async phoneOf(q: Queryable, e: OutboxEntry): Promise<{ raw: string | null; masked: string; code?: string }> {
    try {
      const raw = await openPersonalField(q, this.station.keys, e.parcelId, 'phone');
      return { raw, masked: raw ? maskPhone(raw) : '', code: raw ? undefined : 'ERASED' };
    } catch (err) {
      if (err instanceof AppError && err.code === 'TAMPERED') return { raw: null, masked: '', code: 'TAMPERED' };
      throw err;
    }
  }

  private async sendChunk(actor: Actor | null, provider: SmsProvider, cfg: NotifyConfig, due: OutboxEntry[]) {
    const done: SendReport[] = [];
    const outgoing: { entry: OutboxEntry; sms: OutgoingSms; masked: string }[] = [];
    const now = this.opts.now();
    // Phones are opened and opt-outs read before the claim, so its write transaction holds only updates.
    const looked: { entry: OutboxEntry; phone: Awaited<ReturnType<NotifySender['phoneOf']>>; reach: Reach | null; optedOut: boolean }[] = [];
    for (const entry of due) {
      const phone = await this.phoneOf(this.station.store, entry);
      const reach = phone.raw ? reachOf(phone.raw) : null;
      // An opt-out since the notice was queued counts too, checked by the number's index under today's key.
      const optedOut = reach?.kind === 'sms' && (await optOuts.has(this.station.store, this.station.keys.phoneBlindIndex(reach.number)));
      looked.push({ entry, phone, reach, optedOut });
    }
    // Claim first, committed before any request leaves: from here a crash leaves a trace, never a silent resend.
    const claims = looked.map(({ entry, phone, reach, optedOut }): { write: OutboxWrite; report?: SendReport } => {
      if (reach?.kind === 'sms' && !optedOut) return { write: { op: 'claim', id: entry.id, provider: provider.id } };
      const [status, code]: [Settlement['status'], string] =
        reach?.kind === 'carrier' ? ['carrier', reach.reason.toUpperCase().replace('-', '_')] : optedOut ? ['opted_out', 'OPTED_OUT'] : ['failed', phone.code!];
      const audit = this.audit(actor, entry, provider.id, status, code, null);
      return { write: { op: 'claim', id: entry.id, provider: provider.id, settle: { settlement: { status, code }, audit } }, report: this.report(entry, provider.id, status, phone.masked, code, null) };
    });
    const claimed = await this.write(claims.map((c) => c.write), now);
    for (const [i, { entry, phone, reach }] of looked.entries()) {
      if (!claimed[i]) continue;
      const settledAtOnce = claims[i].report;
      if (settledAtOnce) done.push(settledAtOnce);
      else if (reach?.kind === 'sms') outgoing.push({ entry, sms: { key: entry.idemKey, to: reach.number, notice: entry.notice }, masked: phone.masked });
    }
    const limiter = this.rate(cfg);
    // One request carries messages of one template; the requests go out together, each let go by the rate limit.
    const batches: (typeof outgoing)[] = [];
    for (let i = 0; i < outgoing.length; ) {
      const code = outgoing[i].entry.notice.templateCode;
      let j = i;
      while (j < outgoing.length && j - i < provider.batchSize && outgoing[j].entry.notice.templateCode === code) j++;
      batches.push(outgoing.slice(i, j));
      i = j;
    }
    const sends: Promise<SendOutcome[]>[] = [];
    for (const batch of batches) {
      await limiter.take();
      sends.push(provider.send(batch.map((b) => b.sms)));
    }
    const outcomes = await Promise.all(sends);
    const settled = batches.flatMap((batch, k) => batch.map((b, m) => this.settle(actor, provider.id, b.entry, b.masked, outcomes[k][m])));
    await this.write(settled.map((s) => s.write));
    done.push(...settled.map((s) => s.report));
    const throttled = outcomes.flat().some((o) => o.status === 'retry' && o.throttled);
    return { done, throttled };
  }

  /**
   * Delivery receipts, where the provider offers them, for notices sent at
   * least RECEIPT_AFTER_MS ago and within RECEIPT_WINDOW_MS; each becomes
   * delivered or failed with the provider's reason, and is audited.
   */
  private async pullReceipts(actor: Actor | null, provider: SmsProvider): Promise<void> {
    if (!provider.receipts) return;
    const { store } = this.station;
    const now = this.opts.now();
    const t = now.getTime();
    const sent = await outbox.awaitingReceipt(store, provider.id, new Date(t - RECEIPT_WINDOW_MS), new Date(t - RECEIPT_AFTER_MS), now, RECEIPTS_PER_PASS);
    const asked: { entry: OutboxEntry; sms: SentSms }[] = [];
    for (const entry of sent) {
      // The number, opened here for the provider's query (Alibaba asks by number) and nowhere else.
      const phone = await this.phoneOf(store, entry);
      const reach = phone.raw ? reachOf(phone.raw) : null;
      if (reach?.kind !== 'sms') continue;
      asked.push({ entry, sms: { messageId: entry.providerMessageId!, key: entry.idemKey, to: reach.number, sentAt: new Date(entry.updatedAt) } });
    }
    if (!asked.length) return;
    const receipts = await provider.receipts(asked.map((a) => a.sms));
    await this.write(
      asked.map(({ entry }, i): OutboxWrite => {
        const r = receipts[i];
        if (!r) return { op: 'askAgain', id: entry.id, next: new Date(t + RECEIPT_AFTER_MS) };
        return { op: 'receipt', id: entry.id, status: r.status, code: r.code, audit: this.audit(actor, entry, provider.id, r.status, r.code, entry.providerMessageId, true) };
      }),
      now,
    );
  }

  private settle(actor: Actor | null, provider: ProviderId, e: OutboxEntry, masked: string, o: SendOutcome): { write: OutboxWrite; report: SendReport } {
    const now = this.opts.now();
    const attempts = e.attempts + 1;
    if (o.status === 'retry' && attempts < MAX_ATTEMPTS) {
      const next = new Date(now.getTime() + retryDelay(attempts, o.throttled));
      const audit = this.audit(actor, e, provider, 'queued', o.code, null);
      return { write: { op: 'requeue', id: e.id, code: o.code, next, audit }, report: this.report(e, provider, 'queued', masked, o.code, null) };
    }
    const status = o.status === 'retry' ? 'failed' : o.status;
    const messageId = o.status === 'sent' ? o.messageId : null;
    const audit = this.audit(actor, e, provider, status, o.code, messageId);
    return { write: { op: 'settle', id: e.id, settlement: { status, code: o.code, messageId }, audit }, report: this.report(e, provider, status, masked, o.code, messageId) };
  }

  /** One step's writes, in one transaction; `now` is when they are stamped. */
  private write(writes: OutboxWrite[], now = this.opts.now()): Promise<number[]> {
    return this.opts.writer.apply(writes, now);
  }

  /** `receipt`: the result is the provider's delivery receipt, not the answer to the send. */
  private audit(actor: Actor | null, e: OutboxEntry, provider: ProviderId, result: OutboxStatus, code: string, messageId: string | null, receipt = false): AuditEvent {
    return { ...noticeAudit(actor, e, { provider, result, code, messageId, receipt }), workstation: this.opts.workstation };
  }

  private report(e: OutboxEntry, provider: ProviderId, status: OutboxStatus, phone: string, code: string | null, messageId: string | null): SendReport {
    return { id: e.id, parcels: e.parcelIds, template: e.notice.templateCode, provider, status, phone, code, messageId };
  }
}
