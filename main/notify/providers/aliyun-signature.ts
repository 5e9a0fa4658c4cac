// Alibaba Cloud's RPC request signature (signature version 1.0), as the SMS
// API (Dysmsapi 2017-05-25: SendSms, SendBatchSms) documents it: parameters
// sorted by name, each name and value percent-encoded per RFC 3986 (space as
// %20, `*` as %2A, `~` kept), joined with & and =; the string to sign is
// METHOD & %2F & the encoded query encoded once more; the signature is
// HMAC-SHA1 under "AccessKeySecret&", in Base64.
import { createHmac } from 'node:crypto';

export const percentEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function canonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k])}`)
    .join('&');
}

export function aliyunStringToSign(method: 'GET' | 'POST', params: Readonly<Record<string, string>>): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
}

export function aliyunSignature(method: 'GET' | 'POST', params: Readonly<Record<string, string>>, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(aliyunStringToSign(method, params), 'utf8').digest('base64');
}
