// Who is at the counter, once the store is open: the first supervisor, the
// authenticator enrolment, shift login, the lock screen and, for an open and
// unlocked shift, the workspace. Main owns the session; this mirrors
// auth.status, re-reading it on a timer and after any failure that means the
// shift was locked or ended.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppErrorData, ErrorCode } from '../../shared/errors';
import type { Enrolment, SessionStatus, StationStatus } from '../../shared/ipc/contract';
import { invoke } from '../ipc/api';
import { GateFrame } from '../components/GateFrame';
import { Problem, type ProblemData } from '../components/Problem';
import { BootstrapScreen } from '../screens/BootstrapScreen';
import { EnrolScreen } from '../screens/EnrolScreen';
import { LockScreen } from '../screens/LockScreen';
import { LoginScreen } from '../screens/LoginScreen';
import type { ClosedShift } from '../components/ShiftSummary';
import { SessionContext } from './session';
import { Workspace } from './Workspace';

/** A not-yet-enrolled account between its password and its first code. */
export interface PendingEnrolment {
  enrolment: Enrolment;
  /** Held in memory only until auth.enrol, which needs it again. */
  password: string;
}

const SESSION_CHANGED = new Set<ErrorCode>(['NOT_LOGGED_IN', 'SESSION_IDLE_LOCKED', 'SESSION_ANOMALY_LOCKED']);
// STATION_KEY_CHANGED: another counter rotated the key; main has locked this one.
const STORE_CLOSED = new Set<ErrorCode>(['LOCKED', 'NOT_INITIALISED', 'STATION_KEY_CHANGED']);
// Main locks an idle shift on its own clock; the poll makes the screen follow
// without waiting for the next action. auth.status is a cheap in-memory read.
const POLL_MS = 15_000;

interface Props {
  stationName: string | null;
  onStationStatus: (s: StationStatus) => void;
  onStoreLocked: () => void;
}

export function StaffGate({ stationName, onStationStatus, onStoreLocked }: Props) {
  const { t } = useTranslation();
  const [session, setSession] = useState<SessionStatus | null>(null);
  const [problem, setProblem] = useState<ProblemData | null>(null);
  const [enrolling, setEnrolling] = useState<PendingEnrolment | null>(null);
  // "Another clerk logs in" from the lock screen: the locked shift stays open.
  const [loginOverLock, setLoginOverLock] = useState(false);
  // The shift last ended with 交班: its figures stay on the login screen until the next login.
  const [closedShift, setClosedShift] = useState<ClosedShift | null>(null);

  const refresh = useCallback(async () => {
    const res = await invoke('auth.status', {});
    if (res.ok) {
      setProblem(null);
      // An unchanged status keeps its identity, so a poll does not re-render the workspace.
      setSession((prev) => (prev && JSON.stringify(prev) === JSON.stringify(res.value) ? prev : res.value));
    } else if (STORE_CLOSED.has(res.error.code)) {
      onStoreLocked();
    } else {
      setProblem({ error: res.error });
    }
  }, [onStoreLocked]);

  /** A new status from a login, resume, lock or logout: leave any side path. */
  const adopt = useCallback((next: SessionStatus) => {
    setEnrolling(null);
    setLoginOverLock(false);
    if (next.active) setClosedShift(null);
    setSession(next);
  }, []);

  const onFailure = useCallback(
    (e: AppErrorData) => {
      if (STORE_CLOSED.has(e.code)) onStoreLocked();
      else if (SESSION_CHANGED.has(e.code)) void refresh();
    },
    [onStoreLocked, refresh],
  );

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const user = session?.lock === null && !enrolling ? session.active : null;
  useEffect(() => {
    if (!user) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [user, refresh]);

  const guard = useMemo(() => (user ? { user, onFailure } : null), [user, onFailure]);
  if (guard) {
    return (
      <SessionContext.Provider value={guard}>
        {/* Keyed by person: a switch of shift starts from empty screens. */}
        <Workspace key={guard.user.username} stationName={stationName} onSession={adopt} onStationStatus={onStationStatus} onShiftClosed={setClosedShift} />
      </SessionContext.Provider>
    );
  }

  let body;
  if (!session) {
    body = (
      <section className="gate" aria-busy={!problem}>
        <p className="lead">{t('app.loading')}</p>
        <Problem id="session-problem" problem={problem} />
      </section>
    );
  } else if (enrolling) {
    body = <EnrolScreen pending={enrolling} onStatus={adopt} onBack={() => setEnrolling(null)} />;
  } else if (session.needsBootstrap) {
    body = <BootstrapScreen onEnrolment={setEnrolling} />;
  } else if (session.active && session.lock && !loginOverLock) {
    body = <LockScreen user={session.active} lock={session.lock} anomaly={session.anomaly} openShifts={session.openShifts} onStatus={adopt} onOtherLogin={() => setLoginOverLock(true)} />;
  } else {
    body = (
      <LoginScreen
        openShifts={session.openShifts}
        expired={session.shiftExpired}
        closedShift={closedShift}
        onStatus={adopt}
        onEnrolment={setEnrolling}
        onBack={session.active && session.lock ? () => setLoginOverLock(false) : undefined}
      />
    );
  }
  return <GateFrame stationName={stationName}>{body}</GateFrame>;
}
