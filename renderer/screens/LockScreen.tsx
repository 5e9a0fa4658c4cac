// The active shift is locked. Idle (or locked by hand): its owner's PIN
// resumes it. Anomaly: only a supervisor's review frees it. Either way,
// another open shift can be resumed here, or another clerk can log in.
import { useTranslation } from 'react-i18next';
import type { SessionStatus } from '../../shared/ipc/contract';
import { RoleChip } from '../components/RoleChip';
import { ShiftSwitch } from '../components/ShiftSwitch';
import { useAlertFacts, useRuleName } from '../i18n/oversight-text';
import type { ActiveUser } from '../app/session';

interface Props {
  user: ActiveUser;
  lock: 'idle' | 'anomaly';
  /** The rule that locked the shift and what it saw. */
  anomaly: SessionStatus['anomaly'];
  openShifts: SessionStatus['openShifts'];
  onStatus: (s: SessionStatus) => void;
  onOtherLogin: () => void;
}

export function LockScreen({ user, lock, anomaly: hit, openShifts, onStatus, onOtherLogin }: Props) {
  const { t } = useTranslation();
  const ruleName = useRuleName();
  const alertFacts = useAlertFacts();
  const anomaly = lock === 'anomaly';
  return (
    <section className={`gate gate-wide lock-${lock}`} aria-labelledby="lock-title">
      <h1 id="lock-title">{anomaly ? t('lock.anomalyTitle') : t('lock.title')}</h1>
      <p className="locked-user" data-testid="locked-user">
        <span className="locked-name">{user.displayName}</span>
        <RoleChip role={user.role} />
      </p>
      {anomaly ? (
        <div className="anomaly" role="alert">
          <p>{t('lock.anomaly')}</p>
          {hit && <p data-testid="lock-rule">{t('lock.anomalyRule', { rule: ruleName(hit.rule), facts: alertFacts(hit.rule, hit.facts) })}</p>}
          <p>{t('lock.anomalyWhat')}</p>
        </div>
      ) : (
        <p className="lead">{t('lock.idle')}</p>
      )}
      {/* An anomaly-locked shift cannot be resumed with a PIN, so it is not offered. */}
      {anomaly ? (
        openShifts.length > 0 && <ShiftSwitch shifts={openShifts} onStatus={onStatus} />
      ) : (
        <ShiftSwitch shifts={[user, ...openShifts]} locked={user.username} onStatus={onStatus} />
      )}
      <button type="button" className="button secondary wide" onClick={onOtherLogin}>
        {t('lock.otherLogin')}
      </button>
    </section>
  );
}
