// The open shift's workspace: the tabs its role may use (F1… / Alt+1…), and
// the buttons to lock the screen, end the shift or lock the whole station.
import { useCallback, useEffect, useMemo, useState, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionStatus, StationStatus } from '../../shared/ipc/contract';
import { can } from '../../shared/permissions';
import { DeviceIndicator } from '../components/DeviceIndicator';
import { LifecycleBanner } from '../components/LifecycleBanner';
import { OversightBanner } from '../components/OversightBanner';
import { Problem, type ProblemData } from '../components/Problem';
import type { ClosedShift } from '../components/ShiftSummary';
import { shortcutIndex, tabsFor, TopBar, type TabId } from '../components/TopBar';
import { LifecycleStatusProvider } from '../state/lifecycle-status';
import { OversightContext, useOversightState } from '../state/oversight';
import { AccountsScreen } from '../screens/AccountsScreen';
import { AlertsScreen } from '../screens/AlertsScreen';
import { AuditScreen } from '../screens/AuditScreen';
import { DailyScreen } from '../screens/DailyScreen';
import { DevicesScreen } from '../screens/DevicesScreen';
import { ImportScreen } from '../screens/ImportScreen';
import { LedgerScreen } from '../screens/LedgerScreen';
import { LifecycleScreen } from '../screens/LifecycleScreen';
import { NotifyScreen } from '../screens/NotifyScreen';
import { OperationsScreen } from '../screens/OperationsScreen';
import { PickupScreen } from '../screens/PickupScreen';
import { ReturnsScreen } from '../screens/ReturnsScreen';
import { ScanInScreen } from '../screens/ScanInScreen';
import { ScanBusProvider } from '../state/scan-bus';
import { useInvoke, useSession } from './session';
import { useServerLost } from '../state/station-server';

/** What every tab's screen gets: whether it is shown, and a nudge to take the focus. */
export interface ScreenProps {
  active: boolean;
  focusSignal: number;
}

const SCREENS: Record<TabId, ComponentType<ScreenProps>> = {
  scanIn: ScanInScreen,
  pickup: PickupScreen,
  returns: ReturnsScreen,
  daily: DailyScreen,
  devices: DevicesScreen,
  import: ImportScreen,
  accounts: AccountsScreen,
  audit: AuditScreen,
  alerts: AlertsScreen,
  ledger: LedgerScreen,
  lifecycle: LifecycleScreen,
  notify: NotifyScreen,
  operations: OperationsScreen,
};

interface Props {
  stationName: string | null;
  onSession: (s: SessionStatus) => void;
  onStationStatus: (s: StationStatus) => void;
  /** The shift just ended with 交班, and what it did. */
  onShiftClosed: (shift: ClosedShift) => void;
}

export function Workspace({ stationName, onSession, onStationStatus, onShiftClosed }: Props) {
  const { user } = useSession();
  const invoke = useInvoke();
  const tabs = useMemo(() => tabsFor(user.role), [user.role]);
  const [tab, setTab] = useState<TabId>(tabs[0]);
  // Bumped on every selection, so pressing F1 again still puts the caret in the field.
  const [focusSignal, setFocusSignal] = useState(0);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemData | null>(null);
  const oversight = useOversightState();
  const serverLost = useServerLost();
  const { t } = useTranslation();

  const select = useCallback((id: TabId) => {
    setTab(id);
    setFocusSignal((n) => n + 1);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const i = shortcutIndex(e);
      if (i === null || i >= tabs.length) return;
      e.preventDefault();
      select(tabs[i]);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [select, tabs]);

  async function leave(channel: 'auth.lock' | 'auth.logout' | 'station.lock', closing?: ClosedShift) {
    setBusy(true);
    const res = await invoke(channel, {});
    setBusy(false);
    if (!res.ok) return setProblem({ error: res.error });
    if (closing) onShiftClosed(closing);
    if ('initialised' in res.value) onStationStatus(res.value);
    else onSession(res.value);
  }

  /** 交班: the shift's figures are read while it is still open, and said once it has ended. */
  async function endShift() {
    const figures = can(user.role, 'counter.operate') ? await invoke('counter.myShift', {}) : null;
    await leave('auth.logout', figures?.ok ? { displayName: user.displayName, figures: figures.value } : undefined);
  }

  return (
    <OversightContext.Provider value={oversight}>
      <TopBar
        stationName={stationName}
        alert={
          serverLost && (
            <p className="server-lost" role="alert" data-testid="server-lost">
              <span aria-hidden="true">⚠</span> {t('server.lost')}
            </p>
          )
        }
        workspace={{
          user,
          tabs,
          tab,
          onTab: select,
          onLockScreen: () => void leave('auth.lock'),
          onLogout: () => void endShift(),
          onLockStation: can(user.role, 'station.lock') ? () => void leave('station.lock') : undefined,
          busy,
          devices: can(user.role, 'devices.view') ? <DeviceIndicator /> : undefined,
        }}
      />
      {/* Nothing can be written while the server is gone: the screens wait, untouchable, until it is back. */}
      <main className="workspace" inert={serverLost}>
        <LifecycleStatusProvider>
          <OversightBanner onShow={select} />
          <LifecycleBanner onShow={tabs.includes('lifecycle') ? () => select('lifecycle') : undefined} />
          <Problem id="workspace-problem" problem={problem} />
          {/* Scans go to whichever screen is shown, wherever the focus is. */}
          <ScanBusProvider>
            {tabs.map((id) => {
              const Screen = SCREENS[id];
              return <Screen key={id} active={tab === id} focusSignal={focusSignal} />;
            })}
          </ScanBusProvider>
        </LifecycleStatusProvider>
      </main>
    </OversightContext.Provider>
  );
}
