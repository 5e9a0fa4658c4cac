// Recipients who asked not to be texted, the single owner of notify_optouts.
// Looked up by the phone's blind index, so a notice is checked against the
// list without opening any phone. The number is also kept sealed (bound to
// the row id), only so that a key rotation can re-derive the index under the
// new key: an index alone would stop matching after a rotation.
import { openText, sealText, type EnvelopeKeys } from '../crypto/envelope';
import type { StationKeys } from '../crypto/keyring';
import type { Queryable } from '../store/engine/store';

const context = (id: number): string => `notify_optouts.phone#${id}`;

/** An opt-out as a key rotation sees it; `phoneCt` is null in a row kept before numbers were sealed. */
export interface OptOutKeys {
  id: number;
  phoneBidx: Uint8Array;
  phoneCt: Uint8Array | null;
}

export const openOptOutPhone = (field: EnvelopeKeys, id: number, phoneCt: Uint8Array): string => openText(field, phoneCt, context(id));
export const sealOptOutPhone = (field: EnvelopeKeys, id: number, digits: string): Uint8Array => sealText(field, digits, context(id));

/**
 * A key rotation's swap, in its transaction: every opt-out takes the index
 * and sealed number `rekey` gives it; null leaves a row as it is.
 */
export async function rekeyOptOuts(
  tx: Queryable,
  rekey: (row: OptOutKeys) => Promise<{ phoneBidx: Uint8Array; phoneCt: Uint8Array } | null>,
): Promise<void> {
  const rows = await tx.all<OptOutKeys>('SELECT id, phone_bidx AS "phoneBidx", phone_ct AS "phoneCt" FROM notify_optouts ORDER BY id');
  for (const row of rows) {
    const next = await rekey(row);
    if (next) await tx.run('UPDATE notify_optouts SET phone_bidx = ?, phone_ct = ? WHERE id = ?', next.phoneBidx, next.phoneCt, row.id);
  }
}

export const optOuts = {
  async has(tx: Queryable, phoneBidx: Uint8Array): Promise<boolean> {
    return (await tx.value<number>('SELECT 1 FROM notify_optouts WHERE phone_bidx = ?', phoneBidx)) === 1;
  },

  /** When the number opted out, or null. */
  async since(tx: Queryable, phoneBidx: Uint8Array): Promise<string | null> {
    return (await tx.value<string>('SELECT created_at FROM notify_optouts WHERE phone_bidx = ?', phoneBidx)) ?? null;
  },

  /** `digits`: the number without extension, as the blind index takes it. */
  async add(tx: Queryable, keys: StationKeys, digits: string, by: number | null, now: Date): Promise<void> {
    const row = await tx.get<{ id: number }>(
      'INSERT INTO notify_optouts (phone_bidx, created_at, created_by) VALUES (?, ?, ?) ON CONFLICT (phone_bidx) DO NOTHING RETURNING id',
      keys.phoneBlindIndex(digits),
      now.toISOString(),
      by,
    );
    if (row) await tx.run('UPDATE notify_optouts SET phone_ct = ? WHERE id = ?', sealOptOutPhone(keys.field, row.id, digits), row.id);
  },

  async remove(tx: Queryable, phoneBidx: Uint8Array): Promise<void> {
    await tx.run('DELETE FROM notify_optouts WHERE phone_bidx = ?', phoneBidx);
  },
};
