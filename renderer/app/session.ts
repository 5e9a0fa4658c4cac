// What the workspace's screens need from the staff gate: who is acting, and
// an invoke that tells the gate about failures meaning "look again" (the store
// was locked, or the shift was locked or ended in main).
import { createContext, useCallback, useContext } from 'react';
import type { AppErrorData } from '../../shared/errors';
import type { Channel, ChannelInput, SessionStatus } from '../../shared/ipc/contract';
import { invoke } from '../ipc/api';

export type ActiveUser = NonNullable<SessionStatus['active']>;

export interface SessionGuard {
  user: ActiveUser;
  onFailure: (error: AppErrorData) => void;
}

export const SessionContext = createContext<SessionGuard | null>(null);

export function useSession(): SessionGuard {
  const guard = useContext(SessionContext);
  if (!guard) throw new Error('useSession: outside the workspace');
  return guard;
}

export function useInvoke(): typeof invoke {
  const { onFailure } = useSession();
  return useCallback(
    async <C extends Channel>(channel: C, input: ChannelInput<C>) => {
      const res = await invoke(channel, input);
      if (!res.ok) onFailure(res.error);
      return res;
    },
    [onFailure],
  );
}
