// Local HTTP servers standing in for each SMS provider's endpoint. Each checks
// the request's signature with its own implementation of the provider's
// documented algorithm (WebCrypto and hand-written encoding, not the app's
// signing code), records what it received, and answers as scripted: success,
// throttling, or an error.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const te = new TextEncoder();

async function hmac(alg: 'SHA-1' | 'SHA-256', key: Uint8Array<ArrayBuffer> | string, msg: string): Promise<Uint8Array<ArrayBuffer>> {
  const k = await crypto.subtle.importKey('raw', typeof key === 'string' ? te.encode(key) : key, { name: 'HMAC', hash: alg }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, te.encode(msg)));
}
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const sha256hex = async (s: string): Promise<string> => hex(new Uint8Array(await crypto.subtle.digest('SHA-256', te.encode(s))));

/** RFC 3986 by hand: unreserved bytes stay, every other UTF-8 byte becomes %XX. */
function rfc3986(s: string): string {
  let out = '';
  for (const b of te.encode(s)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Alibaba RPC signature v1, independently: POST & %2F & enc(sorted query), HMAC-SHA1(secret&), Base64. */
export async function aliyunExpected(params: Record<string, string>, secret: string, method = 'POST'): Promise<string> {
  const query = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${rfc3986(k)}=${rfc3986(params[k])}`)
    .join('&');
  return Buffer.from(await hmac('SHA-1', `${secret}&`, `${method}&${rfc3986('/')}&${rfc3986(query)}`)).toString('base64');
}

/** TC3-HMAC-SHA256, independently. */
export async function tc3Expected(secretKey: string, service: string, host: string, contentType: string, timestamp: number, body: string): Promise<string> {
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const canonical = `POST\n/\n\ncontent-type:${contentType}\nhost:${host}\n\ncontent-type;host\n${await sha256hex(body)}`;
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${await sha256hex(canonical)}`;
  const kDate = await hmac('SHA-256', `TC3${secretKey}`, date);
  const kService = await hmac('SHA-256', kDate, service);
  const kSigning = await hmac('SHA-256', kService, 'tc3_request');
  return hex(await hmac('SHA-256', kSigning, toSign));
}

export type Scripted = 'ok' | 'throttle' | 'error' | 'server-error';

export interface Received {
  /** What the provider would text: number and parameters. */
  to: string[];
  params: Record<string, string>[];
  key: string | null;
  signatureOk: boolean;
  raw: string;
}

/** What the handset's network reported for a message, as the test sets it; unset: no report yet. */
export type Report = 'delivered' | 'failed';

export interface ProviderServer {
  url: string;
  received: Received[];
  /** Receipt queries (Alibaba QuerySendDetails, Tencent PullSmsSendStatus), signature checked like a send. */
  queries: Received[];
  /** Reports by the message id the send answered with (Alibaba: `BizId:number`). */
  reports: Map<string, Report>;
  /** Answers for the next requests, in order; afterwards 'ok'. */
  script: Scripted[];
  close(): Promise<void>;
}

const body = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

type Handler = (
  req: IncomingMessage,
  raw: string,
  next: Scripted,
  n: number,
  reports: Map<string, Report>,
) => Promise<{ status: number; json: unknown; received: Received; query?: boolean }>;

async function serve(handler: Handler): Promise<ProviderServer> {
  const received: Received[] = [];
  const queries: Received[] = [];
  const reports = new Map<string, Report>();
  const script: Scripted[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    void body(req).then(async (raw) => {
      const answer = await handler(req, raw, script.shift() ?? 'ok', ++n, reports);
      (answer.query ? queries : received).push(answer.received);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.json));
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    queries,
    reports,
    script,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function aliyunServer(secret: string): Promise<ProviderServer> {
  const outIds = new Map<string, string>();
  return serve(async (_req, raw, next, n, reports) => {
    const p = Object.fromEntries(new URLSearchParams(raw));
    const signatureOk = p.Signature === (await aliyunExpected(p, secret));
    if (p.Action === 'QuerySendDetails') {
      const received: Received = { to: [p.PhoneNumber], params: [{ BizId: p.BizId, SendDate: p.SendDate }], key: null, signatureOk, raw };
      if (!signatureOk) return { status: 400, json: { Code: 'SignatureDoesNotMatch' }, received, query: true };
      // SendBatchSms answers one BizId for the batch: a report is per BizId and number.
      const report = reports.get(`${p.BizId}:${p.PhoneNumber}`);
      const dto = { PhoneNum: p.PhoneNumber, SendStatus: report === 'delivered' ? 3 : report === 'failed' ? 2 : 1, ErrCode: report === 'failed' ? 'MK:0001' : report ? 'DELIVERED' : '', OutId: outIds.get(p.BizId) ?? '' };
      return { status: 200, json: { Code: 'OK', TotalCount: 1, SmsSendDetailDTOs: { SmsSendDetailDTO: [dto] } }, received, query: true };
    }
    const batch = p.Action === 'SendBatchSms';
    const received: Received = {
      to: batch ? (JSON.parse(p.PhoneNumberJson) as string[]) : p.PhoneNumbers.split(','),
      params: batch ? (JSON.parse(p.TemplateParamJson) as Record<string, string>[]) : [JSON.parse(p.TemplateParam) as Record<string, string>],
      key: p.OutId ?? null,
      signatureOk,
      raw,
    };
    if (!signatureOk) return { status: 400, json: { Code: 'SignatureDoesNotMatch' }, received };
    if (next === 'ok' && p.OutId) outIds.set(`biz-${n}`, p.OutId);
    const json =
      next === 'ok' ? { Code: 'OK', BizId: `biz-${n}`, Message: 'OK' }
      : next === 'throttle' ? { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发流控' }
      : next === 'server-error' ? { Code: 'isp.SYSTEM_ERROR' }
      : { Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号' };
    return { status: next === 'server-error' ? 500 : 200, json, received };
  });
}

export function tencentServer(secretKey: string): Promise<ProviderServer> {
  return serve(async (req, raw, next, n, reports) => {
    const h = req.headers;
    const auth = String(h.authorization ?? '');
    const sig = /Signature=([0-9a-f]{64})$/.exec(auth)?.[1];
    const expected = await tc3Expected(secretKey, 'sms', String(h.host), String(h['content-type']), Number(h['x-tc-timestamp']), raw);
    if (h['x-tc-action'] === 'PullSmsSendStatus') {
      const q = JSON.parse(raw) as { SmsSdkAppId: string; Limit: number };
      const received: Received = { to: [], params: [{ SmsSdkAppId: q.SmsSdkAppId, Limit: String(q.Limit) }], key: null, signatureOk: sig === expected, raw };
      if (sig !== expected) return { status: 200, json: { Response: { Error: { Code: 'AuthFailure.SignatureFailure' } } }, received, query: true };
      // A queue: each report is handed out once.
      const set = [...reports].slice(0, q.Limit).map(([serial, report]) => {
        reports.delete(serial);
        return { SerialNo: serial, ReportStatus: report === 'delivered' ? 'SUCCESS' : 'FAIL', Description: report === 'delivered' ? 'DELIVRD' : 'MK:0005', PhoneNumber: '+86', SessionContext: '' };
      });
      return { status: 200, json: { Response: { PullSmsSendStatusSet: set, RequestId: `r${n}` } }, received, query: true };
    }
    const signatureOk = sig === expected && h['x-tc-action'] === 'SendSms';
    const p = JSON.parse(raw) as { PhoneNumberSet: string[]; TemplateParamSet: string[]; SessionContext?: string };
    const received: Received = {
      to: p.PhoneNumberSet.map((x) => x.replace(/^\+86/, '')),
      params: [Object.fromEntries(p.TemplateParamSet.map((v, i) => [String(i + 1), v]))],
      key: p.SessionContext ?? null,
      signatureOk,
      raw,
    };
    const error = (code: string) => ({ Response: { Error: { Code: code, Message: code }, RequestId: `r${n}` } });
    if (!signatureOk) return { status: 200, json: error('AuthFailure.SignatureFailure'), received };
    const json =
      next === 'ok' ? { Response: { SendStatusSet: [{ SerialNo: `serial-${n}`, PhoneNumber: p.PhoneNumberSet[0], Code: 'Ok' }], RequestId: `r${n}` } }
      : next === 'throttle' ? error('RequestLimitExceeded')
      : next === 'server-error' ? error('InternalError.Timeout')
      : { Response: { SendStatusSet: [{ SerialNo: '', PhoneNumber: p.PhoneNumberSet[0], Code: 'InvalidParameterValue.IncorrectPhoneNumber' }], RequestId: `r${n}` } };
    return { status: 200, json, received };
  });
}

/** A gateway that also does what the webhook contract asks: a repeated key is acknowledged, not sent again. */
export function webhookServer(secret: string): Promise<ProviderServer & { delivered: Map<string, number> }> {
  const delivered = new Map<string, number>();
  return serve(async (req, raw, next, n) => {
    const ts = String(req.headers['x-timestamp']);
    const signatureOk = req.headers['x-signature'] === `sha256=${hex(await hmac('SHA-256', secret, `${ts}.${raw}`))}`;
    const p = JSON.parse(raw) as { id: string; to: string; params: Record<string, string> };
    const received: Received = { to: [p.to], params: [p.params], key: p.id, signatureOk, raw };
    if (!signatureOk) return { status: 401, json: { code: 'BAD_SIGNATURE' }, received };
    if (next === 'throttle') return { status: 429, json: { code: 'SLOW_DOWN' }, received };
    if (next === 'server-error') return { status: 503, json: {}, received };
    if (next === 'error') return { status: 422, json: { code: 'BAD_NUMBER' }, received };
    if (!delivered.has(p.id)) delivered.set(p.id, n);
    return { status: 200, json: { messageId: `wh-${delivered.get(p.id)}` }, received };
  }).then((s) => Object.assign(s, { delivered }));
}
