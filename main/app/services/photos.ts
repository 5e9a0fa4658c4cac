// Handover photos (出库拍照): the handover, then the frame the counter camera
// took when the waybill was scanned, on a second call bound to it, so the
// clerk waits for the handover alone while the page encodes the JPEG. The
// handover's audit entry says a photo follows; the handover answers a one-time
// token (in memory, for that clerk, for two minutes); the photo comes back
// with it and is sealed and stored in one transaction with a `handover.photo`
// entry holding its SM3 digest and the handover's id. A later photo cannot
// replace it unnoticed: the token is spent by the first photo (and the row's
// key is the handover's id), and changing the stored bytes breaks the digest
// in the chained entry. A photo that never arrives (the page closed, main
// stopped) leaves a handover marked as photographed without a photo entry,
// which the supervisor's view shows as not stored. Also a supervisor's view of
// a photo, for a dispute, with a reason (audited), and the station's setting.
// A frame the setting does not ask for is never stored.
import { randomBytes } from 'node:crypto';
import type { Actor } from '../../../shared/actor';
import type { HandoverInput, HandoverResult } from '../../../shared/counter';
import { AppError } from '../../../shared/errors';
import { FULL_FRAME, PHOTO_MODES, photoWanted, validCrop, type PhotoMode, type PhotoSettings } from '../../../shared/photo';
import { assertNoPersonalData } from '../../audit/personal-text';
import { assertImage, HandoverPhotos, photoDigest, type StoredPhoto } from '../../counter/handover-photos';
import type { Queryable } from '../../store/engine/store';
import type { CounterService } from './counter';
import type { ServiceDeps } from './deps';

/**
 * How long a handover's photo may take to arrive, by the station's clock: encoding takes well under
 * a second, but a busy counter PC's page may lag for seconds, and the clock may be set meanwhile.
 */
const TOKEN_MS = 120_000;
/** Tries at storing a photo, a second apart, before the failure is logged. */
const STORE_TRIES = 3;
const RETRY_MS = 1000;

interface PendingPhoto {
  info: Omit<StoredPhoto, 'sm3'>;
  userId: number;
  until: number;
}

