// Carrier inference from the waybill number's shape, over every fixture row.
import { describe, expect, it } from 'vitest';
import { inferCarrier } from '../../shared/waybill';
import { fixtureRows } from '../helpers/fixtures';

describe('inferCarrier', () => {
  for (const file of ['manifest-small.csv', 'manifest-edge.csv']) {
    it(`names the manifest's carrier for every row of ${file}`, () => {
      const rows = fixtureRows(file);
      expect(rows.length).toBeGreaterThan(0);
      const wrong = rows.filter((r) => inferCarrier(r.waybill_no) !== r.carrier).map((r) => `${r.waybill_no}→${inferCarrier(r.waybill_no)} (${r.carrier})`);
      expect(wrong).toEqual([]);
    });
  }

  it('tells STO (77, 13 digits) from ZTO (7, 14 digits) by length', () => {
    expect(inferCarrier('7712345678901')).toBe('STO');
    expect(inferCarrier('77123456789012')).toBe('ZTO');
    expect(inferCarrier('73123456789012')).toBe('ZTO');
  });

  it('reads scanner input as typed: case and surrounding space do not matter', () => {
    expect(inferCarrier('  sf1234567890123 ')).toBe('SF');
    expect(inferCarrier('jdx123456789012')).toBe('JD');
  });

  it('returns null when the shape says nothing, so the clerk is asked', () => {
    for (const w of ['BN000000000001', '1234567890', '7712345678', '4312345678901234', 'SF12', '9812345678']) {
      expect(inferCarrier(w), w).toBeNull();
    }
  });
});
