import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeHidPosReports, hidPosCapacity, HidPosDecoder } from '../../main/devices/hid-pos';

function decoder(opts: { maxGapMs?: number } = {}) {
  const warnings: string[] = [];
  let now = 1000;
  const d = new HidPosDecoder({ warn: (m) => warnings.push(m), now: () => now, ...opts });
  return { d, warnings, tick: (ms: number) => (now += ms), push: (rs: Uint8Array[]) => rs.map((r) => d.push(r)) };
}

const WAYBILL = 'SF1402279137720';
const LONG = `https://example.invalid/p?code=${'7'.repeat(120)}&sig=${'ab'.repeat(40)}`;

describe('HID POS scanned-data report', () => {
  it('lays out a 64-byte report as id, length, AIM id, data, vendor id, reserved, continuation flag', () => {
    const [r] = encodeHidPosReports(WAYBILL, { reportSize: 64, symbology: ']C0' });
    expect(r.length).toBe(64);
    expect([...r.subarray(0, 5)]).toEqual([0x02, WAYBILL.length, 0x5d, 0x43, 0x30]);
    expect(new TextDecoder().decode(r.subarray(5, 5 + WAYBILL.length))).toBe(WAYBILL);
    expect(r[63]).toBe(0);
    expect(hidPosCapacity(64)).toBe(56);
  });

  it('decodes a single report into a scan with its AIM symbology', () => {
    const { push, warnings } = decoder();
    expect(push(encodeHidPosReports(WAYBILL))).toEqual([{ code: WAYBILL, symbology: ']C0', source: 'hid-pos', at: 1000 }]);
    expect(warnings).toEqual([]);
  });

  it.each([16, 32, 64])('reassembles a barcode split over %i-byte reports', (size) => {
    const reports = encodeHidPosReports(LONG, { reportSize: size, symbology: ']Q1' });
    expect(reports.length).toBe(Math.ceil(LONG.length / hidPosCapacity(size)));
    expect(reports.slice(0, -1).every((r) => r[size - 1] === 1)).toBe(true);
    const { push, warnings } = decoder();
    const out = push(reports);
    expect(out.slice(0, -1).every((x) => x === null)).toBe(true);
    expect(out.at(-1)).toMatchObject({ code: LONG, symbology: ']Q1' });
    expect(warnings).toEqual([]);
  });

  it('cannot carry a barcode in 8-byte reports: the encoder refuses, the decoder warns', () => {
    expect(() => encodeHidPosReports(WAYBILL, { reportSize: 8 })).toThrow(RangeError);
    const { push, warnings } = decoder();
    expect(push([Uint8Array.of(2, 3, 0x5d, 0x43, 0x30, 0x31, 0x32, 0)])).toEqual([null]);
    expect(warnings).toEqual(['HID POS: ignored an input report: report too short (8 bytes)']);
  });

  it('reads a scanner that sends no AIM identifier as symbology null', () => {
    const { push } = decoder();
    expect(push(encodeHidPosReports('6901234567892', { symbology: null }))[0]).toMatchObject({ code: '6901234567892', symbology: null });
  });

  it('decodes UTF-8, and GB18030 from Chinese systems', () => {
    const { d } = decoder();
    expect(d.push(encodeHidPosReports('驿站-取件码 8-2-1031', { symbology: ']Q1' })[0])?.code).toBe('驿站-取件码 8-2-1031');
    const gbk = Uint8Array.of(0xe6, 0xe4, 0xd5, 0xbe, 0x41); // "驿站A" in GB18030
    expect(d.push(encodeHidPosReports(gbk, { symbology: ']Q1' })[0])?.code).toBe('驿站A');
  });

  it('ignores reports with another id, an impossible length or no AIM marker, and warns without content', () => {
    const { push, warnings } = decoder();
    const good = encodeHidPosReports(WAYBILL)[0];
    const otherId = Uint8Array.from(good);
    otherId[0] = 0x04;
    const tooLong = Uint8Array.from(good);
    tooLong[1] = 57;
    const noAim = Uint8Array.from(good);
    noAim[2] = 0x53; // data where the AIM id belongs: another vendor's layout
    expect(push([otherId, tooLong, noAim])).toEqual([null, null, null]);
    expect(warnings).toEqual([
      'HID POS: ignored an input report: unexpected report id 0x04',
      'HID POS: ignored an input report: data length 57 exceeds the 56-byte capacity of a 64-byte report',
      'HID POS: ignored an input report: no AIM symbology identifier at bytes 2-4',
    ]);
    expect(push([good])[0]?.code).toBe(WAYBILL);
  });

  it('drops a split barcode cut off by a truncated report, then reads the next scan', () => {
    const { push, warnings } = decoder();
    const [first, second] = encodeHidPosReports(LONG, { reportSize: 64 });
    const truncated = second.subarray(0, 6);
    expect(push([first, truncated])).toEqual([null, null]);
    expect(warnings).toEqual([
      'HID POS: ignored an input report: report too short (6 bytes)',
      'HID POS: dropped an incomplete barcode (56 bytes): interrupted by an invalid report',
    ]);
    expect(push(encodeHidPosReports(WAYBILL)).at(-1)?.code).toBe(WAYBILL);
  });

  it('drops a split barcode whose continuation never comes', () => {
    const { push, warnings, tick } = decoder({ maxGapMs: 500 });
    push(encodeHidPosReports(LONG).slice(0, 1));
    tick(2000);
    expect(push(encodeHidPosReports(WAYBILL))[0]?.code).toBe(WAYBILL);
    expect(warnings).toEqual(['HID POS: dropped an incomplete barcode (56 bytes): the rest of a split barcode never arrived']);
  });

  it('drops a split barcode interrupted by a report of another symbology', () => {
    const { push, warnings } = decoder();
    push(encodeHidPosReports(LONG, { symbology: ']Q1' }).slice(0, 1));
    expect(push(encodeHidPosReports(WAYBILL, { symbology: ']C0' }))[0]?.code).toBe(WAYBILL);
    expect(warnings).toHaveLength(1);
  });

  it('never throws on arbitrary bytes and never logs scanned content', () => {
    const secret = 'ZZSECRET4242';
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 80 }), { maxLength: 6 }), fc.boolean(), (garbage, prefix) => {
        const { d, warnings } = decoder();
        const all = prefix ? [...encodeHidPosReports(secret + LONG).slice(0, 1), ...garbage] : garbage;
        for (const r of all) d.push(r);
        expect(warnings.join('\n')).not.toContain('ZZSECRET');
      }),
      { numRuns: 300 },
    );
  });
});
