// Sealing an import on worker threads gives the same store as sealing on the
// calling thread: every field opens to its row's value under its own row id,
// and the blind indexes find it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticRows, toCsv } from '../../bench/synthetic';
import { ParcelLookup } from '../../main/counter/lookup';
import { importManifest } from '../../main/inbound/import-manifest';
import { canSealInParallel, sealRows, type PoolKeys } from '../../main/inbound/seal-pool';
import { parseManifest } from '../../main/inbound/manifest';
import { openPersonalField } from '../../main/store/parcels';
import type { Station } from '../../main/store/station';
import { newStation, tempDir } from '../helpers/fixtures';

describe('sealing on worker threads', () => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  beforeEach(() => {
    tmp = tempDir();
    station = newStation(tmp.dir).station;
  });
  afterEach(() => {
    station.close();
    tmp.cleanup();
  });

  it('finds the worker script from the sources', () => {
    expect(canSealInParallel()).toBe(true);
  });

  it('seals every chunk on the workers, leaving the calling thread free', async () => {
    const { rows } = parseManifest(toCsv(syntheticRows(4500, 2)));
    const { fields, byWorkers } = await sealRows(station.keys, rows.map((r, i) => ({ id: 1 + i, fields: r })), { workers: 2 });
    expect(byWorkers).toBe(4500);
    expect(fields).toHaveLength(4500);
    expect(fields[4499].tail_bidx).toEqual(station.keys.tailBlindIndex(rows[4499].phone.digits.slice(-4)));
  });

  it('imports rows sealed by two workers, each under its own row id', async () => {
    const rows = syntheticRows(7000, 3);
    const report = await importManifest(station, 'big.csv', toCsv(rows), { sealWorkers: 2 });
    expect(report.imported).toBe(7000);
    const lookup = new ParcelLookup(station);
    const idOf = station.db.prepare('SELECT id FROM parcels WHERE waybill_no = ?').pluck();
    // One row from each 2000-row chunk, and the chunk edges.
    for (const i of [0, 1999, 2000, 3999, 4000, 5999, 6000, 6999]) {
      const r = rows[i];
      const id = idOf.get(r.waybill) as number;
      expect(openPersonalField(station.db, station.keys, id, 'name')).toBe(r.name);
      expect(openPersonalField(station.db, station.keys, id, 'phone')).toBe(r.phone);
      expect(openPersonalField(station.db, station.keys, id, 'address')).toBe(r.address);
      expect(lookup.find({ by: 'phone', value: r.phone }).map((p) => p.waybillNo)).toContain(r.waybill);
      expect(lookup.find({ by: 'tail', value: r.phone.slice(-4) }).length).toBeGreaterThan(0);
    }
  });

  it('seals every chunk on the calling thread when the workers cannot start', async () => {
    const { rows } = parseManifest(toCsv(syntheticRows(4500, 4)));
    const keys = station.keys;
    // Material a worker cannot build keys from: each worker fails as it starts.
    const broken: PoolKeys = {
      field: keys.field,
      phoneBlindIndex: (d) => keys.phoneBlindIndex(d),
      tailBlindIndex: (t) => keys.tailBlindIndex(t),
      fieldKeyMaterial: () => ({ ...keys.fieldKeyMaterial(), enc: new Uint8Array(3) }),
    };
    const progress: number[] = [];
    const { fields: sealed, byWorkers } = await sealRows(broken, rows.map((r, i) => ({ id: 100 + i, fields: r })), {
      workers: 2,
      onProgress: (done) => progress.push(done),
    });
    expect(byWorkers).toBe(0);
    expect(sealed).toHaveLength(4500);
    expect(progress.at(-1)).toBe(4500);
    expect(sealed[4499].phone_bidx).toEqual(keys.phoneBlindIndex(rows[4499].phone.digits));
  });
});
