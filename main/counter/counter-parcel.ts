// The parcel as the counter shows it: the masked projection plus where it sits
// and how long it has waited. Every counter service builds its cards here.
import type { CounterParcel } from '../../shared/counter';
import { PARCEL_ROW_COLUMNS, parcelRowColumns, toMaskedParcel, type ParcelRow } from '../store/parcels';
import type { StationKeys } from '../crypto/keyring';
import type { Queryable } from '../store/engine/store';
import { daysBetween, localDay } from '../settings/calendar';
import { Settings } from '../settings/settings';

export interface CounterRow extends ParcelRow {
  shelf: number | null;
  layer: number | null;
  arrived_at: string | null;
}

export const COUNTER_ROW_COLUMNS = `${PARCEL_ROW_COLUMNS}, shelf, layer, arrived_at`;

/** The same columns prefixed with a table alias, for joins. */
export const counterColumnsOf = (alias: string): string => `${parcelRowColumns(alias)}, ${alias}.shelf, ${alias}.layer, ${alias}.arrived_at`;

/** Today's date where the station is, for daysOnShelf. */
export interface StationDay {
  today: string;
  timeZone: string;
}

const settings = new Settings();

export async function stationDay(q: Queryable, now: Date): Promise<StationDay> {
  const { timeZone } = await settings.counter(q);
  return { today: localDay(now, timeZone), timeZone };
}

export function toCounterParcel(keys: StationKeys, row: CounterRow, day: StationDay): CounterParcel {
  const onShelf = row.status === 'on_shelf' && row.arrived_at !== null;
  return {
    ...toMaskedParcel(keys, row),
    id: row.id,
    shelf: row.shelf,
    layer: row.layer,
    arrivedAt: row.arrived_at,
    daysOnShelf: onShelf ? daysBetween(localDay(new Date(row.arrived_at!), day.timeZone), day.today) : null,
  };
}
