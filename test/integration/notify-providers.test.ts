// Each provider against a local server standing in for its endpoint; the
// server checks the signature with its own implementation of the documented
// algorithm and answers success, throttling or an error.
import { afterEach, describe, expect, it } from 'vitest';
import { AliyunSms } from '../../main/notify/providers/aliyun';
import type { OutgoingSms, ProviderConfig } from '../../main/notify/providers/provider';
import { TencentSms } from '../../main/notify/providers/tencent';
import { WebhookSms } from '../../main/notify/providers/webhook';
import { renderNotice } from '../../main/notify/template';
import { aliyunServer, tencentServer, webhookServer, type ProviderServer } from '../helpers/sms-servers';

const notice = renderNotice(
  { code: 'SMS_900001', text: '【{station}】您的包裹已到，取件码{codes}，营业时间{hours}' },
  { station: '望京驿站', codes: '3-2-0107,3-2-0108', hours: '07:00-22:00', link: '', days: '' },
);
const msg = (i: number): OutgoingSms => ({ key: `k${i}`, to: `1380013800${i}`, notice });
const config = (endpoint: string): ProviderConfig => ({ endpoint, signName: '望京驿站', now: () => new Date() });

let server: ProviderServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('Alibaba Cloud SMS', () => {
  const secrets = { accessKeyId: 'LTAI-test', accessKeySecret: 'test-secret-阿里' };

  it('sends one message with SendSms, signed, and reads the BizId', async () => {
    server = await aliyunServer(secrets.accessKeySecret);
    const [out] = await new AliyunSms(secrets, config(server.url)).send([msg(1)]);
    expect(out).toEqual({ status: 'sent', messageId: 'biz-1', code: 'OK' });
    expect(server.received[0]).toMatchObject({ signatureOk: true, to: ['13800138001'], key: 'k1' });
    expect(server.received[0].params[0]).toEqual({ station: '望京驿站', codes: '3-2-0107,3-2-0108', hours: '07:00-22:00' });
  });

  it('sends several with one SendBatchSms, each number its own parameters', async () => {
    server = await aliyunServer(secrets.accessKeySecret);
    const outs = await new AliyunSms(secrets, config(server.url)).send([msg(1), msg(2), msg(3)]);
    expect(outs.map((o) => o.status)).toEqual(['sent', 'sent', 'sent']);
    expect(server.received).toHaveLength(1);
    expect(server.received[0].to).toEqual(['13800138001', '13800138002', '13800138003']);
    expect(server.received[0].params).toHaveLength(3);
  });

  it('tells throttling, passing errors and refusals apart; a wrong secret is refused by the server', async () => {
    server = await aliyunServer(secrets.accessKeySecret);
    server.script.push('throttle', 'server-error', 'error');
    const p = new AliyunSms(secrets, config(server.url));
    expect(await p.send([msg(1)])).toEqual([{ status: 'retry', code: 'isv.BUSINESS_LIMIT_CONTROL', throttled: true }]);
    expect(await p.send([msg(1)])).toEqual([{ status: 'retry', code: 'isp.SYSTEM_ERROR', throttled: false }]);
    expect(await p.send([msg(1)])).toEqual([{ status: 'failed', code: 'isv.MOBILE_NUMBER_ILLEGAL' }]);
    const wrong = new AliyunSms({ ...secrets, accessKeySecret: 'nope' }, config(server.url));
    expect(await wrong.send([msg(1)])).toEqual([{ status: 'failed', code: 'SignatureDoesNotMatch' }]);
  });
});

describe('Tencent Cloud SMS', () => {
  const secrets = { secretId: 'AKID-test', secretKey: 'tc-secret', sdkAppId: '1400000000' };

  it('signs with TC3-HMAC-SHA256 and sends the parameters in template order', async () => {
    server = await tencentServer(secrets.secretKey);
    const [out] = await new TencentSms(secrets, config(server.url)).send([msg(4)]);
    expect(out).toEqual({ status: 'sent', messageId: 'serial-1', code: 'Ok' });
    expect(server.received[0]).toMatchObject({ signatureOk: true, to: ['13800138004'], key: 'k4' });
    expect(server.received[0].params[0]).toEqual({ 1: '望京驿站', 2: '3-2-0107,3-2-0108', 3: '07:00-22:00' });
  });

  it('throttled, passing and refused answers; a wrong key fails the signature', async () => {
    server = await tencentServer(secrets.secretKey);
    server.script.push('throttle', 'server-error', 'error');
    const p = new TencentSms(secrets, config(server.url));
    expect(await p.send([msg(1)])).toEqual([{ status: 'retry', code: 'RequestLimitExceeded', throttled: true }]);
    expect(await p.send([msg(1)])).toEqual([{ status: 'retry', code: 'InternalError.Timeout', throttled: false }]);
    expect(await p.send([msg(1)])).toEqual([{ status: 'failed', code: 'InvalidParameterValue.IncorrectPhoneNumber' }]);
    expect(await new TencentSms({ ...secrets, secretKey: 'x' }, config(server.url)).send([msg(1)])).toEqual([
      { status: 'failed', code: 'AuthFailure.SignatureFailure' },
    ]);
  });
});

describe('HTTPS webhook', () => {
  it('posts signed JSON with the idempotency key; the gateway drops a repeat', async () => {
    const hook = await webhookServer('hook-secret');
    server = hook;
    const p = new WebhookSms({ secret: 'hook-secret' }, config(hook.url));
    expect(await p.send([msg(1)])).toEqual([{ status: 'sent', messageId: 'wh-1', code: 'OK' }]);
    expect(await p.send([msg(1)])).toEqual([{ status: 'sent', messageId: 'wh-1', code: 'OK' }]);
    expect(hook.received.every((r) => r.signatureOk)).toBe(true);
    expect(hook.delivered.size).toBe(1);
    hook.script.push('throttle', 'server-error', 'error');
    expect(await p.send([msg(2)])).toEqual([{ status: 'retry', code: 'HTTP_429', throttled: true }]);
    expect(await p.send([msg(2)])).toEqual([{ status: 'retry', code: 'HTTP_503', throttled: false }]);
    expect(await p.send([msg(2)])).toEqual([{ status: 'failed', code: 'BAD_NUMBER' }]);
    expect(await new WebhookSms({ secret: 'wrong' }, config(hook.url)).send([msg(3)])).toEqual([{ status: 'failed', code: 'BAD_SIGNATURE' }]);
  });

  it('an endpoint that does not answer is a passing failure', async () => {
    const p = new WebhookSms({ secret: 's' }, { ...config('http://127.0.0.1:9/'), timeoutMs: 500 });
    expect(await p.send([msg(1)])).toEqual([{ status: 'retry', code: 'UNREACHABLE', throttled: false }]);
  });
});
