// Handover photos (出库拍照): the handover with the frame the counter camera
// took when the waybill was scanned, its SM3 digest in the handover's audit
// entry; the frame is sealed and stored just after that transaction commits,
// so the clerk does not wait for it (retried, and a last failure logged, the
// handover stays recorded either way); a supervisor's view of it, for a
// dispute, with a reason (audited); and the station's setting. A frame the
// setting does not ask for is never stored.
import type { Actor } from '../../../shared/actor';
import type { HandoverInput, HandoverResult } from '../../../shared/counter';
import { AppError } from '../../../shared/errors';
import { FULL_FRAME, PHOTO_MODES, photoWanted, validCrop, type PhotoMode, type PhotoSettings } from '../../../shared/photo';
import { assertNoPersonalData } from '../../audit/personal-text';
import { assertImage, HandoverPhotos, photoDigest, type StoredPhoto } from '../../counter/handover-photos';
import type { Queryable } from '../../store/engine/store';
import type { CounterService } from './counter';
import type { ServiceDeps } from './deps';

/** Tries at storing a photo after its handover committed, a second apart, before the failure is logged. */
const STORE_TRIES = 3;
const RETRY_MS = 1000;

export class PhotosService {
  private readonly photos: HandoverPhotos;
  /** Photos whose handover committed and which are being stored, by handover id. */
  private readonly storing = new Map<number, Promise<void>>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly counter: CounterService,
    private readonly warn: (message: string) => void = () => {},
  ) {
    this.photos = new HandoverPhotos(deps.station.keys);
  }

  /** The counter's handover with the frame taken at the waybill scan; what the clerk waits for ends with the commit. */
  async handOver(actor: Actor, input: HandoverInput & { paperLeft?: boolean; photo?: Uint8Array }): Promise<HandoverResult & { photoSm3: string | null }> {
    const { paperLeft, photo, ...handover } = input;
    const keep = photo && photoWanted((await this.settings()).mode, !!handover.proxy) ? photo : null;
    if (keep) assertImage(keep);
    // The digest is taken before the commit: the audit entry names exactly the bytes stored after it.
    const digest = keep ? photoDigest(keep) : null;
    const takenAt = this.deps.now().toISOString();
    const result = await this.counter.handOver(actor, { ...handover, paperLeft }, digest ?? undefined);
    if (keep && digest) this.storeAfter({ handoverId: result.handoverId, parcelId: result.parcel.id, sm3: digest, takenAt }, keep);
    return { ...result, photoSm3: digest };
  }

  /** Resolves when every photo of a committed handover is stored (or its failure logged); before the store closes. */
  async settled(): Promise<void> {
    while (this.storing.size) await Promise.all(this.storing.values());
  }

  private storeAfter(info: StoredPhoto, photo: Uint8Array): void {
    const job = this.store(info, photo).finally(() => this.storing.delete(info.handoverId));
    this.storing.set(info.handoverId, job);
  }

  /** Sealing starts on a later turn of the event loop, once the handover's answer is on its way. */
  private async store(info: StoredPhoto, photo: Uint8Array): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, attempt === 1 ? 0 : RETRY_MS));
      try {
        await this.deps.station.store.transaction((tx) => this.photos.add(tx, info, photo));
        return;
      } catch (e) {
        // The handover and its digest stay recorded; ids and the error only, never the frame.
        const why = e instanceof AppError ? e.code : e instanceof Error ? e.message : String(e);
        const last = attempt >= STORE_TRIES;
        this.warn(`handover photo #${info.handoverId} ${last ? 'not stored' : `try ${attempt} failed, retrying`}: ${why}`);
        if (last) return;
      }
    }
  }

  /** A handed-over parcel's photo for a supervisor's screen, for a dispute; the reason is audited with the digest shown. */
  async view(actor: Actor, handoverId: number, reason: string): Promise<{ photo: Uint8Array; sm3: string; takenAt: string; parcelId: number }> {
    if (actor.role !== 'supervisor') throw new AppError('FORBIDDEN');
    const purpose = reason.trim();
    if (purpose.length < 2 || purpose.length > 200) throw new AppError('INVALID_INPUT', 'reason');
    assertNoPersonalData(purpose, 'reason');
    await this.storing.get(handoverId);
    return this.deps.tx.run(async (tx) => {
      const { info, photo } = await this.photos.open(tx, handoverId);
      if (!photo) throw new AppError('PHOTO_ERASED');
      await this.deps.oversight.record(tx, { action: 'handover.photo_view', actor, parcelIds: [info.parcelId], purpose, detail: { handoverId, photoSm3: info.sm3 } });
      return { photo, sm3: info.sm3, takenAt: info.takenAt, parcelId: info.parcelId };
    });
  }

  settings(): Promise<PhotoSettings> {
    return this.settingsIn(this.deps.station.store);
  }

  private async settingsIn(q: Queryable): Promise<PhotoSettings> {
    const { settings } = this.deps;
    const mode = (await settings.get(q, 'photo.mode')) as PhotoMode;
    let crop = FULL_FRAME;
    try {
      crop = validCrop(JSON.parse(await settings.get(q, 'photo.crop'))) ?? FULL_FRAME;
    } catch {
      // A damaged value keeps the whole frame rather than failing the counter.
    }
    return { mode: PHOTO_MODES.includes(mode) ? mode : 'off', crop };
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
