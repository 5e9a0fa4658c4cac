// Labels for real fixture parcels, from the store's masked lookup, in every
// format: what the printer would print is read back (ZXing) and searched for
// anything unmasked. Samples go to test-results/artifacts/labels/ to look at.
import type { Canvas } from '@napi-rs/canvas';
import iconv from 'iconv-lite';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParcelLookup } from '../../main/counter/lookup';
import { importManifest } from '../../main/inbound/import-manifest';
import { encodeLayout, LABEL_FORMATS, layoutFor, type LabelFormat } from '../../main/labels';
import { encodeEscPos } from '../../main/labels/escpos';
import { halfCells } from '../../main/labels/text';
import { DPIS, LABEL_SIZE_IDS, layoutItems, type LabelLayout, type LabelSizeId } from '../../main/labels/layout';
import type { EmbeddedStation as Station } from '../../main/store/station';
import { encodeTspl } from '../../main/labels/tspl';
import { CARRIERS, type MaskedParcel } from '../../shared/parcel';
import { fixtureRows, newStation, readFixture, tempDir, type FixtureRow } from '../helpers/fixtures';
import { decodeEscPos, decodeTspl, layoutProblems, pngCanvas, readSymbols } from '../helpers/label-decoder';

const ARTIFACTS = resolve(__dirname, '../../test-results/artifacts/labels');
const DATE = new Date(2026, 10, 1);
const tmp = tempDir();
let station: Station;
let lookup: ParcelLookup;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ({ station } = newStation(tmp.dir));
  for (const f of ['manifest-small.csv', 'manifest-edge.csv']) await importManifest(station, f, readFixture(f), { now: () => DATE });
  // Shelve nine parcels in ten, as the shelving step would: code shelf-layer-seq.
  station.db
    .prepare(
      `UPDATE parcels SET status = 'on_shelf', pickup_code = ((id % 9) + 1) || '-' || ((id % 4) + 1) || '-' || (1000 + id)
       WHERE id % 10 != 0`,
    )
    .run();
  lookup = new ParcelLookup(station);
});
afterAll(() => {
  station.close();
  tmp.cleanup();
});

const masked = async (row: FixtureRow): Promise<MaskedParcel> => {
  const [p] = await lookup.find(station.store, { by: 'waybill', value: row.waybill_no });
  expect(p, row.waybill_no).toBeDefined();
  return p;
};
const opts = (size: LabelSizeId, dpi: (typeof DPIS)[number] = 203) => ({ size, dpi, qr: true, stationName: station.name, date: DATE });

async function pdfPage(pdf: Uint8Array, dpi: number): Promise<{ canvas: Canvas; png: Uint8Array; text: string }> {
  const file = join(tmp.dir, 'label.pdf');
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-singlefile', file, join(tmp.dir, 'page')]);
  const png = readFileSync(join(tmp.dir, 'page.png'));
  return { canvas: await pngCanvas(png), png, text: execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }) };
}

/** What the printer (or viewer) would show, and every text we can pull out of the bytes. */
async function printed(layout: LabelLayout, format: LabelFormat, bytes: Uint8Array): Promise<{ canvas: Canvas; text: string }> {
  const raw = `${Buffer.from(bytes).toString('latin1')}\n${iconv.decode(Buffer.from(bytes), 'gb18030')}`;
  switch (format) {
    case 'tspl':
    case 'tspl-raster':
      return { canvas: decodeTspl(bytes, layout.dpi).canvas, text: raw };
    case 'escpos':
    case 'escpos-raster':
      return { canvas: decodeEscPos(bytes, layout.width).canvas, text: raw };
    case 'png':
      return { canvas: await pngCanvas(bytes), text: raw };
    case 'pdf': {
      const page = await pdfPage(bytes, layout.dpi);
      return { canvas: page.canvas, text: `${raw}\n${page.text}` };
    }
  }
}

/** Full values from the manifest that appear in a label's text. */
function leaks(text: string, row: FixtureRow, p: MaskedParcel): string[] {
  const found: string[] = [];
  const digits = row.recipient_phone.replace(/\D/g, '').replace(/^86(?=1\d{10})/, '');
  // Anything longer than the shown tail is too much of the number.
  if (text.includes(digits.slice(0, -4))) found.push('phone');
  const name = row.recipient_name.trim();
  const words = [name, ...name.split(/\s+/).filter((w) => w.length >= 3)];
  if (Array.from(name).length >= 2 && words.some((w) => text.includes(w))) found.push('name');
  const address = row.recipient_address.replace(/\s+/g, '');
  const hidden = address.slice(p.address.replace(/\*+$/, '').length);
  if (text.includes(address) || (hidden.length >= 3 && text.includes(hidden.slice(0, 4)))) found.push('address');
  if (row.item_desc && !p.item.includes(row.item_desc) && text.includes(row.item_desc)) found.push('item description');
  return found;
}

