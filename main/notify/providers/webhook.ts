// A station's own gateway or a platform bridge: a JSON POST signed with
// HMAC-SHA256 over "timestamp.body" (hex, header X-Signature: sha256=…; the
// timestamp in X-Timestamp lets the receiver refuse replays). The idempotency
// key is in the body and in Idempotency-Key, and the receiver is expected to
// drop a repeat, so a send lost in a crash is simply sent again.
import { createHmac } from 'node:crypto';
import { byHttpStatus, post, type OutgoingSms, type ProviderConfig, type ProviderSecrets, type SendOutcome, type SmsProvider } from './provider';

export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

export class WebhookSms implements SmsProvider {
  readonly id = 'webhook' as const;
  readonly batchSize = 1;
  readonly idempotent = true;

  constructor(
    private readonly secrets: ProviderSecrets['webhook'],
    private readonly config: ProviderConfig,
  ) {}

  async send(batch: readonly OutgoingSms[]): Promise<SendOutcome[]> {
    return Promise.all(batch.map((m) => this.sendOne(m)));
  }

  private async sendOne(m: OutgoingSms): Promise<SendOutcome> {
    const body = JSON.stringify({
      id: m.key,
      to: m.to,
      signName: this.config.signName,
      templateCode: m.notice.templateCode,
      params: Object.fromEntries(m.notice.params),
      text: m.notice.text,
    });
    const timestamp = String(Math.floor(this.config.now().getTime() / 1000));
    const headers = {
      'content-type': 'application/json',
      'idempotency-key': m.key,
      'x-timestamp': timestamp,
      'x-signature': webhookSignature(this.secrets.secret, timestamp, body),
    };
    const res = await post(this.config.endpoint, headers, body, this.config);
    if (!(res instanceof Response)) return res;
    const answer = (await res.json().catch(() => ({}))) as { messageId?: string; code?: string };
    if (res.ok) return { status: 'sent', messageId: answer.messageId ?? null, code: answer.code ?? 'OK' };
    return byHttpStatus(res.status) ?? { status: 'failed', code: answer.code ?? `HTTP_${res.status}` };
  }
}
