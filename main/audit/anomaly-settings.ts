// The anomaly settings in the one settings store: read together (one query),
// each checked against its limit before any is written.
import { ANOMALY_LIMITS, isOpeningHours, type AnomalyLimit, type AnomalySettings } from '../../shared/anomaly-settings';
import { AppError } from '../../shared/errors';
import type { Settings } from '../settings/settings';
import type { Queryable, Tx } from '../store/engine/store';

/** Read before each observation (main/audit/oversight.ts), so a supervisor's change counts at once. */
export const ANOMALY_SETTINGS = [
  'anomaly.lookupsPerMinute',
  'anomaly.distinctTailsWithoutHandover',
  'anomaly.unmasksPerShift',
  'anomaly.failedLoginsPer10Minutes',
  'anomaly.exportsPerHour',
  'anomaly.openingHours',
] as const;

const LIMITS = Object.keys(ANOMALY_LIMITS) as AnomalyLimit[];

export async function readAnomalySettings(settings: Settings, q: Queryable): Promise<AnomalySettings> {
  const v = await settings.many(q, ANOMALY_SETTINGS);
  return { ...(Object.fromEntries(LIMITS.map((k) => [k, v[`anomaly.${k}`]])) as Record<AnomalyLimit, number>), openingHours: v['anomaly.openingHours'] };
}

export async function writeAnomalySettings(settings: Settings, tx: Tx, patch: Partial<AnomalySettings>): Promise<AnomalySettings> {
  for (const k of LIMITS) {
    const v = patch[k];
    const [min, max] = ANOMALY_LIMITS[k];
    if (v !== undefined && !(Number.isInteger(v) && v >= min && v <= max)) throw new AppError('INVALID_INPUT', k);
  }
  if (patch.openingHours !== undefined && !isOpeningHours(patch.openingHours)) throw new AppError('INVALID_INPUT', 'openingHours');
  for (const k of LIMITS) if (patch[k] !== undefined) await settings.set(tx, `anomaly.${k}`, patch[k]);
  if (patch.openingHours !== undefined) await settings.set(tx, 'anomaly.openingHours', patch.openingHours);
  return readAnomalySettings(settings, tx);
}
