// Across the top of every workspace screen for supervisors and auditors: the
// incident access restriction in red, each open incident's countdowns (1 h to
// assess, 48 h to notify) until they are met, and the backups: a prompt to
// set a folder until one is set (from the first shift after setup), then a
// warning while no backup has been made for a day.
import { useEffect, useState } from 'react';
import { useLcT } from '../i18n/lifecycle-t';
import type { Deadline, IncidentSummary } from '../../shared/ipc/lifecycle';
import { hhmm, useLifecycleStatus } from '../state/lifecycle-status';
import '../styles/lifecycle.css';

export function LifecycleBanner({ onShow }: { onShow?: () => void }) {
  const t = useLcT();
  const { status, readAt } = useLifecycleStatus();
  const elapsed = useElapsed(readAt);
  const incidents = status?.openIncidents.filter((i) => shows(i.assessment) || shows(i.notification)) ?? [];
  const backup = !status ? null : !status.settings.backupFolder ? 'noFolder' : status.backupStale ? 'noBackup' : null;
  const empty = !status?.restricted && incidents.length === 0;
  return (
    <>
      <div className={empty ? 'lc-banner-empty' : 'lc-banner'} role="status" data-testid="lifecycle-banner">
        {status?.restricted && (
          <p className="lc-restricted">
            <span aria-hidden="true">⚠</span> {t('lcBanner.restricted')}
          </p>
        )}
        {incidents.map((i) => (
          <IncidentLine key={i.id} incident={i} elapsed={elapsed} onShow={onShow} />
        ))}
      </div>
      {/* A standing reminder, not news: outside the live region. */}
      {backup && (
        <p className="lc-backup" data-testid="lc-backup">
          <span aria-hidden="true">⚠</span> {t(`lcBanner.${backup}`)}
          {onShow && (
            <button type="button" className="button small secondary" onClick={onShow}>
              {t('lcBanner.setUp')}
            </button>
          )}
        </p>
      )}
    </>
  );
}

const shows = (d: Deadline) => d.state === 'pending' || d.state === 'overdue';

function IncidentLine({ incident: i, elapsed, onShow }: { incident: IncidentSummary; elapsed: number; onShow?: () => void }) {
  const t = useLcT();
  const body = (
    <>
      <span aria-hidden="true">⚠</span> <strong>{t('lcBanner.incident', { reference: i.reference })}</strong>
      {shows(i.assessment) && <Countdown label={t('lcBanner.assessment')} deadline={i.assessment} elapsed={elapsed} />}
      {shows(i.notification) && <Countdown label={t('lcBanner.notification')} deadline={i.notification} elapsed={elapsed} />}
    </>
  );
  return onShow ? (
    <button type="button" className="lc-incident" onClick={onShow} data-testid="lc-incident">
      {body}
      <span className="warning-go">{t('lcBanner.show')} →</span>
    </button>
  ) : (
    <p className="lc-incident" data-testid="lc-incident">
      {body}
    </p>
  );
}

/**
 * Milliseconds since `readAt` (a performance.now() reading), moved on every
 * 20 s so a countdown's hh:mm keeps going between reads of main's figures.
 */
export function useElapsed(readAt: number): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 20_000);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, now - readAt);
}

/** "label：hh:mm left" (or overdue) for a deadline read `elapsed` ms ago; shared by the banner and the incident detail. */
export function Countdown({ label, deadline, elapsed }: { label: string; deadline: Deadline; elapsed: number }) {
  const t = useLcT();
  const left = deadline.remainingMs === null ? null : deadline.remainingMs - elapsed;
  const overdue = deadline.state === 'overdue' || (left !== null && left <= 0);
  return (
    <span className={overdue ? 'lc-countdown lc-overdue' : 'lc-countdown'}>
      {label}：<span className="num">{overdue ? t('lcBanner.overdue') : t('lcBanner.remaining', { time: hhmm(left ?? 0) })}</span>
    </span>
  );
}