export class PhotosService {
  private readonly photos: HandoverPhotos;
  /** Handovers whose photo is still to come, by their one-time token. */
  private readonly awaited = new Map<string, PendingPhoto>();
  /** Photos being stored, by handover id. */
  private readonly storing = new Map<number, Promise<void>>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly counter: CounterService,
    private readonly warn: (message: string) => void = () => {},
  ) {
    this.photos = new HandoverPhotos(deps.station.keys);
  }

  /** The counter's handover, with a token for its photo when the setting asks one. */
  async handOver(actor: Actor, input: HandoverInput & { paperLeft?: boolean }): Promise<HandoverResult & { photoToken: string | null }> {
    // The mode alone: the crop is the page's business, and this is on the scan's path.
    const wanted = photoWanted(await this.modeIn(this.deps.station.store), !!input.proxy);
    const takenAt = this.deps.now();
    const result = await this.counter.handOver(actor, input, wanted);
    if (!wanted) return { ...result, photoToken: null };
    const now = takenAt.getTime();
    for (const [t, a] of this.awaited) if (a.until <= now) this.awaited.delete(t);
    const token = randomBytes(16).toString('hex');
    this.awaited.set(token, { info: { handoverId: result.handoverId, parcelId: result.parcel.id, takenAt: takenAt.toISOString() }, userId: actor.userId, until: now + TOKEN_MS });
    return { ...result, photoToken: token };
  }

  /** The photo of the handover the token was given for: sealed, stored and audited with its digest, once. */
  async attach(actor: Actor, token: string, photo: Uint8Array): Promise<{ photoSm3: string }> {
    const awaited = this.awaited.get(token);
    // Spent at the first try, whatever follows: a second photo for the handover is never taken.
    this.awaited.delete(token);
    if (!awaited || awaited.userId !== actor.userId || awaited.until <= this.deps.now().getTime()) throw new AppError('PHOTO_TOKEN_SPENT');
    assertImage(photo);
    const info = { ...awaited.info, sm3: photoDigest(photo) };
    const job = this.store(actor, info, photo).finally(() => this.storing.delete(info.handoverId));
    this.storing.set(info.handoverId, job);
    await job;
    return { photoSm3: info.sm3 };
  }

  /** Resolves when every photo being stored is stored (or its failure logged); before the store closes. */
  async settled(): Promise<void> {
    while (this.storing.size) await Promise.allSettled(this.storing.values());
  }

  private async store(actor: Actor, info: StoredPhoto, photo: Uint8Array): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.tx.run(async (tx) => {
          await this.photos.add(tx, info, photo);
          await this.deps.oversight.record(tx, { action: 'handover.photo', actor, parcelIds: [info.parcelId], detail: { handoverId: info.handoverId, photoSm3: info.sm3 } });
        });
        return;
      } catch (e) {
        // The handover stays recorded, marked as photographed; ids and the error only, never the frame.
        const why = e instanceof AppError ? e.code : e instanceof Error ? e.message : String(e);
        const last = attempt >= STORE_TRIES;
        this.warn(`handover photo #${info.handoverId} ${last ? 'not stored' : `try ${attempt} failed, retrying`}: ${why}`);
        if (last) throw new AppError('PHOTO_NOT_STORED');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  /** A handed-over parcel's photo for a supervisor's screen, for a dispute; the reason is audited with the digest shown. */
  async view(actor: Actor, handoverId: number, reason: string): Promise<{ photo: Uint8Array; sm3: string; takenAt: string; parcelId: number }> {
    if (actor.role !== 'supervisor') throw new AppError('FORBIDDEN');
    const purpose = reason.trim();
    if (purpose.length < 2 || purpose.length > 200) throw new AppError('INVALID_INPUT', 'reason');
    assertNoPersonalData(purpose, 'reason');
    // A photo still being stored is waited for; one that failed is told apart below.
    await this.storing.get(handoverId)?.catch(() => undefined);
    return this.deps.tx.run(async (tx) => {
      const { info, photo } = await this.openRecorded(tx, handoverId);
      if (!photo) throw new AppError('PHOTO_ERASED');
      await this.deps.oversight.record(tx, { action: 'handover.photo_view', actor, parcelIds: [info.parcelId], purpose, detail: { handoverId, photoSm3: info.sm3 } });
      return { photo, sm3: info.sm3, takenAt: info.takenAt, parcelId: info.parcelId };
    });
  }

  /**
   * The stored photo, checked against what the chained audit log recorded of
   * it; a handover recorded as photographed whose photo is missing is told
   * apart from one that had none.
   */
  private async openRecorded(tx: Queryable, handoverId: number): Promise<Awaited<ReturnType<HandoverPhotos['open']>>> {
    const parcelId = await tx.value<number>('SELECT parcel_id FROM handovers WHERE id = ?', handoverId);
    if (parcelId === undefined) throw new AppError('PHOTO_NOT_FOUND');
    const entries = await this.deps.oversight.audit.query(tx, { parcelId });
    const ofIt = entries.filter((e) => e.detail?.handoverId === handoverId);
    // Before photos followed their handover, the digest was in the handover's own entry.
    const digest = ofIt.find((e) => e.action === 'handover.photo' || (e.action === 'counter.handover' && e.detail?.photoSm3))?.detail?.photoSm3;
    const taken = digest !== undefined || ofIt.some((e) => e.action === 'counter.handover' && e.detail?.photoFollows);
    const stored = await tx.value<number>('SELECT id FROM handover_photos WHERE id = ?', handoverId);
    if (stored === undefined) throw new AppError(taken ? 'PHOTO_NOT_STORED' : 'PHOTO_NOT_FOUND');
    const opened = await this.photos.open(tx, handoverId);
    if (opened.info.sm3 !== digest) throw new AppError('TAMPERED', `handover photo #${handoverId}`);
    return opened;
  }

  settings(): Promise<PhotoSettings> {
    return this.settingsIn(this.deps.station.store);
  }

  private async modeIn(q: Queryable): Promise<PhotoMode> {
    const mode = (await this.deps.settings.get(q, 'photo.mode')) as PhotoMode;
    return PHOTO_MODES.includes(mode) ? mode : 'off';
  }

  private async settingsIn(q: Queryable): Promise<PhotoSettings> {
    const mode = await this.modeIn(q);
    let crop = FULL_FRAME;
    try {
      crop = validCrop(JSON.parse(await this.deps.settings.get(q, 'photo.crop'))) ?? FULL_FRAME;
    } catch {
      // A damaged value keeps the whole frame rather than failing the counter.
    }
    return { mode, crop };
  }

  /** Checked synchronously: a bad patch throws at once, before any transaction. */
  updateSettings(actor: Actor, patch: Partial<PhotoSettings>): Promise<PhotoSettings> {
    if (patch.mode !== undefined && !PHOTO_MODES.includes(patch.mode)) throw new AppError('INVALID_INPUT', 'mode');
    const crop = patch.crop === undefined ? undefined : validCrop(patch.crop);
    if (crop === null) throw new AppError('INVALID_INPUT', 'crop');
    return this.deps.tx.run(async (tx) => {
      if (patch.mode !== undefined) await this.deps.settings.set(tx, 'photo.mode', patch.mode);
      if (crop) await this.deps.settings.set(tx, 'photo.crop', JSON.stringify(crop));
      await this.deps.oversight.record(tx, { action: 'settings.change', actor, detail: { scope: 'photo', mode: patch.mode ?? null, crop: crop ? JSON.stringify(crop) : null } });
      return this.settingsIn(tx);
    });
  }
}
