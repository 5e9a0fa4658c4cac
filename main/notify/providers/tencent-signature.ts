// Tencent Cloud API 3.0 request signature v3 (TC3-HMAC-SHA256) for a JSON
// POST: the canonical request (method, path "/", empty query, the signed
// headers content-type and host, the SHA-256 of the body), then the string to
// sign (algorithm, timestamp, UTC date/service/tc3_request scope, hash of the
// canonical request), signed with a key derived by HMAC-SHA256 from
// "TC3"+SecretKey through the date, the service and "tc3_request".
import { createHash, createHmac } from 'node:crypto';

export const TC3_CONTENT_TYPE = 'application/json; charset=utf-8';

export interface Tc3Request {
  secretId: string;
  secretKey: string;
  service: string;
  host: string;
  /** Unix seconds; also names the UTC day of the credential scope. */
  timestamp: number;
  payload: string;
}

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Buffer, s: string): Buffer => createHmac('sha256', key).update(s, 'utf8').digest();

export function tc3Sign(r: Tc3Request): { authorization: string; signature: string; date: string } {
  const date = new Date(r.timestamp * 1000).toISOString().slice(0, 10);
  const canonical = ['POST', '/', '', `content-type:${TC3_CONTENT_TYPE}`, `host:${r.host}`, '', 'content-type;host', sha256(r.payload)].join('\n');
  const scope = `${date}/${r.service}/tc3_request`;
  const toSign = ['TC3-HMAC-SHA256', String(r.timestamp), scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(`TC3${r.secretKey}`, date), r.service), 'tc3_request');
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  return {
    signature,
    date,
    authorization: `TC3-HMAC-SHA256 Credential=${r.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
  };
}
