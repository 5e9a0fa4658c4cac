// The gate (create / unlock) and, once the store is open, the workspace.
// Locking unmounts the workspace, so no lookup result outlives the lock.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StationStatus } from '../shared/ipc/contract';
import { invoke } from './api';
import { Problem, type ProblemData } from './components/Problem';
import { TABS, TopBar, shortcutIndex, type TabId } from './components/TopBar';
import { ImportScreen } from './screens/ImportScreen';
import { LookupScreen } from './screens/LookupScreen';
import { SetupScreen } from './screens/SetupScreen';
import { UnlockScreen } from './screens/UnlockScreen';

export function App() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<StationStatus | null>(null);
  const [problem, setProblem] = useState<ProblemData | null>(null);

  const refresh = useCallback(async () => {
    const res = await invoke('station.status', {});
    if (res.ok) {
      setProblem(null);
      setStatus(res.value);
    } else {
      setProblem({ error: res.error });
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  let body;
  if (!status) {
    body = (
      <section className="gate" aria-busy={!problem}>
        <p className="lead">{t('app.loading')}</p>
        <Problem id="app-problem" problem={problem} />
      </section>
    );
  } else if (!status.initialised) {
    body = <SetupScreen onStatus={setStatus} />;
  } else if (!status.unlocked) {
    body = <UnlockScreen stationName={status.stationName} onStatus={setStatus} />;
  } else {
    return <Workspace status={status} onStatus={setStatus} onStoreLocked={() => void refresh()} />;
  }
  return (
    <>
      <TopBar stationName={status?.stationName ?? null} />
      <main className="gate-main">{body}</main>
    </>
  );
}

interface WorkspaceProps {
  status: StationStatus;
  onStatus: (s: StationStatus) => void;
  /** Main reported LOCKED (e.g. locked elsewhere): re-read the status. */
  onStoreLocked: () => void;
}

function Workspace({ status, onStatus, onStoreLocked }: WorkspaceProps) {
  const [tab, setTab] = useState<TabId>('lookup');
  // Bumped on every selection, so pressing F1 again still puts the caret in the field.
  const [focusSignal, setFocusSignal] = useState(0);
  const [locking, setLocking] = useState(false);
  const [problem, setProblem] = useState<ProblemData | null>(null);

  const select = useCallback((id: TabId) => {
    setTab(id);
    setFocusSignal((n) => n + 1);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const i = shortcutIndex(e);
      if (i === null || i >= TABS.length) return;
      e.preventDefault();
      select(TABS[i].id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [select]);

  async function lock() {
    setLocking(true);
    const res = await invoke('station.lock', {});
    setLocking(false);
    if (res.ok) onStatus(res.value);
    else setProblem({ error: res.error });
  }

  return (
    <>
      <TopBar stationName={status.stationName} workspace={{ tab, onTab: select, onLock: () => void lock(), locking }} />
      <main className="workspace">
        <Problem id="workspace-problem" problem={problem} />
        <LookupScreen active={tab === 'lookup'} focusSignal={focusSignal} onStoreLocked={onStoreLocked} />
        <ImportScreen active={tab === 'import'} focusSignal={focusSignal} onStoreLocked={onStoreLocked} />
      </main>
    </>
  );
}
