// Scanner and printer at a glance, always in the top bar: a word for the
// state (never colour alone) and, for a printer, what it complains about.
import { useTranslation } from 'react-i18next';
import type { DeviceRole, DeviceStatus } from '../../shared/devices';
import { useDeviceStatus } from '../device-status';
import { useLang } from '../i18n';
import '../counter.css';

const ROLES: DeviceRole[] = ['scanner', 'printer'];

/** The words for one device's state, printer problems first: they are what needs doing. */
export function useDeviceWords(): (s: DeviceStatus | undefined) => { text: string; tone: 'ok' | 'warn' | 'bad' | 'off' } {
  const { t } = useTranslation();
  return (s) => {
    if (!s) return { text: '…', tone: 'off' };
    if (s.problems.length) return { text: s.problems.map((p) => t(`devices.problem.${p}`)).join('、'), tone: 'bad' };
    const text = t(`devices.state.${s.state}`);
    return { text, tone: s.state === 'connected' ? 'ok' : s.state === 'error' ? 'bad' : s.state === 'disconnected' ? 'warn' : 'off' };
  };
}

export function DeviceIndicator() {
  const { t } = useTranslation();
  const lang = useLang();
  const { statuses, unavailable } = useDeviceStatus();
  const words = useDeviceWords();

  if (unavailable) {
    return (
      <div className="device-indicator" aria-label={t('devices.indicatorLabel')} title={unavailable.message[lang]}>
        <span className="device-pill tone-bad">{t('devices.unavailable')}</span>
      </div>
    );
  }
  return (
    <div className="device-indicator" role="group" aria-label={t('devices.indicatorLabel')} aria-live="polite">
      {ROLES.map((role) => {
        const s = statuses[role];
        const { text, tone } = words(s);
        return (
          <span key={role} className={`device-pill tone-${tone}`} data-testid={`device-${role}`} title={s?.error?.message[lang] ?? s?.device?.product}>
            <span className="device-dot" aria-hidden="true" />
            {t(`devices.${role}`)} <strong>{text}</strong>
          </span>
        );
      })}
    </div>
  );
}
