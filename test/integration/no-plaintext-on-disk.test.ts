// The mission's first promise: a copied database file alone reveals no
// personal data. Import both fixtures, then search the raw bytes of the
// database and its WAL for every name, phone (in every formatting) and address.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importManifest } from '../../main/inbound/import-manifest';
import { parsePhone } from '../../shared/phone';
import { fixtureRows, newStation, readFixture, tempDir, type FixtureRow } from '../helpers/fixtures';

const FILES = ['manifest-small.csv', 'manifest-edge.csv'];

function needles(r: FixtureRow): string[] {
  const p = parsePhone(r.recipient_phone);
  const out = [r.recipient_name, r.recipient_address, r.recipient_address.replace(/\s+/g, ''), r.recipient_phone];
  if (p) {
    const d = p.digits;
    out.push(d, `${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}`, `${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`);
  }
  if (r.item_desc) out.push(r.item_desc);
  // Address parts: the street number and estate must not be there on their own either.
  out.push(...r.recipient_address.split(/\s+/).filter((part) => /\d/.test(part)));
  return out.filter((n) => n.length >= 2);
}

function leaks(bytes: Buffer, rows: FixtureRow[]): string[] {
  const found: string[] = [];
  for (const r of rows) {
    for (const n of needles(r)) {
      // UTF-8 is what SQLite stores; UTF-16LE covers a stray wide-string copy.
      if (bytes.includes(Buffer.from(n, 'utf8')) || bytes.includes(Buffer.from(n, 'utf16le'))) found.push(`${r.waybill_no}: ${n.length} chars`);
    }
  }
  return found;
}

// SQLite only: the bytes of the SQLite file on disk (README, "Tests against PostgreSQL").
describe('no personal data in the raw store files', () => {
  const tmp = tempDir();
  const rows = FILES.flatMap(fixtureRows);
  let path = '';
  let whileOpen = Buffer.alloc(0);

  beforeAll(async () => {
    const s = newStation(tmp.dir);
    path = s.path;
    for (const f of FILES) {
      const report = await importManifest(s.station, f, readFixture(f));
      expect(report.imported + report.errors.length).toBe(fixtureRows(f).length);
    }
    // While open, recent pages live in the WAL.
    whileOpen = Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
    s.station.close();
  });
  afterAll(() => tmp.cleanup());

  it('the WAL was really searched while the store was open', () => {
    expect(whileOpen.length).toBeGreaterThan(readFileSync(path).length / 2);
    // The waybill numbers are not personal and are stored in clear: proves the search can hit.
    expect(whileOpen.includes(Buffer.from(rows[0].waybill_no))).toBe(true);
  });

  it('finds none of the fixtures’ names, phones or addresses in the database and WAL while open', () => {
    expect(leaks(whileOpen, rows)).toEqual([]);
  });

  it('finds none after close either', () => {
    const closed = Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
    expect(leaks(closed, rows)).toEqual([]);
  });
});
