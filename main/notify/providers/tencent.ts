// Tencent Cloud SMS (API 3.0, SendSms 2021-01-11), signed with TC3-HMAC-SHA256.
// Its template parameters are positional, in the order the template uses
// them; one number per request, since the parameters differ per recipient.
// Delivery receipts come from PullSmsSendStatus, a queue of the account's
// newest reports (each handed out once), matched by the SerialNo SendSms gave.
import { tc3Sign, TC3_CONTENT_TYPE } from './tencent-signature';
import {
  byHttpStatus,
  post,
  type OutgoingSms,
  type ProviderConfig,
  type ProviderSecrets,
  type Receipt,
  type SendOutcome,
  type SentSms,
  type SmsProvider,
} from './provider';

export const TENCENT_ENDPOINT = 'https://sms.tencentcloudapi.com/';

interface TencentAnswer {
  Response?: {
    Error?: { Code: string };
    SendStatusSet?: { SerialNo?: string; Code: string }[];
    PullSmsSendStatusSet?: { SerialNo: string; ReportStatus: string; Description?: string }[];
  };
}

/** Most reports one PullSmsSendStatus hands out. */
const PULL_LIMIT = 100;

const passing = (code: string): boolean => code.startsWith('InternalError') || code === 'FailedOperation.ServiceUnavailable';
const throttled = (code: string): boolean => code.startsWith('LimitExceeded') || code === 'RequestLimitExceeded';

function outcomeOf(code: string, serial: string | undefined): SendOutcome {
  if (code === 'Ok') return { status: 'sent', messageId: serial ?? null, code };
  if (throttled(code)) return { status: 'retry', code, throttled: true };
  if (passing(code)) return { status: 'retry', code, throttled: false };
  return { status: 'failed', code };
}

export class TencentSms implements SmsProvider {
  readonly id = 'tencent' as const;
  readonly batchSize = 1;
  readonly idempotent = false;

  constructor(
    private readonly secrets: ProviderSecrets['tencent'],
    private readonly config: ProviderConfig,
  ) {}

  async send(batch: readonly OutgoingSms[]): Promise<SendOutcome[]> {
    return Promise.all(batch.map((m) => this.sendOne(m)));
  }

  async receipts(sent: readonly SentSms[]): Promise<(Receipt | null)[]> {
    const bySerial = new Map<string, Receipt>();
    for (;;) {
      const res = await this.call('PullSmsSendStatus', JSON.stringify({ SmsSdkAppId: this.secrets.sdkAppId, Limit: PULL_LIMIT }));
      const set = res instanceof Response ? (((await res.json().catch(() => ({}))) as TencentAnswer).Response?.PullSmsSendStatusSet ?? []) : [];
      for (const r of set) {
        bySerial.set(r.SerialNo, { status: r.ReportStatus === 'SUCCESS' ? 'delivered' : 'failed', code: r.Description || r.ReportStatus });
      }
      if (set.length < PULL_LIMIT) break;
    }
    return sent.map((m) => bySerial.get(m.messageId) ?? null);
  }

  private async sendOne(m: OutgoingSms): Promise<SendOutcome> {
    const payload = JSON.stringify({
      PhoneNumberSet: [`+86${m.to}`],
      SmsSdkAppId: this.secrets.sdkAppId,
      SignName: this.config.signName,
      TemplateId: m.notice.templateCode,
      TemplateParamSet: m.notice.params.map(([, v]) => v),
      SessionContext: m.key,
    });
    const res = await this.call('SendSms', payload);
    if (!(res instanceof Response)) return res;
    const answer = (await res.json().catch(() => ({}))) as TencentAnswer;
    const error = answer.Response?.Error?.Code;
    if (error) return outcomeOf(error, undefined);
    const status = answer.Response?.SendStatusSet?.[0];
    if (status) return outcomeOf(status.Code, status.SerialNo);
    return byHttpStatus(res.status) ?? { status: 'failed', code: `HTTP_${res.status}` };
  }

  /** One TC3-signed API 3.0 call: the response, or the outcome of getting none. */
  private async call(action: string, payload: string): Promise<Response | SendOutcome> {
    const url = new URL(this.config.endpoint || TENCENT_ENDPOINT);
    const timestamp = Math.floor(this.config.now().getTime() / 1000);
    const { authorization } = tc3Sign({ secretId: this.secrets.secretId, secretKey: this.secrets.secretKey, service: 'sms', host: url.host, timestamp, payload });
    const headers = {
      authorization,
      'content-type': TC3_CONTENT_TYPE,
      host: url.host,
      'x-tc-action': action,
      'x-tc-version': '2021-01-11',
      'x-tc-timestamp': String(timestamp),
      'x-tc-region': 'ap-guangzhou',
    };
    return post(url, headers, payload, this.config);
  }
}
