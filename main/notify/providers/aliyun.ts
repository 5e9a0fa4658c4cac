// Alibaba Cloud SMS (Dysmsapi 2017-05-25): one message with SendSms, several
// of one template with SendBatchSms (each number its own parameters), as a
// signed form POST. Our idempotency key travels as OutId; Alibaba does not
// deduplicate on it, so the provider is not idempotent. Delivery receipts are
// pulled per message with QuerySendDetails (number, BizId and send date).
import { randomUUID } from 'node:crypto';
import { aliyunSignature } from './aliyun-signature';
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

export const ALIYUN_ENDPOINT = 'https://dysmsapi.aliyuncs.com/';

/** Codes that mean "slow down" rather than "this message is wrong". */
const THROTTLED = new Set(['isv.BUSINESS_LIMIT_CONTROL', 'Throttling.User', 'Throttling', 'isv.DAY_LIMIT_CONTROL']);
const PASSING = new Set(['isp.SYSTEM_ERROR', 'ServiceUnavailable', 'InternalError']);

interface AliyunAnswer {
  Code?: string;
  BizId?: string;
  SmsSendDetailDTOs?: { SmsSendDetailDTO?: { SendStatus?: number; ErrCode?: string; OutId?: string }[] };
}

/** QuerySendDetails' SendStatus: 1 awaiting the receipt, 2 failed, 3 delivered. */
const SEND_STATUS: Record<number, Receipt['status'] | undefined> = { 2: 'failed', 3: 'delivered' };

/** The send date QuerySendDetails asks for (yyyyMMdd), in Beijing time as Alibaba keeps it. */
const sendDate = (at: Date): string => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');

const params = (n: RenderedParams): Record<string, string> => Object.fromEntries(n);
type RenderedParams = OutgoingSms['notice']['params'];

export class AliyunSms implements SmsProvider {
  readonly id = 'aliyun' as const;
  readonly batchSize = 100;
  readonly idempotent = false;

  constructor(
    private readonly secrets: ProviderSecrets['aliyun'],
    private readonly config: ProviderConfig,
  ) {}

  async send(batch: readonly OutgoingSms[]): Promise<SendOutcome[]> {
    const single = batch.length === 1;
    const [first] = batch;
    const action: Record<string, string> = single
      ? {
          Action: 'SendSms',
          PhoneNumbers: first.to,
          SignName: this.config.signName,
          TemplateCode: first.notice.templateCode,
          TemplateParam: JSON.stringify(params(first.notice.params)),
          OutId: first.key,
        }
      : {
          Action: 'SendBatchSms',
          PhoneNumberJson: JSON.stringify(batch.map((m) => m.to)),
          SignNameJson: JSON.stringify(batch.map(() => this.config.signName)),
          TemplateCode: first.notice.templateCode,
          TemplateParamJson: JSON.stringify(batch.map((m) => params(m.notice.params))),
        };
    const outcome = await this.post(action);
    return batch.map(() => outcome);
  }

  async receipts(sent: readonly SentSms[]): Promise<(Receipt | null)[]> {
    const out: (Receipt | null)[] = [];
    for (const m of sent) {
      const res = await this.request({ Action: 'QuerySendDetails', PhoneNumber: m.to, BizId: m.messageId, SendDate: sendDate(m.sentAt), PageSize: '10', CurrentPage: '1' });
      const answer = res instanceof Response ? ((await res.json().catch(() => ({}))) as AliyunAnswer) : {};
      const details = answer.Code === 'OK' ? (answer.SmsSendDetailDTOs?.SmsSendDetailDTO ?? []) : [];
      const detail = details.find((d) => d.OutId === m.key) ?? details[0];
      const status = SEND_STATUS[detail?.SendStatus ?? 1];
      out.push(status ? { status, code: detail!.ErrCode || (status === 'delivered' ? 'DELIVERED' : 'UNDELIVERED') } : null);
    }
    return out;
  }

  /** One signed RPC call: the response, or the outcome of getting none. */
  private async request(action: Record<string, string>): Promise<Response | SendOutcome> {
    const all: Record<string, string> = {
      ...action,
      AccessKeyId: this.secrets.accessKeyId,
      Format: 'JSON',
      RegionId: 'cn-hangzhou',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      Timestamp: this.config.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
    };
    all.Signature = aliyunSignature('POST', all, this.secrets.accessKeySecret);
    return post(this.config.endpoint || ALIYUN_ENDPOINT, { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams(all).toString(), this.config);
  }

  private async post(action: Record<string, string>): Promise<SendOutcome> {
    const res = await this.request(action);
    if (!(res instanceof Response)) return res;
    const answer = (await res.json().catch(() => ({}))) as AliyunAnswer;
    const code = answer.Code ?? `HTTP_${res.status}`;
    if (code === 'OK') return { status: 'sent', messageId: answer.BizId ?? null, code };
    if (THROTTLED.has(code)) return { status: 'retry', code, throttled: true };
    if (PASSING.has(code)) return { status: 'retry', code, throttled: false };
    return byHttpStatus(res.status) ?? { status: 'failed', code };
  }
}
