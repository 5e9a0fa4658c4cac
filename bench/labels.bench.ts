// Labels: layout + encode time per format, bytes per label, and what those
// bytes cost over a full-speed USB HID link (one 64-byte report per 1 ms
// frame), against a raw text-only TSPL label built by hand in the same run.
import iconv from 'iconv-lite';
import { loadavg } from 'node:os';
import { encodeLayout, LABEL_FORMATS, layoutFor, type LabelFormat } from '../main/labels';
import { generaliseItem, maskAddress, maskName, maskPhone } from '../shared/mask';
import type { Carrier, MaskedParcel } from '../shared/parcel';
import { fmt, quantiles, timeEach } from './stats';
import { syntheticRows } from './synthetic';

const HID_REPORT_BYTES = 64;
const hidMs = (bytes: number): number => Math.ceil(bytes / HID_REPORT_BYTES);
const OPTS = { size: '60x40', dpi: 203, qr: true, stationName: '幸福里快递驿站', date: new Date(2026, 10, 1) } as const;

function parcels(n: number): MaskedParcel[] {
  return syntheticRows(n, 11).map((r, i) => ({
    waybillNo: r.waybill,
    carrier: r.carrier as Carrier,
    pickupCode: `${1 + (i % 9)}-${1 + (i % 4)}-${1000 + i}`,
    status: 'on_shelf',
    name: maskName(r.name),
    phone: maskPhone(r.phone),
    address: maskAddress(r.address),
    item: generaliseItem(r.item),
  }));
}

/** The least a label printer needs: code, name, phone tail, waybill text; no layout, no symbols. */
function rawTspl(p: MaskedParcel): Uint8Array {
  const job = `SIZE 60 mm,40 mm\r\nGAP 2 mm,0 mm\r\nCLS\r\nTEXT 12,12,"TSS24.BF2",0,3,3,"${p.pickupCode}"\r\n` +
    `TEXT 12,100,"TSS24.BF2",0,1,1,"${p.name} ${p.phone}"\r\nTEXT 12,140,"TSS24.BF2",0,1,1,"${p.waybillNo}"\r\nPRINT 1\r\n`;
  return iconv.encode(job, 'gb18030');
}

type Times = ReturnType<typeof quantiles>;

/**
 * Times `fn` over every input, each run right after the same-run baseline
 * `base` on the same input, so both see the same load: on a shared 2-core
 * machine the ratio between the two holds better than either figure.
 */
async function timeEachBeside<T>(inputs: T[], fn: (x: T) => Promise<unknown>, base: (x: T) => Promise<unknown>): Promise<{ t: Times; base: Times }> {
  for (const x of inputs.slice(0, 10)) {
    await base(x);
    await fn(x);
  } // warm-up
  const us: number[] = [];
  const baseUs: number[] = [];
  for (const x of inputs) {
    let t = process.hrtime.bigint();
    await base(x);
    baseUs.push(Number(process.hrtime.bigint() - t) / 1000);
    t = process.hrtime.bigint();
    await fn(x);
    us.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  return { t: quantiles(us), base: quantiles(baseUs) };
}

const ms = (us: number): string => fmt(us / 1000, 2);

export async function labelsBench(opts: { quick: boolean }): Promise<void> {
  const inputs = parcels(opts.quick ? 100 : 500);
  // Canvas and PDF times swing with other load on a 2-core machine: say how loaded it was.
  console.log(`load average ${fmt(loadavg()[0], 1)}`);
  const base = timeEach(inputs, rawTspl);
  const baseBytes = Math.max(...inputs.map((p) => rawTspl(p).length));
  console.log(
    `baseline raw text-only TSPL (60×40): p50 ${fmt(base.p50)} µs, p95 ${fmt(base.p95)} µs, ` +
      `max ${baseBytes} B, HID ${hidMs(baseBytes)} ms`,
  );
  // The full layout + encode of each label, every time (nothing is kept between labels but the
  // font, the canvas and what they cache); beside it, in the same loop, native TSPL's.
  const label = (format: LabelFormat) => async (p: MaskedParcel) => (await encodeLayout(layoutFor(p, format, OPTS), format)).length;
  for (const format of LABEL_FORMATS) {
    const sizes: number[] = [];
    const encode = label(format);
    const { t, base: native } = await timeEachBeside(inputs, async (p) => sizes.push(await encode(p)), label('tspl'));
    const max = Math.max(...sizes);
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    const isNative = format === 'tspl' || format === 'escpos';
    const transfer = format === 'pdf' || format === 'png' ? '' : `, HID ${hidMs(max)} ms (baseline ${hidMs(baseBytes)} ms)`;
    console.log(
      `${format} 60×40 + QR: layout+encode p50 ${ms(t.p50)} ms, p95 ${ms(t.p95)} ms (target p95 < 30 ms; ` +
        `same loop native tspl p50 ${ms(native.p50)} ms, p95 ${ms(native.p95)} ms: ${fmt(t.p95 / native.p95, 1)}x at p95; ` +
        `raw text-only p95 ${fmt(base.p95 / 1000, 3)} ms), bytes mean ${fmt(mean, 0)} max ${max} ` +
        `(baseline ${baseBytes}; ${fmt(max / baseBytes, 1)}x)${isNative ? ', target <= 1024' : ''}${transfer}`,
    );
  }
}
