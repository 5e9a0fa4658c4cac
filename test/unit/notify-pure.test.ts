// The pure parts of pickup notices: template checks and rendering, virtual
// numbers, the providers' documented signing examples, pacing.
import { describe, expect, it } from 'vitest';
import { aliyunSignature, aliyunStringToSign } from '../../main/notify/providers/aliyun-signature';
import { tc3Sign } from '../../main/notify/providers/tencent-signature';
import { RateLimiter, retryDelay, RETRY_CAP_MS, type Clock } from '../../main/notify/pacing';
import { reachOf } from '../../main/notify/recipient';
import { joinCodes, renderNotice, templateFields } from '../../main/notify/template';
import { codeOf } from '../helpers/results';

const facts = { station: '望京驿站', codes: '3-2-0107,3-2-0108', hours: '07:00-22:00', link: '', days: '2' };

describe('notice templates', () => {
  it('renders only station facts, with parameters in the order the template uses them', () => {
    const n = renderNotice({ code: 'SMS_1', text: '{station}：取件码{codes}，营业{hours}{link}' }, facts);
    expect(n.templateCode).toBe('SMS_1');
    expect(n.params).toEqual([['station', '望京驿站'], ['codes', '3-2-0107,3-2-0108'], ['hours', '07:00-22:00'], ['link', '']]);
    expect(n.text).toBe('望京驿站：取件码3-2-0107,3-2-0108，营业07:00-22:00');
  });

  it('refuses a placeholder that is not a station fact, an empty code, and a number typed into the wording', () => {
    for (const bad of ['{name}您好', '{address}', '{item}到了']) expect(codeOf(() => templateFields({ code: 'SMS_1', text: bad }))).toBe('NOTIFY_TEMPLATE_INVALID');
    expect(codeOf(() => templateFields({ code: ' ', text: '{codes}' }))).toBe('NOTIFY_TEMPLATE_INVALID');
    expect(codeOf(() => templateFields({ code: 'SMS_1', text: '有事请打13800138000 {codes}' }))).toBe('PERSONAL_DATA_IN_NOTE');
  });

  it('cuts a long list of codes and says how many', () => {
    const codes = Array.from({ length: 9 }, (_, i) => `12-3-01${10 + i}`);
    const joined = joinCodes(codes);
    expect(joined.length).toBeLessThanOrEqual(35);
    expect(joined).toMatch(/^12-3-0110,12-3-0111,12-3-0112等9件$/);
    expect(joinCodes(['1-1-0001'])).toBe('1-1-0001');
  });
});

describe('who can be texted', () => {
  it('leaves virtual numbers and landlines to the carrier', () => {
    expect(reachOf('138 0013 8000')).toEqual({ kind: 'sms', number: '13800138000' });
    expect(reachOf('+86 13800138000')).toEqual({ kind: 'sms', number: '13800138000' });
    expect(reachOf('13800138000-1234')).toEqual({ kind: 'carrier', reason: 'virtual' });
    expect(reachOf('13800138000转5678')).toEqual({ kind: 'carrier', reason: 'virtual' });
    expect(reachOf('010-12345678')).toEqual({ kind: 'carrier', reason: 'not-mobile' });
  });
});

describe('provider signing, against the providers’ documented examples', () => {
  it('Alibaba Cloud SMS signature mechanism example (SendSms, testId/testSecret)', () => {
    const params = {
      AccessKeyId: 'testId', Action: 'SendSms', Format: 'XML', OutId: '123', PhoneNumbers: '15300000001', RegionId: 'cn-hangzhou',
      SignName: '阿里云短信测试专用', SignatureMethod: 'HMAC-SHA1', SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureVersion: '1.0', TemplateCode: 'SMS_71390007', TemplateParam: '{"customer":"test"}', Timestamp: '2017-07-12T02:42:19Z', Version: '2017-05-25',
    };
    expect(aliyunStringToSign('GET', params)).toBe(
      'GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25',
    );
    expect(aliyunSignature('GET', params, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
    // A Signature already among the parameters is not signed.
    expect(aliyunSignature('GET', { ...params, Signature: 'x' }, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  it('Alibaba Cloud RPC signature example (DescribeRegions, testid/testsecret)', () => {
    const params = {
      Format: 'XML', AccessKeyId: 'testid', Action: 'DescribeRegions', SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf', SignatureVersion: '1.0', Version: '2014-05-26', Timestamp: '2016-02-23T12:46:24Z',
    };
    expect(aliyunSignature('GET', params, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it('Tencent Cloud signature v3 example (cvm DescribeInstances at 1551113065)', () => {
    const r = tc3Sign({
      secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3*******',
      service: 'cvm',
      host: 'cvm.tencentcloudapi.com',
      timestamp: 1551113065,
      payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
    });
    expect(r.date).toBe('2019-02-25');
    expect(r.signature).toBe('2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c');
    expect(r.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c',
    );
  });
});

function fakeClock(): Clock & { t: number; slept: number[] } {
  const c = {
    t: 0,
    slept: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.slept.push(ms);
      c.t += ms;
    },
  };
  return c;
}

describe('pacing', () => {
  it('lets a burst through, then one request per 1/rate seconds', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(5, clock, 2);
    for (let i = 0; i < 12; i++) await limiter.take();
    // 2 at once, then 10 more at 5/s: 2 seconds.
    expect(clock.t).toBe(2000);
  });

  it('backs off exponentially, longer when throttled, capped', () => {
    expect([1, 2, 3].map((a) => retryDelay(a, false))).toEqual([30_000, 60_000, 120_000]);
    expect(retryDelay(1, true)).toBe(60_000);
    expect(retryDelay(20, false)).toBe(RETRY_CAP_MS);
  });
});
