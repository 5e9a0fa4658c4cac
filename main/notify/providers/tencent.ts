// Tencent Cloud SMS (API 3.0, SendSms 2021-01-11), signed with TC3-HMAC-SHA256.
// Its template parameters are positional, in the order the template uses
// them; one number per request, since the parameters differ per recipient.
import { tc3Sign, TC3_CONTENT_TYPE } from './tencent-signature';
import { byHttpStatus, post, type OutgoingSms, type ProviderConfig, type ProviderSecrets, type SendOutcome, type SmsProvider } from './provider';

export const TENCENT_ENDPOINT = 'https://sms.tencentcloudapi.com/';

interface TencentAnswer {
  Response?: {
    Error?: { Code: string };
    SendStatusSet?: { SerialNo?: string; Code: string }[];
  };
}

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

  private async sendOne(m: OutgoingSms): Promise<SendOutcome> {
    const url = new URL(this.config.endpoint || TENCENT_ENDPOINT);
    const payload = JSON.stringify({
      PhoneNumberSet: [`+86${m.to}`],
      SmsSdkAppId: this.secrets.sdkAppId,
      SignName: this.config.signName,
      TemplateId: m.notice.templateCode,
      TemplateParamSet: m.notice.params.map(([, v]) => v),
      SessionContext: m.key,
    });
    const timestamp = Math.floor(this.config.now().getTime() / 1000);
    const { authorization } = tc3Sign({ secretId: this.secrets.secretId, secretKey: this.secrets.secretKey, service: 'sms', host: url.host, timestamp, payload });
    const headers = {
      authorization,
      'content-type': TC3_CONTENT_TYPE,
      host: url.host,
      'x-tc-action': 'SendSms',
      'x-tc-version': '2021-01-11',
      'x-tc-timestamp': String(timestamp),
      'x-tc-region': 'ap-guangzhou',
    };
    const res = await post(url, headers, payload, this.config);
    if (!(res instanceof Response)) return res;
    const answer = (await res.json().catch(() => ({}))) as TencentAnswer;
    const error = answer.Response?.Error?.Code;
    if (error) return outcomeOf(error, undefined);
    const status = answer.Response?.SendStatusSet?.[0];
    if (status) return outcomeOf(status.Code, status.SerialNo);
    return byHttpStatus(res.status) ?? { status: 'failed', code: `HTTP_${res.status}` };
  }
}
