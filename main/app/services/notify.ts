// Pickup notices application service: the settings screen, provider
// credentials, template preview, the outbox view, opt-outs, and the sender's
// background drain (on a worker thread) while the station is unlocked. Each
// notice a drain settles is recorded in the transaction that settles it, on
// this service's connection, whichever thread drained it.
import type { Actor } from '../../../shared/actor';
import { AppError } from '../../../shared/errors';
import type { NoticeKind, NotifySettings, OutboxItem, OutboxStatus, ProviderId, SendReport } from '../../../shared/notify';
import { PROVIDER_SECRET_FIELDS } from '../../../shared/notify';
import { parsePhone } from '../../../shared/phone';
import { checkNotifyConfig, notifyConfig } from '../../notify/config';
import { credentials } from '../../notify/credentials';
import { optOuts } from '../../notify/opt-outs';
import { outbox } from '../../notify/outbox';
import type { ProviderSecrets } from '../../notify/providers/provider';
import { DrainThread } from '../../notify/drain-thread';
import { localWriter, type OutboxWriter } from '../../notify/outbox-writes';
import { noticeAudit, NotifySender } from '../../notify/sender';
import { renderNotice, type NoticeTemplate } from '../../notify/template';
import type { SettingKey } from '../../settings/settings';
import { systemTimers, type Timers } from '../../time/timers';
import type { ServiceDeps } from './deps';

/** How often the background drain looks for due notices. */
export const DRAIN_EVERY_MS = 15_000;

type SettingsPatch = Partial<Omit<NotifySettings, 'configured'>>;

const PATCH_KEYS: Record<keyof SettingsPatch, SettingKey> = {
  arrival: 'notify.arrival',
  overdue: 'notify.overdue',
  overdueDaysBefore: 'notify.overdueDaysBefore',
  batchSeconds: 'notify.batchSeconds',
  quietHours: 'notify.quietHours',
  provider: 'notify.provider',
  endpoint: 'notify.endpoint',
  signName: 'notify.signName',
  ratePerSecond: 'notify.ratePerSecond',
  hours: 'notify.hours',
  link: 'notify.link',
  arrivalTemplateCode: 'notify.arrivalTemplateCode',
  arrivalTemplateText: 'notify.arrivalTemplateText',
  overdueTemplateCode: 'notify.overdueTemplateCode',
  overdueTemplateText: 'notify.overdueTemplateText',
};

const toItem = (e: Awaited<ReturnType<typeof outbox.list>>[number]): OutboxItem => ({
  id: e.id,
  kind: e.kind,
  parcels: e.parcelIds,
  template: e.notice.templateCode,
  text: e.notice.text,
  provider: e.provider as ProviderId | null,
  status: e.status,
  code: e.providerCode,
  messageId: e.providerMessageId,
  attempts: e.attempts,
  nextAttemptAt: e.nextAttemptAt,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
  receiptAt: e.receiptAt,
});

