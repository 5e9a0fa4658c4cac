// The station server's connection, as main pushes it: lost at once when the
// counter's listening connection drops, restored when it is back. A file
// store never sends either, so it is never lost.
import { useEffect, useState } from 'react';
import type { StationChange } from '../../shared/ipc/station';
import { on } from '../ipc/api';

export function useServerLost(): boolean {
  const [lost, setLost] = useState(false);
  useEffect(() => on('station.server', ({ state }) => setLost(state === 'lost')), []);
  return lost;
}

/** Calls `listener` for each change at any counter on the station server. */
export function useStationChanges(listener: (change: StationChange) => void): void {
  useEffect(() => on('station.changed', listener), [listener]);
}
