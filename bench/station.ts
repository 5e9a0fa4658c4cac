// The benches' throw-away stores: a cheap KDF (they measure the store, not
// scrypt) and, where a bench needs parcels on the shelves, a bulk setup.
import { initialiseStation, unlockWithPassphrase, type EmbeddedStation as Station } from '../main/store/station';
import { TEST_KDF } from '../test/helpers/fixtures';

export const BENCH_PASSPHRASE = 'bench-passphrase';

export function benchStation(path: string, stationName = 'bench'): Station {
  initialiseStation(path, { passphrase: BENCH_PASSPHRASE, stationName, kdfCost: TEST_KDF });
  return unlockWithPassphrase(path, BENCH_PASSPHRASE);
}

/** Setup only: parcels with id ≤ `count` go on the shelves in bulk, spread over the 20 × 5 default slots. */
export function shelveFirst(station: Station, count: number): void {
  station.db
    .prepare(
      `UPDATE parcels SET status = 'on_shelf', shelf = 1 + id % 20, layer = 1 + (id / 20) % 5,
         pickup_code = (1 + id % 20) || '-' || (1 + (id / 20) % 5) || '-' || id, arrived_at = ?
       WHERE id <= ?`,
    )
    .run(new Date().toISOString(), count);
}
