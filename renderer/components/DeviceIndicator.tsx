// Scanner and printer at a glance, always in the top bar: a word for the
// state (never colour alone) and, for a printer, what it complains about.
import { useTranslation } from 'react-i18next';
import { holdsQueue, type DeviceRole, type DeviceStatus } from '../../shared/devices';
import { useDeviceStatus } from '../state/device-status';
import { useLang } from '../i18n';
import '../styles/counter.css';

const ROLES: DeviceRole[] = ['scanner', 'printer'];

/**
 * The words for one device's state, printer problems first: they are what
 * needs doing. No HID POS scanner chosen means the keyboard-mode scanner.
 */
export function useDeviceWords(): (role: DeviceRole, s: DeviceStatus | undefined) => { text: string; tone: 'ok' | 'warn' | 'bad' | 'off' } {
  const { t } = useTranslation();
  return (role, s) => {
    if (!s) return { text: '…', tone: 'off' };
    // Busy alone is worth seeing, not acting on.
    if (s.problems.length) return { text: s.problems.map((p) => t(`devices.problem.${p}`)).join('、'), tone: s.problems.some(holdsQueue) ? 'bad' : 'warn' };
    if (role === 'scanner' && s.state === 'not-chosen') return { text: t('devices.keyboardMode'), tone: 'off' };
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
        const { text, tone } = words(role, s);
        return (
          <span key={role} className={`device-pill tone-${tone}`} data-testid={`device-${role}`} title={s?.error?.message[lang] ?? s?.device?.product}>
            <span className="device-dot" aria-hidden="true" />
            {t(`devices.${role}`)}{' '}
            {/* All well: a tick, so the bar leaves its width to the name on duty; anything else in words. */}
            {tone === 'ok' ? (
              <>
                <strong aria-hidden="true">✓</strong>
                <span className="visually-hidden">{text}</span>
              </>
            ) : (
              <strong>{text}</strong>
            )}
          </span>
        );
      })}
    </div>
  );
}
