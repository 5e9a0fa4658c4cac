// 异常提醒 (supervisors and auditors): what the anomaly rules caught, open
// ones first. A supervisor reviews an alert with a note and their code;
// that clears the clerk's anomaly lock, and the clerk goes on with their PIN.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppErrorData } from '../../shared/errors';
import type { AnomalyAlert } from '../../shared/ipc/contract';
import { can } from '../../shared/permissions';
import { Problem } from '../components/Problem';
import { StepUpDialog } from '../components/StepUpDialog';
import { formatDateTime } from '../platform/dates';
import { useFormProblem } from '../forms/form-problem';
import { useOversight } from '../state/oversight';
import { clearing, localError } from '../i18n/oversight-problem';
import { useAlertFacts, useRuleName } from '../i18n/oversight-text';
import { useScreenHeading } from '../hooks/screen-heading';
import { useLoad } from '../hooks/use-load';
import { useInvoke, useSession } from '../app/session';
import type { ScreenProps } from '../app/Workspace';
import '../styles/oversight.css';

const NOTE_MAX = 500;

export function AlertsScreen({ active, focusSignal }: ScreenProps) {
  const { t } = useTranslation();
  const { user } = useSession();
  const oversight = useOversight();
  const [openOnly, setOpenOnly] = useState(true);
  const [reviewing, setReviewing] = useState<AnomalyAlert | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const heading = useScreenHeading(active, focusSignal);
  const returnTo = useRef<HTMLElement | null>(null);
  const mayReview = can(user.role, 'anomaly.review');
  const { openAlerts } = oversight;

  // Re-read on each visit, on a change of view, and when the count of open alerts moves.
  const { data: alerts, problem, reload } = useLoad('anomaly.list', active ? { openOnly } : null, [active, openOnly, openAlerts]);

  useEffect(() => {
    if (!active) setReviewing(null);
  }, [active]);

  function startReview(alert: AnomalyAlert, button: HTMLElement) {
    returnTo.current = button;
    setNotice(null);
    setReviewing(alert);
  }

  function close() {
    setReviewing(null);
    returnTo.current?.focus();
  }

  async function reviewed(alert: AnomalyAlert) {
    setReviewing(null);
    setNotice(t('alerts.reviewedNotice', { person: alert.username ?? '—' }));
    oversight.refresh();
    await reload();
    heading.current?.focus();
  }

  return (
    <section className="screen" aria-labelledby="alerts-title" hidden={!active}>
      <h1 id="alerts-title" ref={heading} tabIndex={-1}>
        {t('alerts.title')}
      </h1>
      <p className="lead">{mayReview ? t('alerts.intro') : t('alerts.viewOnly')}</p>
      <div className="segmented" role="group" aria-label={t('alerts.show')}>
        {[true, false].map((v) => (
          <button key={String(v)} type="button" className="segment" aria-pressed={openOnly === v} onClick={() => setOpenOnly(v)}>
            {v ? t('alerts.open') : t('alerts.all')}
          </button>
        ))}
      </div>
      <p role="status" className="ok-note">
        {notice}
      </p>
      <Problem id="alerts-problem" problem={problem} />
      {alerts === null ? (
        !problem && <p className="muted">{t('alerts.loading')}</p>
      ) : alerts.length === 0 ? (
        <p className="empty-note">{openOnly ? t('alerts.none') : t('alerts.noneAll')}</p>
      ) : (
        <ul className="alert-list">
          {alerts.map((a) => (
            <AlertCard key={a.id} alert={a} onReview={mayReview && !a.reviewedAt ? (b) => startReview(a, b) : undefined}>
              {/* In the card under review, so what is being reviewed stays in view. */}
              {reviewing?.id === a.id && <ReviewDialog alert={a} onDone={() => void reviewed(a)} onCancel={close} />}
            </AlertCard>
          ))}
        </ul>
      )}
    </section>
  );
}

interface AlertCardProps {
  alert: AnomalyAlert;
  onReview?: (button: HTMLElement) => void;
  children?: ReactNode;
}

function AlertCard({ alert: a, onReview, children }: AlertCardProps) {
  const { t } = useTranslation();
  const ruleName = useRuleName();
  const alertFacts = useAlertFacts();
  const titleId = `alert-${a.id}-rule`;
  return (
    <li className={a.reviewedAt ? 'alert-card alert-reviewed' : 'alert-card alert-open'} aria-labelledby={titleId}>
      <div className="alert-main">
        <h2 id={titleId} className="alert-rule">
          {ruleName(a.rule)}
        </h2>
        <dl className="alert-facts">
          <div>
            <dt>{t('alerts.person')}</dt>
            <dd className="alert-person">{a.username ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('alerts.raised')}</dt>
            <dd className="num">{formatDateTime(a.createdAt)}</dd>
          </div>
          <div className="wide">
            <dt>{t('alerts.detail')}</dt>
            <dd className="muted">{alertFacts(a.rule, a.facts)}</dd>
          </div>
          {a.reviewNote && (
            <div className="wide">
              <dt>{t('alerts.reviewNote')}</dt>
              <dd>{a.reviewNote}</dd>
            </div>
          )}
        </dl>
      </div>
      <div className="alert-side">
        <span className={a.reviewedAt ? 'state-pill state-done' : 'state-pill state-open'}>
          {a.reviewedAt ? t('alerts.reviewed', { at: formatDateTime(a.reviewedAt) }) : t('alerts.pending')}
        </span>
        {onReview && (
          <button type="button" className="button primary big" aria-describedby={titleId} onClick={(e) => onReview(e.currentTarget)}>
            {t('alerts.review')}
          </button>
        )}
      </div>
      {children && <div className="alert-review">{children}</div>}
    </li>
  );
}

function ReviewDialog({ alert, onDone, onCancel }: { alert: AnomalyAlert; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const invoke = useInvoke();
  const ruleName = useRuleName();
  const [note, setNote] = useState('');
  const form = useFormProblem<'note'>('review-note-problem');

  async function confirm(totp: string): Promise<AppErrorData | null> {
    if (note.trim().length < 2) {
      // Not sent: the code stays in its field for when the note is written.
      form.fail({ error: localError((m) => m.alerts.noteRequired) }, 'note');
      return null;
    }
    form.clear();
    const res = await invoke('anomaly.review', { alertId: alert.id, note: note.trim(), totp });
    if (!res.ok) return res.error;
    onDone();
    return null;
  }

  const noteField = form.field('note');
  return (
    <StepUpDialog action={t('alerts.reviewAction', { rule: ruleName(alert.rule), person: alert.username ?? '—' })} onConfirm={confirm} onCancel={onCancel}>
      <label htmlFor="review-note">{t('alerts.note')}</label>
      <textarea
        id="review-note"
        ref={noteField.ref}
        className="field"
        rows={3}
        maxLength={NOTE_MAX}
        autoFocus
        value={note}
        aria-invalid={noteField.invalid}
        aria-describedby={noteField.invalid ? form.problemId : undefined}
        onChange={(e) => clearing(form, setNote)(e.target.value)}
      />
      <Problem id={form.problemId} problem={form.problem} />
    </StepUpDialog>
  );
}
