import { codeOf } from '../helpers/results';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParcelLookup } from '../../main/counter/lookup';
import { importManifest } from '../../main/inbound/import-manifest';
import { ParcelWriter, reserveParcelIds } from '../../main/store/parcel-writer';
import { maskedParcelById, openPersonalField, sealPersonalFields } from '../../main/store/parcels';
import { initialiseStation, unlockWithPassphrase, unlockWithProtector } from '../../main/store/station';
import { maskPhone } from '../../shared/mask';
import { parsePhone } from '../../shared/phone';
import type { KeyProtector } from '../../main/crypto/key-protector';
import { newStation, readFixture, TEST_KDF, TEST_PASSPHRASE, tempDir } from '../helpers/fixtures';

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

// SQLite only: a station file unlocked untouched, its OS-sealed key, values swapped in the file (README, "Tests against PostgreSQL").
describe('station store', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('unlocks with the passphrase; a wrong one is refused and touches nothing', () => {
    const { path, station } = newStation(tmp.dir);
    station.close();
    const before = sha(path);
    expect(codeOf(() => unlockWithPassphrase(path, 'wrong passphrase'))).toBe('WRONG_PASSPHRASE');
    expect(sha(path)).toBe(before);
    const again = unlockWithPassphrase(path, TEST_PASSPHRASE);
    expect(again.name).toBe('测试驿站');
    again.close();
  });

  it('refuses a short passphrase, a second init, a missing file and a non-store file', () => {
    const path = `${tmp.dir}/s.db`;
    expect(codeOf(() => initialiseStation(path, { passphrase: 'short', stationName: 'x', kdfCost: TEST_KDF }))).toBe('WEAK_PASSPHRASE');
    initialiseStation(path, { passphrase: TEST_PASSPHRASE, stationName: 'x', kdfCost: TEST_KDF });
    expect(codeOf(() => initialiseStation(path, { passphrase: TEST_PASSPHRASE, stationName: 'x', kdfCost: TEST_KDF }))).toBe('ALREADY_INITIALISED');
    expect(codeOf(() => unlockWithPassphrase(`${tmp.dir}/none.db`, TEST_PASSPHRASE))).toBe('NOT_INITIALISED');
    const junk = `${tmp.dir}/junk.db`;
    writeFileSync(junk, 'this is not sqlite at all, just text '.repeat(200));
    expect(codeOf(() => unlockWithPassphrase(junk, TEST_PASSPHRASE))).toBe('NOT_A_STORE');
  });

  it('keeps an OS-sealed copy of the key for auto-unlock, and falls back when the OS secret is gone', () => {
    const { path, station } = newStation(tmp.dir);
    station.close();
    const secret = 0x5a;
    const xor = (b: Uint8Array) => b.map((x) => x ^ secret);
    const protector: KeyProtector = { isAvailable: () => true, protect: xor, unprotect: xor };
    unlockWithPassphrase(path, TEST_PASSPHRASE, protector).close();
    const auto = unlockWithProtector(path, protector);
    expect(auto?.name).toBe('测试驿站');
    auto?.close();
    const broken: KeyProtector = { isAvailable: () => true, protect: xor, unprotect: () => { throw new Error('other user'); } };
    expect(unlockWithProtector(path, broken)).toBeNull();
  });

  it('binds each ciphertext to its row and column: a copied value fails instead of decrypting', async () => {
    const { station } = newStation(tmp.dir);
    await importManifest(station, 'm.csv', readFixture('manifest-small.csv'));
    const [a, b] = station.db.prepare('SELECT id, waybill_no, masked_ct FROM parcels ORDER BY id LIMIT 2').all() as {
      id: number; waybill_no: string; masked_ct: Buffer;
    }[];
    const lookup = new ParcelLookup(station);
    expect(await lookup.find(station.store, { by: 'waybill', value: a.waybill_no })).toHaveLength(1);
    station.db.prepare('UPDATE parcels SET masked_ct = ? WHERE id = ?').run(b.masked_ct, a.id);
    expect(await codeOf(() => lookup.find(station.store, { by: 'waybill', value: a.waybill_no }))).toBe('TAMPERED');
    // Another column of the same row.
    const { name_ct } = station.db.prepare('SELECT name_ct FROM parcels WHERE id = ?').get(b.id) as { name_ct: Buffer };
    station.db.prepare('UPDATE parcels SET masked_ct = ? WHERE id = ?').run(name_ct, b.id);
    expect(await codeOf(() => lookup.find(station.store, { by: 'waybill', value: b.waybill_no }))).toBe('TAMPERED');
    station.close();
  });

  it('masks a parcel\'s phone from the number already parsed, exactly as from the text written on the waybill', async () => {
    const { station } = newStation(tmp.dir);
    const writer = new ParcelWriter();
    const written = ['+86 138 0000 1111 转 1234', '0571-80135751', '１３８１２３４５６７８', '1234567'];
    for (const [i, raw] of written.entries()) {
      const phone = parsePhone(raw)!;
      const id = await reserveParcelIds(station.store, 1);
      // Only the parsed number goes in: the text as written is not needed to mask it.
      const waybillNo = `SF10000000${String(i).padStart(4, '0')}`;
      const sealed = sealPersonalFields(station.keys, { id, carrier: 'SF', waybillNo }, { name: '张三', phone, address: '北京市朝阳区望京街道1号' });
      await writer.add(station.store, { id, carrier: 'SF', waybillNo, status: 'on_shelf', itemCategory: '物品', weightG: null,
        source: 'manual', importId: null, createdAt: new Date().toISOString(), sealed });
      expect((await maskedParcelById(station.store, station.keys, id))?.phone).toBe(maskPhone(raw));
      expect(await openPersonalField(station.store, station.keys, id, 'phone')).toBe(phone.ext ? `${phone.digits}-${phone.ext}` : phone.digits);
    }
    expect((await maskedParcelById(station.store, station.keys, 1))?.phone).toBe('*******1111-1234');
    station.close();
  });
});
