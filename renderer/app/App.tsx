// The station gate (create / unlock) and, once the store is open, the staff
// gate. Locking the store unmounts everything behind it, so no lookup result
// outlives the lock.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StationStatus } from '../../shared/ipc/contract';
import { invoke } from '../ipc/api';
import { GateFrame } from '../components/GateFrame';
import { Problem, type ProblemData } from '../components/Problem';
import { SetupScreen } from '../screens/SetupScreen';
import { UnlockScreen } from '../screens/UnlockScreen';
import { StaffGate } from './StaffGate';

export function App() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<StationStatus | null>(null);
  const [problem, setProblem] = useState<ProblemData | null>(null);

  const refresh = useCallback(async () => {
    setProblem(null);
    const res = await invoke('station.status', {});
    if (res.ok) {
      setProblem(null);
      setStatus(res.value);
    } else {
      setProblem({ error: res.error });
    }
  }, []);
  const onStoreLocked = useCallback(() => void refresh(), [refresh]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  if (status?.unlocked) {
    return <StaffGate stationName={status.stationName} onStationStatus={setStatus} onStoreLocked={onStoreLocked} />;
  }
  let body;
  if (!status) {
    body = (
      <section className="gate" aria-busy={!problem}>
        <p className="lead">{t('app.loading')}</p>
        <Problem id="app-problem" problem={problem} />
        {/* A station server that cannot be reached at start: nothing was written anywhere; try again. */}
        {problem && (
          <button type="button" className="button" aria-describedby="app-problem" onClick={() => void refresh()}>
            {t('app.retry')}
          </button>
        )}
      </section>
    );
  } else if (!status.initialised) {
    body = <SetupScreen onStatus={setStatus} />;
  } else {
    body = <UnlockScreen stationName={status.stationName} onStatus={setStatus} />;
  }
  return <GateFrame stationName={status?.stationName ?? null}>{body}</GateFrame>;
}
