// How the scanner and the printer are doing, as main last said: read once,
// then kept current by 'devices.status' events.
import { useCallback, useEffect, useState } from 'react';
import type { DeviceRole, DeviceStatus } from '../../shared/devices';
import type { AppErrorData } from '../../shared/errors';
import { on } from '../ipc/api';
import { useInvoke } from '../app/session';

export type DeviceStatuses = Partial<Record<DeviceRole, DeviceStatus>>;

export function useDeviceStatus(): {
  statuses: DeviceStatuses;
  /** Why the status cannot be read at all (no HID driver), else null. */
  unavailable: AppErrorData | null;
  /** Replaces the statuses with a full list (as devices.choose / forget return). */
  adopt: (list: DeviceStatus[]) => void;
} {
  const invoke = useInvoke();
  const [statuses, setStatuses] = useState<DeviceStatuses>({});
  const [unavailable, setUnavailable] = useState<AppErrorData | null>(null);

  const adopt = useCallback((list: DeviceStatus[]) => {
    setUnavailable(null);
    setStatuses(Object.fromEntries(list.map((s) => [s.role, s])));
  }, []);

  useEffect(() => {
    let live = true;
    const off = on('devices.status', (s) => {
      setUnavailable(null);
      setStatuses((all) => ({ ...all, [s.role]: s }));
    });
    void invoke('devices.status', {}).then((res) => {
      if (!live) return;
      if (res.ok) adopt(res.value);
      else setUnavailable(res.error);
    });
    return () => {
      live = false;
      off();
    };
  }, [invoke, adopt]);

  return { statuses, unavailable, adopt };
}
