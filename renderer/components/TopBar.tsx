// The bar across the top. In the workspace it names the person on duty, big,
// so nobody works under someone else's name, and holds the tabs their role
// may use and the lock / end-shift / lock-station buttons.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../shared/actor';
import { can, type Action } from '../../shared/permissions';
import type { ActiveUser } from '../app/session';
import { LangSwitch } from './LangSwitch';
import { RoleChip } from './RoleChip';

// Hiding a tab is a convenience: main refuses the channels behind it anyway.
const TABS = [
  { id: 'scanIn', action: 'counter.operate' },
  { id: 'pickup', action: 'counter.operate' },
  { id: 'returns', action: 'counter.operate' },
  { id: 'daily', action: 'counter.operate' },
  { id: 'import', action: 'parcels.import' },
  { id: 'accounts', action: 'accounts.view' },
  { id: 'audit', action: 'audit.view' },
  { id: 'alerts', action: 'audit.view' },
  // Any of: clerks bag and destroy paper, auditors read the records.
  { id: 'ledger', action: ['ledger.record', 'ledger.view'] },
  // Last: set up once, rarely visited.
  { id: 'devices', action: 'devices.configure' },
  // After the shortcut keys run out (F1–F10): the supervisor's eleventh tab.
  { id: 'lifecycle', action: 'lifecycle.manage' },
  // The outbox is looked at now and then; its settings once.
  { id: 'notify', action: 'counter.operate' },
  // Stocktakes and moves now and then; the daily close once a day.
  { id: 'operations', action: 'counter.operate' },
] as const satisfies readonly { id: string; action: Action | readonly Action[] }[];
export type TabId = (typeof TABS)[number]['id'];

export const tabsFor = (role: Role): TabId[] =>
  TABS.filter((tab) => [tab.action].flat().some((a) => can(role, a))).map((tab) => tab.id);

/** F1…F10 or Alt+1…9, 0 → tab index; `code` (not `key`) because Alt changes the typed character on some layouts. */
export function shortcutIndex(e: KeyboardEvent): number | null {
  if (e.ctrlKey || e.metaKey || e.shiftKey) return null;
  const f = /^F([1-9]|10)$/.exec(e.key);
  if (f && !e.altKey) return Number(f[1]) - 1;
  const d = /^(?:Digit|Numpad)([0-9])$/.exec(e.code);
  if (d && e.altKey) return (Number(d[1]) + 9) % 10;
  return null;
}

export interface WorkspaceBar {
  user: ActiveUser;
  tabs: readonly TabId[];
  tab: TabId;
  onTab: (tab: TabId) => void;
  onLockScreen: () => void;
  onLogout: () => void;
  /** Only for roles that may lock the station. */
  onLockStation?: () => void;
  busy: boolean;
  /** Scanner and printer state, for roles that may see it. */
  devices?: ReactNode;
}

interface Props {
  stationName: string | null;
  /** Across the bar's full width, under its first row: the station server lost. */
  alert?: ReactNode;
  /** Present only while someone's shift is open and unlocked. */
  workspace?: WorkspaceBar;
}

export function TopBar({ stationName, alert, workspace: w }: Props) {
  const { t } = useTranslation();
  return (
    <header className="topbar">
      <div className="brand">
        <span className="app-name">{t('app.name')}</span>
        {stationName && <span className="station-name">{stationName}</span>}
      </div>
      {w && (
        <div className="on-duty" data-testid="on-duty">
          <span className="on-duty-who">
            <span className="on-duty-label">{t('nav.onDuty')}</span>
            <span className="on-duty-name">{w.user.displayName}</span>
          </span>
          <RoleChip role={w.user.role} />
        </div>
      )}
      <div className="topbar-actions">
        {w && (
          <>
            <button type="button" className="button bar" title={t('nav.lockScreenHint')} disabled={w.busy} onClick={w.onLockScreen}>
              {t('nav.lockScreen')}
            </button>
            <button type="button" className="button bar" title={t('nav.logoutHint')} disabled={w.busy} onClick={w.onLogout}>
              {t('nav.logout')}
            </button>
            {w.onLockStation && (
              <button type="button" className="button ghost" title={t('nav.lockStationHint')} disabled={w.busy} onClick={w.onLockStation}>
                {t('nav.lockStation')}
              </button>
            )}
          </>
        )}
        <LangSwitch />
      </div>
      {alert}
      {w && (
        // Tabs, then the device badges at the row's end: the first row stays for the name on duty.
        <div className="topbar-lower">
          <nav aria-label={t('nav.label')} className="tabs">
            {w.tabs.map((id, i) => (
              <button
                key={id}
                type="button"
                className="tab"
                aria-current={w.tab === id ? 'page' : undefined}
                title={i < 10 ? t('nav.shortcut', { keys: `F${i + 1} / Alt+${(i + 1) % 10}` }) : undefined}
                onClick={() => w.onTab(id)}
              >
                {t(`nav.${id}`)}
                {i < 10 && <kbd>F{i + 1}</kbd>}
              </button>
            ))}
          </nav>
          {w.devices && <div className="topbar-devices">{w.devices}</div>}
        </div>
      )}
    </header>
  );
}
