// The benches' throw-away stores: a cheap KDF (they measure the store, not
// scrypt) and, where a bench needs parcels on the shelves, a bulk setup.
import { initialiseStation, initialiseStationAt, openStation, unlockWithPassphrase, type EmbeddedStation as Station, type Station as AnyStation } from '../main/store/station';
import { TEST_KDF } from '../test/helpers/fixtures';

export const BENCH_PASSPHRASE = 'bench-passphrase';

export function benchStation(path: string, stationName = 'bench'): Station {
  initialiseStation(path, { passphrase: BENCH_PASSPHRASE, stationName, kdfCost: TEST_KDF });
  return unlockWithPassphrase(path, BENCH_PASSPHRASE);
}

/** Setup only: parcels with id ≤ `count` go on the shelves in bulk, spread over the 20 × 5 default slots (the same SQL on both engines). */
export async function shelveFirst(station: AnyStation, count: number): Promise<void> {
  await station.store.run(
    `UPDATE parcels SET status = 'on_shelf', shelf = 1 + id % 20, layer = 1 + (id / 20) % 5,
       pickup_code = (1 + id % 20) || '-' || (1 + (id / 20) % 5) || '-' || id, arrived_at = ?
     WHERE id <= ?`,
    new Date().toISOString(),
    count,
  );
}

/** A bench station at a file path or a server URL (an empty database), opened as the app opens it. */
export async function benchStationAt(target: string): Promise<AnyStation> {
  await initialiseStationAt(target, { passphrase: BENCH_PASSPHRASE, stationName: 'bench', kdfCost: TEST_KDF });
  return openStation(target, BENCH_PASSPHRASE);
}
