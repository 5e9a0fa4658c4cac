// Handover photos (出库拍照): stored only when the setting asks, sealed and
// bound to its handover. The handover answers first, marked as photographed,
// with a one-time token; the photo follows with it and is stored with a
// `handover.photo` audit entry holding its SM3 digest. A supervisor opens it
// with an audited reason; a copied store shows none of it; a swapped,
// altered or later photo is refused; the retention purge erases it; a photo
// that never arrived or could not be stored shows as not stored.
import { createCanvas } from '@napi-rs/canvas';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type AppServices } from '../../main/app/services';
import { toHex } from '../../main/chain/hash';
import { HandoverPhotos } from '../../main/counter/handover-photos';
import { sm3 } from '../../main/crypto/sm3';
import { ScanIn } from '../../main/inbound/scan-in';
import { unlockWithPassphrase, type EmbeddedStation as Station } from '../../main/store/station';
import type { Actor } from '../../shared/actor';
import { clerk, scanNew, testClock } from '../helpers/counter';
import { newStation, tempDir, TEST_PASSPHRASE } from '../helpers/fixtures';

const boss: Actor = { userId: 1, username: 'boss', displayName: '王站长', role: 'supervisor', workstation: 'counter-1' };
const rejected = (p: Promise<unknown>): Promise<string | undefined> => p.then(() => undefined, (e: { code?: string }) => e.code ?? String(e));

/** A camera frame: a parcel-brown box on a grey counter, with noise so every frame differs. */
function frame(seed: number): Uint8Array {
  const c = createCanvas(320, 240);
  const g = c.getContext('2d');
  g.fillStyle = '#888';
  g.fillRect(0, 0, 320, 240);
  g.fillStyle = '#a0522d';
  g.fillRect(80 + seed, 60, 160, 120);
  for (let i = 0; i < 200; i++) {
    g.fillStyle = `rgb(${(i * 37 + seed * 11) % 255},${(i * 91) % 255},${(i * 53 + seed) % 255})`;
    g.fillRect((i * 13 + seed) % 320, (i * 7) % 240, 3, 3);
  }
  return new Uint8Array(c.toBuffer('image/jpeg', 90));
}

