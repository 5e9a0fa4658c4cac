// What the workspace warns about on every screen: anomaly alerts waiting for
// a supervisor's review (supervisors and auditors) and paper waybills overdue
// for destruction (those who keep the shred ledger). Both counts come with
// auth.status; the oversight screens call refresh() after changing either.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { can } from '../../shared/permissions';
import { invoke, on } from '../ipc/api';
import { useSession } from '../app/session';

export interface Oversight {
  /** Null where the role does not see alerts. */
  openAlerts: number | null;
  /** Null where the role does not keep the ledger. */
  outstandingPapers: number | null;
  refresh: () => void;
  /** Bumped when the banner asks the ledger screen for its overdue list. */
  outstandingRequest: number;
  requestOutstanding: () => void;
}

// The same pace as the staff gate's own status poll.
const POLL_MS = 15_000;

export const OversightContext = createContext<Oversight | null>(null);

export function useOversight(): Oversight {
  const value = useContext(OversightContext);
  if (!value) throw new Error('useOversight: outside the workspace');
  return value;
}

/** The workspace's state behind OversightContext. */
export function useOversightState(): Oversight {
  const { user } = useSession();
  const watchAlerts = can(user.role, 'audit.view');
  const [openAlerts, setOpenAlerts] = useState<number | null>(null);
  const [outstandingPapers, setOutstandingPapers] = useState<number | null>(null);
  const [outstandingRequest, setOutstandingRequest] = useState(0);

  // auth.status is public: reading it is not activity, so the poll neither
  // holds off the idle lock nor trips the opening-hours rule. Its failures
  // are the staff gate's to handle.
  const refresh = useCallback(() => {
    void invoke('auth.status', {}).then((res) => {
      if (!res.ok) return;
      setOpenAlerts(watchAlerts ? res.value.openAlerts : null);
      setOutstandingPapers(res.value.outstandingPapers);
    });
  }, [watchAlerts]);

  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, POLL_MS);
    const off = on('anomaly.alert', refresh);
    return () => {
      clearInterval(timer);
      off();
    };
  }, [refresh]);

  const requestOutstanding = useCallback(() => setOutstandingRequest((n) => n + 1), []);

  return useMemo(
    () => ({ openAlerts, outstandingPapers, refresh, outstandingRequest, requestOutstanding }),
    [openAlerts, outstandingPapers, refresh, outstandingRequest, requestOutstanding],
  );
}
