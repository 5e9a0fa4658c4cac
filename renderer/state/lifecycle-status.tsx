// The data-lifecycle state every workspace screen warns about: the access
// restriction and the open incidents' 1 h / 48 h countdowns. Read from
// lifecycle.status (no code needed) at the pace of the auth.status poll, and
// again whenever the lifecycle screen changes something (refreshLifecycle).
// One reader per workspace (LifecycleStatusProvider) serves the banner and
// the lifecycle screen alike.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { LifecycleStatus } from '../../shared/ipc/lifecycle';
import { can } from '../../shared/permissions';
import { invoke } from '../ipc/api';
import { useSession } from '../app/session';

const POLL_MS = 15_000;
const CHANGED = 'privacy-counter:lifecycle-changed';

/** Asks the workspace's status reader to read again now. */
export function refreshLifecycle(): void {
  window.dispatchEvent(new Event(CHANGED));
}

export interface LifecycleView {
  status: LifecycleStatus | null;
  /** performance.now() when `status` was read: countdowns tick down from there. */
  readAt: number;
}

const LifecycleStatusContext = createContext<LifecycleView | null>(null);

/** The workspace's reader of lifecycle.status; its value changes re-render only the readers below. */
export function LifecycleStatusProvider({ children }: { children: ReactNode }) {
  return <LifecycleStatusContext.Provider value={useStatusPoll()}>{children}</LifecycleStatusContext.Provider>;
}

/** The status is null for roles that may not read it (clerks). */
export function useLifecycleStatus(): LifecycleView {
  const view = useContext(LifecycleStatusContext);
  if (!view) throw new Error('useLifecycleStatus: outside the workspace');
  return view;
}

function useStatusPoll(): LifecycleView {
  const { user } = useSession();
  const allowed = can(user.role, 'audit.view');
  const [view, setView] = useState<LifecycleView>({ status: null, readAt: 0 });

  // Reading the status is not activity (like auth.status): failures are left to the staff gate.
  const read = useCallback(() => {
    if (!allowed) return;
    void invoke('lifecycle.status', {}).then((res) => {
      if (res.ok) setView({ status: res.value, readAt: performance.now() });
    });
  }, [allowed]);

  useEffect(() => {
    if (!allowed) {
      setView({ status: null, readAt: 0 });
      return;
    }
    read();
    const timer = setInterval(read, POLL_MS);
    window.addEventListener(CHANGED, read);
    return () => {
      clearInterval(timer);
      window.removeEventListener(CHANGED, read);
    };
  }, [allowed, read]);

  return view;
}

/** "hh:mm" of a positive duration. */
export function hhmm(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
