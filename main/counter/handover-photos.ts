// The one module that writes handover_photos: the frame taken at a handover,
// sealed like the personal fields (SM4 + HMAC-SM3 bound to the row, whose id
// is the handover's), with its SM3 digest kept in clear beside it and in the
// handover's audit entry, so a photo put in later does not match.
import { AppError } from '../../shared/errors';
import { toHex } from '../chain/hash';
import type { StationKeys } from '../crypto/keyring';
import { open, seal } from '../crypto/envelope';
import { sm3 } from '../crypto/sm3';
import type { Queryable } from '../store/engine/store';

/** A frame cropped to the counter top, as JPEG: far below this. */
export const MAX_PHOTO_BYTES = 1 << 20;

const context = (handoverId: number): string => `handover_photos.photo#${handoverId}`;

export const photoDigest = (photo: Uint8Array): string => toHex(sm3(photo));

/** JPEG or PNG by their signatures; anything else is not a camera frame. */
export function assertImage(photo: Uint8Array): void {
  const jpeg = photo[0] === 0xff && photo[1] === 0xd8 && photo[2] === 0xff;
  const png = photo[0] === 0x89 && photo[1] === 0x50 && photo[2] === 0x4e && photo[3] === 0x47;
  if (!(jpeg || png) || photo.length > MAX_PHOTO_BYTES) throw new AppError('INVALID_INPUT', 'photo');
}

export interface StoredPhoto {
  handoverId: number;
  parcelId: number;
  sm3: string;
  takenAt: string;
}

export class HandoverPhotos {
  constructor(private readonly keys: StationKeys) {}

  async add(tx: Queryable, p: StoredPhoto, photo: Uint8Array): Promise<void> {
    await tx.run(
      'INSERT INTO handover_photos (id, parcel_id, photo_ct, sm3, taken_at) VALUES (?, ?, ?, ?, ?)',
      p.handoverId, p.parcelId, seal(this.keys.field, photo, context(p.handoverId)), p.sm3, p.takenAt,
    );
  }

  /** The photo, opened and checked against its MAC and its digest; null once erased. */
  async open(tx: Queryable, handoverId: number): Promise<{ info: StoredPhoto; photo: Uint8Array | null }> {
    const row = await tx.get<{ parcel_id: number; photo_ct: Uint8Array | null; sm3: string; taken_at: string }>(
      'SELECT parcel_id, photo_ct, sm3, taken_at FROM handover_photos WHERE id = ?',
      handoverId,
    );
    if (!row) throw new AppError('PHOTO_NOT_FOUND');
    const info = { handoverId, parcelId: row.parcel_id, sm3: row.sm3, takenAt: row.taken_at };
    if (!row.photo_ct) return { info, photo: null };
    const photo = open(this.keys.field, row.photo_ct, context(handoverId));
    if (photoDigest(photo) !== row.sm3) throw new AppError('TAMPERED', `handover photo #${handoverId}`);
    return { info, photo };
  }
}

/** For erasure, with the parcel's personal data: its photos go, in the erasure's transaction. */
export async function eraseHandoverPhotos(tx: Queryable, parcelId: number, at: string): Promise<void> {
  await tx.run('UPDATE handover_photos SET photo_ct = NULL, erased_at = ? WHERE parcel_id = ? AND photo_ct IS NOT NULL', at, parcelId);
}