// SQLite only: a failing write injected with a SQLite trigger, and the file's bytes (README, "Tests against PostgreSQL").
describe('handover photos', () => {
  let tmp: ReturnType<typeof tempDir>;
  let path: string;
  let station: Station;
  let services: AppServices;
  let scan: ScanIn;
  const clock = testClock();
  let warnings: string[];

  beforeEach(() => {
    tmp = tempDir();
    ({ path, station } = newStation(tmp.dir));
    scan = new ScanIn(station, { now: clock.now });
    warnings = [];
    services = createServices(station, { now: clock.now, workstation: 'counter-1', warn: (m) => warnings.push(m) });
  });
  afterEach(async () => {
    await services.close();
    tmp.cleanup();
  });

  const handOver = async (proxy = false) => {
    const { parcelId, parcel } = await scanNew(station, scan, '13800005555');
    return services.photos.handOver(clerk(2), { customerParcelId: parcelId, waybill: parcel.waybillNo, proxy });
  };
  /** A handover and its photo, sent with the token it answered. */
  const handOverWith = async (photo: Uint8Array, proxy = false) => {
    const result = await handOver(proxy);
    expect(result.photoToken).toMatch(/^[0-9a-f]{32}$/);
    return { ...result, ...(await services.photos.attach(clerk(2), result.photoToken!, photo)) };
  };
  const photoRows = () => station.db.prepare('SELECT COUNT(*) FROM handover_photos').pluck().get();

  it('stores the frame sealed, its digest in an entry of its own after the handover; a supervisor opens it with a reason; purge erases it', async () => {
    await services.photos.updateSettings(boss, { mode: 'always', crop: { x: 0.1, y: 0.2, w: 0.8, h: 0.6 } });
    expect(await services.photos.settings()).toEqual({ mode: 'always', crop: { x: 0.1, y: 0.2, w: 0.8, h: 0.6 } });
    const photo = frame(1);
    // The handover answers before any photo exists: what the clerk waits for.
    const result = await handOver();
    expect(photoRows()).toBe(0);
    const handed = (await services.audit.auditEntries({ action: 'counter.handover', limit: 1 }))[0];
    expect(handed.detail).toEqual({ handoverId: result.handoverId, proxy: false, photoFollows: true });
    const { photoSm3 } = await services.photos.attach(clerk(2), result.photoToken!, photo);
    expect(photoSm3).toBe(toHex(sm3(photo)));
    expect(photoRows()).toBe(1);
    const entry = (await services.audit.auditEntries({ action: 'handover.photo', limit: 1 }))[0];
    expect(entry).toMatchObject({ username: 'clerk2', parcelIds: [result.parcel.id], detail: { handoverId: result.handoverId, photoSm3 } });
    expect(entry.seq).toBeGreaterThan(handed.seq);

    // The store file holds no run of the frame's bytes.
    const onDisk = readFileSync(path);
    for (const at of [200, photo.length >> 1, photo.length - 300]) expect(onDisk.includes(Buffer.from(photo.subarray(at, at + 24)))).toBe(false);

    expect(await rejected(services.photos.view(clerk(2), result.handoverId, '客户称未收到'))).toBe('FORBIDDEN');
    expect(await rejected(services.photos.view(boss, result.handoverId, '电话 13800005555 的投诉'))).toBe('PERSONAL_DATA_IN_NOTE');
    const seen = await services.photos.view(boss, result.handoverId, '客户称未收到，核对出库照片');
    expect(Buffer.from(seen.photo).equals(Buffer.from(photo))).toBe(true);
    expect((await services.audit.auditEntries({ action: 'handover.photo_view', limit: 1 }))[0]).toMatchObject({
      username: 'boss',
      parcelIds: [result.parcel.id],
      purpose: '客户称未收到，核对出库照片',
      detail: { handoverId: result.handoverId, photoSm3 },
    });

    // Past retention (30 days after pickup) the purge takes the photo with the parcel's personal data.
    clock.advance({ days: 31 });
    const purged = await services.lifecycle.purge(boss, false);
    expect(purged.erased).toBeGreaterThan(0);
    expect(station.db.prepare('SELECT photo_ct FROM handover_photos WHERE id = ?').pluck().get(result.handoverId)).toBeNull();
    expect(await rejected(services.photos.view(boss, result.handoverId, '客户称未收到'))).toBe('PHOTO_ERASED');
  });

  it('takes one photo per token: not a second one, not from another clerk, not once it has lapsed', async () => {
    await services.photos.updateSettings(boss, { mode: 'always' });
    const first = await handOverWith(frame(2));
    expect(await rejected(services.photos.attach(clerk(2), first.photoToken!, frame(3)))).toBe('PHOTO_TOKEN_SPENT');
    expect(await rejected(services.photos.attach(clerk(2), 'f'.repeat(32), frame(3)))).toBe('PHOTO_TOKEN_SPENT');
    expect(toHex(sm3((await services.photos.view(boss, first.handoverId, '核对照片')).photo))).toBe(first.photoSm3);

    const other = await handOver();
    expect(await rejected(services.photos.attach(clerk(3), other.photoToken!, frame(4)))).toBe('PHOTO_TOKEN_SPENT');
    const late = await handOver();
    clock.advance({ minutes: 3 });
    expect(await rejected(services.photos.attach(clerk(2), late.photoToken!, frame(5)))).toBe('PHOTO_TOKEN_SPENT');
    expect(photoRows()).toBe(1);
    expect(await services.audit.auditEntries({ action: 'handover.photo' })).toHaveLength(1);
  });

  it('refuses a photo swapped in from another handover, one whose digest was changed, and one put in later with the keys', async () => {
    await services.photos.updateSettings(boss, { mode: 'always' });
    const a = await handOverWith(frame(6));
    const b = await handOverWith(frame(7));
    const db = station.db;
    const blobOf = (id: number) => db.prepare('SELECT photo_ct FROM handover_photos WHERE id = ?').pluck().get(id) as Buffer;
    const original = blobOf(b.handoverId);
    db.prepare('UPDATE handover_photos SET photo_ct = ? WHERE id = ?').run(blobOf(a.handoverId), b.handoverId);
    expect(await rejected(services.photos.view(boss, b.handoverId, '核对照片'))).toBe('TAMPERED');
    db.prepare('UPDATE handover_photos SET photo_ct = ?, sm3 = ? WHERE id = ?').run(original, a.photoSm3, b.handoverId);
    expect(await rejected(services.photos.view(boss, b.handoverId, '核对照片'))).toBe('TAMPERED');
    // Sealed afresh with the station's own keys, row and digest agreeing: the chained entry still names the first photo.
    db.prepare('DELETE FROM handover_photos WHERE id = ?').run(b.handoverId);
    const later = frame(8);
    await station.store.transaction((tx) =>
      new HandoverPhotos(station.keys).add(tx, { handoverId: b.handoverId, parcelId: b.parcel.id, sm3: toHex(sm3(later)), takenAt: clock.now().toISOString() }, later),
    );
    expect(await rejected(services.photos.view(boss, b.handoverId, '核对照片'))).toBe('TAMPERED');
  });

  it('keeps no frame the setting does not ask for, and refuses what is no image', async () => {
    expect((await handOver()).photoToken).toBeNull();
    await services.photos.updateSettings(boss, { mode: 'proxy' });
    expect((await handOver()).photoToken).toBeNull();
    await handOverWith(frame(9), true);
    expect(photoRows()).toBe(1);
    const bad = await handOver(true);
    expect(await rejected(services.photos.attach(clerk(2), bad.photoToken!, new TextEncoder().encode('not a photo at all')))).toBe('INVALID_INPUT');
    expect(photoRows()).toBe(1);
    expect(() => services.photos.updateSettings(boss, { crop: { x: 0.5, y: 0, w: 0.8, h: 1 } })).toThrow(/Invalid input/);
  });

  it('tells a photo that never came (main stopped before it arrived) from a handover without one', async () => {
    await services.photos.updateSettings(boss, { mode: 'proxy' });
    const none = await handOver();
    const lost = await handOver(true);
    expect(lost.photoToken).not.toBeNull();
    // A restart: the token was in memory only, so the photo sent after it is refused.
    await services.close();
    station = unlockWithPassphrase(path, TEST_PASSPHRASE);
    services = createServices(station, { now: clock.now, workstation: 'counter-1', warn: (m) => warnings.push(m) });
    expect(await rejected(services.photos.attach(clerk(2), lost.photoToken!, frame(10)))).toBe('PHOTO_TOKEN_SPENT');
    expect(await rejected(services.photos.view(boss, lost.handoverId, '客户称未收到'))).toBe('PHOTO_NOT_STORED');
    expect(await rejected(services.photos.view(boss, none.handoverId, '客户称未收到'))).toBe('PHOTO_NOT_FOUND');
    expect(await rejected(services.photos.view(boss, 999_999, '客户称未收到'))).toBe('PHOTO_NOT_FOUND');
  });

  describe('when storing the photo fails', () => {
    // A real SQLite refusal of the photo's insert, as a full disk or a locked file would give.
    const refusePhotos = () => station.db.exec("CREATE TRIGGER refuse_photo BEFORE INSERT ON handover_photos BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    const until = async (cond: () => boolean) => {
      while (!cond()) await new Promise((r) => setTimeout(r, 20));
    };

    it('retries, and the photo is stored once it can be', async () => {
      await services.photos.updateSettings(boss, { mode: 'always' });
      refusePhotos();
      const photo = frame(11);
      const result = await handOver();
      const attached = services.photos.attach(clerk(2), result.photoToken!, photo);
      await until(() => warnings.length > 0);
      expect(warnings).toEqual([`handover photo #${result.handoverId} try 1 failed, retrying: disk I/O error`]);
      station.db.exec('DROP TRIGGER refuse_photo');
      // The supervisor's view waits for the photo still being stored, and gets the very frame.
      const seen = await services.photos.view(boss, result.handoverId, '客户称未收到');
      expect(Buffer.from(seen.photo).equals(Buffer.from(photo))).toBe(true);
      expect(seen.sm3).toBe((await attached).photoSm3);
      expect(warnings).toHaveLength(1);
      expect(await services.audit.auditEntries({ action: 'handover.photo' })).toHaveLength(1);
    });

    it('keeps the handover, logs the failure without the frame after the last try, and shows the photo as not stored', async () => {
      await services.photos.updateSettings(boss, { mode: 'always' });
      refusePhotos();
      const result = await handOver();
      expect(await rejected(services.photos.attach(clerk(2), result.photoToken!, frame(12)))).toBe('PHOTO_NOT_STORED');
      expect(warnings).toEqual([1, 2].map((n) => `handover photo #${result.handoverId} try ${n} failed, retrying: disk I/O error`).concat(`handover photo #${result.handoverId} not stored: disk I/O error`));
      expect(station.db.prepare('SELECT COUNT(*) FROM handovers WHERE id = ?').pluck().get(result.handoverId)).toBe(1);
      expect(await services.audit.auditEntries({ action: 'handover.photo' })).toHaveLength(0);
      expect(await rejected(services.photos.view(boss, result.handoverId, '客户称未收到'))).toBe('PHOTO_NOT_STORED');
    });
  });
});