describe('labels for fixture parcels', () => {
  const onePerCarrier = CARRIERS.map((c) => fixtureRows('manifest-small.csv').find((r) => r.carrier === c)!);

  it.each(onePerCarrier.map((r) => [r.carrier, r] as const))('%s: every format reads back and hides the recipient', async (carrier, row) => {
    const parcel = await masked(row);
    for (const format of LABEL_FORMATS) {
      const layout = layoutFor(parcel, format, opts('60x40'));
      const bytes = await encodeLayout(layout, format);
      const { canvas, text } = await printed(layout, format, bytes);
      const expected = [{ format: 'Code128', text: parcel.waybillNo }];
      if (parcel.pickupCode) expected.push({ format: 'QRCode', text: parcel.pickupCode });
      expect(await readSymbols(canvas), `${carrier} ${format}`).toEqual(expect.arrayContaining(expected));
      expect(leaks(text, row, parcel), `${carrier} ${format}`).toEqual([]);
      if (format === 'tspl' || format === 'escpos') expect(bytes.length).toBeLessThanOrEqual(1024);
      if (carrier === 'SF' || carrier === 'JD') {
        writeFileSync(join(ARTIFACTS, `${carrier}-60x40-${format}-decoded.png`), canvas.encodeSync('png'));
        if (format === 'pdf') writeFileSync(join(ARTIFACTS, `${carrier}-60x40.pdf`), bytes);
      }
    }
  });

  it('fits every size and resolution for all 500 fixture parcels, native jobs within 1 KB at 60×40', async () => {
    const rows = [...fixtureRows('manifest-small.csv'), ...fixtureRows('manifest-edge.csv')];
    const sizes: number[] = [];
    for (const row of rows) {
      const parcel = await masked(row);
      for (const size of LABEL_SIZE_IDS) {
        for (const dpi of DPIS) {
          for (const format of ['tspl', 'escpos'] as const) {
            const layout = layoutFor(parcel, format, opts(size, dpi));
            expect(layoutProblems(layout), `${row.waybill_no} ${size} ${dpi} ${format}`).toEqual([]);
            if (size === '60x40' && dpi === 203) {
              const bytes = format === 'tspl' ? encodeTspl(layout) : encodeEscPos(layout);
              sizes.push(bytes.length);
              expect(leaks(iconv.decode(Buffer.from(bytes), 'gb18030'), row, parcel), row.waybill_no).toEqual([]);
            }
          }
        }
      }
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1024);
  });
});

describe('labels for the hard cases', () => {
  const edge = fixtureRows('manifest-edge.csv');
  const picks = [
    [...edge].sort((a, b) => b.recipient_address.length - a.recipient_address.length)[0],
    edge.find((r) => r.recipient_name === 'Tanaka Hiroshi')!,
    edge.find((r) => r.recipient_name === 'Kim Minjun')!,
    edge.find((r) => r.recipient_name.includes('·'))!,
    edge.find((r) => /-\d{4}$/.test(r.recipient_phone))!,
    edge.find((r) => r.recipient_address.includes('香港'))!,
  ];

  it.each(picks.map((r) => [r.recipient_name, r] as const))('%s: prints the masked name, reads back', async (_name, row) => {
    const parcel = await masked(row);
    for (const size of ['40x30', '60x40', '58'] as const) {
      for (const format of ['tspl', 'escpos'] as const) {
        const layout = layoutFor(parcel, format, opts(size));
        expect(layoutProblems(layout)).toEqual([]);
        const bytes = await encodeLayout(layout, format);
        const decoded = format === 'tspl' ? decodeTspl(bytes, 203) : decodeEscPos(bytes, layout.width);
        expect(decoded.texts.join('\n')).toContain(parcel.name);
        const symbols = await readSymbols(decoded.canvas);
        expect(symbols, `${size} ${format}`).toContainEqual({ format: 'Code128', text: parcel.waybillNo });
        if (parcel.pickupCode && !layout.omitted.includes('QR code')) {
          expect(symbols).toContainEqual({ format: 'QRCode', text: parcel.pickupCode });
        }
        writeFileSync(join(ARTIFACTS, `edge-${row.waybill_no}-${size}-${format}-decoded.png`), decoded.canvas.encodeSync('png'));
      }
    }
  });

  it('wraps or truncates the longest masked address, never past the edge, at every size', async () => {
    const row = (await Promise.all(edge.map(async (r) => ({ r, p: await masked(r) })))).sort((a, b) => halfCells(b.p.address) - halfCells(a.p.address))[0].r;
    const parcel = await masked(row);
    for (const size of LABEL_SIZE_IDS) {
      for (const dpi of DPIS) {
        const layout = layoutFor(parcel, 'png', opts(size, dpi));
        expect(layoutProblems(layout)).toEqual([]);
        const isAddress = (t: string) => t.length > 1 && parcel.address.includes(t.replace(/…$/, ''));
        const lines = layoutItems(layout).flatMap((i) => (i.kind === 'text' && isAddress(i.text) ? [i.text] : []));
        const shown = lines.join('');
        if (layout.omitted.includes('address')) expect(lines).toEqual([]);
        else if (shown.endsWith('…')) expect(parcel.address.startsWith(shown.slice(0, -1))).toBe(true);
        else expect(shown).toBe(parcel.address);
        if (size === '40x30') expect(shown).not.toBe(parcel.address);
        const png = await encodeLayout(layout, 'png');
        const canvas = await pngCanvas(png);
        expect([canvas.width, canvas.height]).toEqual([layout.width, layout.height]);
        writeFileSync(join(ARTIFACTS, `preview-${size}-${dpi}dpi.png`), png);
      }
    }
    const { png } = await pdfPage(await encodeLayout(layoutFor(parcel, 'pdf', opts('76x130')), 'pdf'), 203);
    writeFileSync(join(ARTIFACTS, 'pdf-76x130-page.png'), png);
  });
});
