// Recipients who asked not to be texted, the single owner of notify_optouts.
// Keyed by the phone's blind index, so the list holds no number in clear and
// a notice can be checked against it without opening any phone.
import type { Queryable } from '../store/engine/store';

export const optOuts = {
  async has(tx: Queryable, phoneBidx: Uint8Array): Promise<boolean> {
    return (await tx.value<number>('SELECT 1 FROM notify_optouts WHERE phone_bidx = ?', phoneBidx)) === 1;
  },

  /** When the number opted out, or null. */
  async since(tx: Queryable, phoneBidx: Uint8Array): Promise<string | null> {
    return (await tx.value<string>('SELECT created_at FROM notify_optouts WHERE phone_bidx = ?', phoneBidx)) ?? null;
  },

  async add(tx: Queryable, phoneBidx: Uint8Array, by: number | null, now: Date): Promise<void> {
    await tx.run(
      'INSERT INTO notify_optouts (phone_bidx, created_at, created_by) VALUES (?, ?, ?) ON CONFLICT (phone_bidx) DO NOTHING',
      phoneBidx,
      now.toISOString(),
      by,
    );
  },

  async remove(tx: Queryable, phoneBidx: Uint8Array): Promise<void> {
    await tx.run('DELETE FROM notify_optouts WHERE phone_bidx = ?', phoneBidx);
  },
};
