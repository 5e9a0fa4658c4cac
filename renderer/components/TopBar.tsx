import { useTranslation } from 'react-i18next';
import { LangSwitch } from './LangSwitch';

export const TABS = [
  { id: 'lookup', keys: ['F1', 'Alt+1'] },
  { id: 'import', keys: ['F2', 'Alt+2'] },
] as const;
export type TabId = (typeof TABS)[number]['id'];

/** F1…F9 or Alt+1…9 → tab index; `code` (not `key`) because Alt changes the typed character on some layouts. */
export function shortcutIndex(e: KeyboardEvent): number | null {
  if (e.ctrlKey || e.metaKey || e.shiftKey) return null;
  const f = /^F([1-9])$/.exec(e.key);
  if (f && !e.altKey) return Number(f[1]) - 1;
  const d = /^(?:Digit|Numpad)([1-9])$/.exec(e.code);
  if (d && e.altKey) return Number(d[1]) - 1;
  return null;
}

interface Props {
  stationName: string | null;
  /** Present only while unlocked: tabs and the lock button need an open store. */
  workspace?: { tab: TabId; onTab: (tab: TabId) => void; onLock: () => void; locking: boolean };
}

export function TopBar({ stationName, workspace }: Props) {
  const { t } = useTranslation();
  return (
    <header className="topbar">
      <div className="brand">
        <span className="app-name">{t('app.name')}</span>
        {stationName && <span className="station-name">{stationName}</span>}
      </div>
      {workspace && (
        <nav aria-label={t('nav.label')} className="tabs">
          {TABS.map(({ id, keys }) => (
            <button
              key={id}
              type="button"
              className="tab"
              aria-current={workspace.tab === id ? 'page' : undefined}
              title={t('nav.shortcut', { keys: keys.join(' / ') })}
              onClick={() => workspace.onTab(id)}
            >
              {t(`nav.${id}`)}
              <kbd>{keys[0]}</kbd>
            </button>
          ))}
        </nav>
      )}
      <div className="topbar-actions">
        {workspace && (
          <button
            type="button"
            className="button lock"
            title={t('nav.lockHint')}
            disabled={workspace.locking}
            onClick={workspace.onLock}
          >
            {t('nav.lock')}
          </button>
        )}
        <LangSwitch />
      </div>
    </header>
  );
}