export class NotifyService {
  readonly sender: NotifySender;
  /** This connection's writes of a drain, its own or its worker thread's. */
  private readonly writer: OutboxWriter;
  private every: unknown = null;
  private running: Promise<unknown> | null = null;
  private thread: DrainThread | null = null;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly timers: Timers = systemTimers,
    private readonly warn: (message: string) => void = () => {},
  ) {
    this.writer = localWriter(deps.station.store, (tx, e) => deps.oversight.record(tx, e));
    this.sender = new NotifySender(deps.station, { settings: deps.settings, writer: this.writer, now: deps.now, workstation: deps.workstation });
  }

  async settings(): Promise<NotifySettings> {
    const s = this.deps.settings;
    const { store } = this.deps.station;
    const entries: [string, unknown][] = [];
    for (const [k, key] of Object.entries(PATCH_KEYS)) entries.push([k, await s.get(store, key)]);
    const values = Object.fromEntries(entries) as Omit<NotifySettings, 'configured'>;
    return { ...values, configured: await store.transaction((tx) => credentials.configured(tx)) };
  }

  /** Checked whole (templates hold station facts only) before anything is saved. */
  async updateSettings(actor: Actor, patch: SettingsPatch): Promise<NotifySettings> {
    const s = this.deps.settings;
    const current = await notifyConfig(s, this.deps.station.store);
    const next = { ...current, ...patch, templates: {
      arrival: { code: patch.arrivalTemplateCode ?? current.templates.arrival.code, text: patch.arrivalTemplateText ?? current.templates.arrival.text },
      overdue: { code: patch.overdueTemplateCode ?? current.templates.overdue.code, text: patch.overdueTemplateText ?? current.templates.overdue.text },
    } };
    checkNotifyConfig(next);
    await this.deps.tx.run(async (tx) => {
      for (const [k, v] of Object.entries(patch)) await s.set(tx, PATCH_KEYS[k as keyof SettingsPatch], v as never);
      await this.deps.oversight.record(tx, { action: 'settings.change', actor, detail: { scope: 'notify', ...patch } });
    });
    return this.settings();
  }

  /** The secrets are sealed at once and never shown again; the audit names the provider only. */
  async setCredentials(actor: Actor, provider: ProviderId, secrets: Record<string, string>): Promise<NotifySettings> {
    const fields: readonly string[] = PROVIDER_SECRET_FIELDS[provider];
    if (!fields.length || fields.some((f) => !secrets[f]) || Object.keys(secrets).some((k) => !fields.includes(k))) {
      throw new AppError('INVALID_INPUT', 'secrets');
    }
    await this.deps.tx.run(async (tx) => {
      await credentials.set(tx, this.deps.station.keys, provider, secrets as unknown as ProviderSecrets[typeof provider], this.deps.now());
      await this.deps.oversight.record(tx, { action: 'settings.change', actor, detail: { scope: 'notify', credentials: provider } });
    });
    return this.settings();
  }

  /** How a template reads with this station's facts and sample codes, before it is saved. */
  async preview(kind: NoticeKind, template: NoticeTemplate): Promise<{ text: string; params: [string, string][] }> {
    const c = await notifyConfig(this.deps.settings, this.deps.station.store);
    const n = renderNotice(template, {
      station: this.deps.station.name,
      codes: kind === 'arrival' ? '3-2-0107,3-2-0108' : '3-2-0107',
      hours: c.hours,
      link: c.link,
      days: String(c.overdueDaysBefore),
    });
    return { text: n.text, params: n.params };
  }

  async outbox(opts: { status?: OutboxStatus; limit?: number } = {}): Promise<OutboxItem[]> {
    const rows = await this.deps.station.store.transaction((tx) => outbox.list(tx, opts.limit ?? 200, opts.status));
    return rows.map(toItem);
  }

  /** Sends what is due now; the CLI's `notify`, the outbox screen's "send now", and the background drain. */
  drain(actor: Actor | null, dryRun = false): Promise<SendReport[]> {
    return this.sender.drain(actor, { dryRun });
  }

  /**
   * A notice to send by hand, for one recipient: its text (station facts and
   * codes, no number), marked copied and audited like a send.
   */
  async copyManual(actor: Actor, id: number): Promise<{ text: string }> {
    return this.deps.tx.run(async (tx) => {
      const e = await outbox.get(tx, id);
      if (e?.status !== 'manual') throw new AppError('NOTIFY_NOT_MANUAL', String(id));
      await outbox.settle(tx, id, { status: 'manual', code: 'COPIED' }, this.deps.now());
      await this.deps.oversight.record(tx, noticeAudit(actor, e, { provider: 'manual', result: 'manual', code: 'COPIED', messageId: null }));
      return { text: e.notice.text };
    });
  }

  private digits(phone: string): string {
    const parsed = parsePhone(phone);
    if (!parsed) throw new AppError('INVALID_INPUT', 'phone');
    return parsed.digits;
  }

  private bidx(phone: string): Uint8Array {
    return this.deps.station.keys.phoneBlindIndex(this.digits(phone));
  }

  /** A recipient's wish, by the number's blind index: the audit holds neither the number nor its index. */
  async setOptOut(actor: Actor, phone: string, optOut: boolean): Promise<{ optedOut: boolean; since: string | null }> {
    const digits = this.digits(phone);
    const bidx = this.deps.station.keys.phoneBlindIndex(digits);
    return this.deps.tx.run(async (tx) => {
      if (optOut) await optOuts.add(tx, this.deps.station.keys, digits, actor.userId, this.deps.now());
      else await optOuts.remove(tx, bidx);
      await this.deps.oversight.record(tx, { action: 'notify.opt_out', actor, detail: { optOut } });
      const since = await optOuts.since(tx, bidx);
      return { optedOut: since !== null, since };
    });
  }

  async optOutStatus(phone: string): Promise<{ optedOut: boolean; since: string | null }> {
    const bidx = this.bidx(phone);
    const since = await this.deps.station.store.transaction((tx) => optOuts.since(tx, bidx));
    return { optedOut: since !== null, since };
  }

  /**
   * The background drain: a pass at a time, on a worker thread where one can
   * run, so no scan-in waits behind it; a failure is logged (reasons only)
   * and the next pass tries again.
   */
  start(): void {
    if (this.every !== null) return;
    const thread = (this.thread = DrainThread.for(this.deps.station, this.deps.workstation, this.writer));
    this.every = this.timers.setInterval(() => {
      if (this.running) return;
      this.running = (thread ? thread.drain() : this.drain(null))
        .catch((e: unknown) => this.warn(`notify: ${e instanceof AppError ? e.code : e instanceof Error ? e.message : String(e)}`))
        .finally(() => (this.running = null));
    }, DRAIN_EVERY_MS);
  }

  async close(): Promise<void> {
    if (this.every !== null) this.timers.clearInterval(this.every);
    this.every = null;
    await this.running;
    await this.thread?.close();
    this.thread = null;
  }
}
