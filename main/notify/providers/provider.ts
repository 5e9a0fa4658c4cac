// One interface for every way a notice leaves the station. A provider sends a
// batch and says, per message, what became of it: sent (with the provider's
// message id), to retry later (throttled or a passing failure), or failed for
// good (with the provider's code). It never throws for a provider's answer.
import type { ProviderId } from '../../../shared/notify';
import type { RenderedNotice } from '../template';

export { PROVIDER_IDS, type ProviderId } from '../../../shared/notify';

export interface OutgoingSms {
  /** The outbox row's idempotency key, sent where the provider accepts one. */
  key: string;
  /** Mainland mobile number, digits only. */
  to: string;
  notice: RenderedNotice;
}

export type SendOutcome =
  | { status: 'sent'; messageId: string | null; code: string }
  | { status: 'manual'; code: string }
  | { status: 'retry'; code: string; throttled: boolean }
  | { status: 'failed'; code: string };

export interface SmsProvider {
  readonly id: ProviderId;
  /** Most messages one request carries. */
  readonly batchSize: number;
  /**
   * The far end drops a second request with the same key, so a send whose
   * result was lost in a crash may be repeated; for the others it may not.
   */
  readonly idempotent: boolean;
  /** One outcome per message, in order. */
  send(batch: readonly OutgoingSms[]): Promise<SendOutcome[]>;
  /**
   * Delivery receipts, where the provider offers a pull API: per message, in
   * order, its receipt, or null while none has come in (or the pull failed).
   */
  receipts?(sent: readonly SentSms[]): Promise<(Receipt | null)[]>;
}

/** A message the provider accepted, whose delivery it may report. */
export interface SentSms {
  messageId: string;
  key: string;
  to: string;
  sentAt: Date;
}

/** What the handset's network told the provider, with the provider's own code. */
export interface Receipt {
  status: 'delivered' | 'failed';
  code: string;
}

/** Secrets per provider, kept sealed in the store (main/notify/credentials.ts). */
export interface ProviderSecrets {
  aliyun: { accessKeyId: string; accessKeySecret: string };
  tencent: { secretId: string; secretKey: string; sdkAppId: string };
  webhook: { secret: string };
  manual: Record<string, never>;
}

export interface ProviderConfig {
  /** Overrides the provider's public endpoint: a station's gateway, or a test server. */
  endpoint: string;
  /** The approved SMS signature (签名) the providers put in front of the text. */
  signName: string;
  now: () => Date;
  /** Per request, so a hung endpoint cannot hold the outbox. */
  timeoutMs?: number;
}

/** An answer that never came (refused, reset, timed out) is a passing failure. */
const unreachable = (e: unknown): SendOutcome => ({
  status: 'retry',
  code: e instanceof Error && e.name === 'TimeoutError' ? 'TIMEOUT' : 'UNREACHABLE',
  throttled: false,
});

/** One POST to the provider: its response, or the outcome of getting none. */
export async function post(url: string | URL, headers: Record<string, string>, body: string, config: ProviderConfig): Promise<Response | SendOutcome> {
  try {
    return await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(config.timeoutMs ?? 10_000) });
  } catch (e) {
    return unreachable(e);
  }
}

/** HTTP status alone, when the body says nothing useful. */
export function byHttpStatus(status: number): SendOutcome | null {
  if (status === 429) return { status: 'retry', code: 'HTTP_429', throttled: true };
  if (status >= 500) return { status: 'retry', code: `HTTP_${status}`, throttled: false };
  return null;
}
