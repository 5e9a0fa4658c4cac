// 班次登录: a shift starts with password and authenticator code. An account
// without an authenticator yet leaves the code empty and is sent to enrolment.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionStatus } from '../../shared/ipc/contract';
import { invoke } from '../ipc/api';
import { DigitsField, Field, PasswordField, UsernameField } from '../components/Field';
import { FormFooter } from '../components/FormFooter';
import type { ProblemData } from '../components/Problem';
import { ShiftSwitch } from '../components/ShiftSwitch';
import { ShiftSummary, type ClosedShift } from '../components/ShiftSummary';
import { useFormProblem } from '../forms/form-problem';
import type { PendingEnrolment } from '../app/StaffGate';
import { isRecoveryCode, isTotpCode, isUsername } from '../forms/validate';

type FieldName = 'username' | 'password' | 'code';

interface Props {
  openShifts: SessionStatus['openShifts'];
  /** The shift that was on screen ran out of time: said here, so nobody is dropped at this screen without a word. */
  expired: SessionStatus['shiftExpired'];
  onStatus: (s: SessionStatus) => void;
  onEnrolment: (p: PendingEnrolment) => void;
  /** Back to the lock screen this login was opened from. */
  onBack?: () => void;
  /** The shift just ended here with 交班, and what it did. */
  closedShift?: ClosedShift | null;
}

export function LoginScreen({ openShifts, expired, onStatus, onEnrolment, onBack, closedShift }: Props) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  // A lost phone: one of the recovery codes shown at enrolment stands in for the code.
  const [recovery, setRecovery] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = useFormProblem<FieldName>('login-problem');

  /** Either a wrong field or a spent code: both are typed again. */
  function refused(problem: ProblemData) {
    setPassword('');
    setCode('');
    form.fail(problem, 'password');
  }

  // Main refuses a login before enrolment, and only the password can tell
  // who is asking: so an empty code asks for the enrolment QR code instead.
  async function enrol(name: string) {
    const res = await invoke('auth.enrolment', { username: name, password });
    if (res.ok) return onEnrolment({ enrolment: res.value, password });
    if (res.error.code === 'TOTP_ALREADY_ENROLLED') return form.fail({ local: 'form.codeRequired' }, 'code');
    refused({ error: res.error });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const name = username.trim();
    if (!isUsername(name)) return form.fail({ local: 'form.usernameInvalid' }, 'username');
    if (!password) return form.fail({ local: 'form.passwordRequired' }, 'password');
    if (recovery && !isRecoveryCode(code)) return form.fail({ local: 'form.recoveryCodeInvalid' }, 'code');
    if (!recovery && code && !isTotpCode(code)) return form.fail({ local: 'form.codeInvalid' }, 'code');
    setBusy(true);
    try {
      if (!code) return await enrol(name);
      const second = recovery ? { recoveryCode: code.trim() } : { totp: code };
      const res = await invoke('auth.login', { username: name, password, ...second });
      if (res.ok) return onStatus(res.value);
      if (res.error.code === 'TOTP_NOT_ENROLLED') return await enrol(name);
      refused({ error: res.error });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="gate-column">
      <section className="gate" aria-labelledby="login-title">
        <h1 id="login-title">{t('login.title')}</h1>
        {expired && (
          <p className="notice-warn" role="status" data-testid="shift-expired">
            {t('login.expired', { name: expired.displayName, hours: expired.hours })}
          </p>
        )}
        {closedShift && <ShiftSummary shift={closedShift} />}
        <p className="lead">{t('login.intro')}</p>
        <form onSubmit={submit} noValidate>
          <UsernameField id="login-username" label={t('login.username')} autoFocus autoComplete="username" value={username} onValue={setUsername} {...form.field('username')} />
          <PasswordField id="login-password" label={t('login.password')} autoComplete="current-password" value={password} onValue={setPassword} {...form.field('password')} />
          {recovery ? (
            <Field id="login-recovery" label={t('login.recoveryCode')} autoComplete="off" spellCheck={false} maxLength={11} value={code} onValue={setCode} {...form.field('code')} />
          ) : (
            <DigitsField kind="code" id="login-code" label={t('login.code')} hint={t('login.codeHint')} value={code} onValue={setCode} {...form.field('code')} />
          )}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setRecovery(!recovery);
              setCode('');
            }}
          >
            {recovery ? t('login.useCode') : t('login.useRecovery')}
          </button>
          <FormFooter form={form} busy={busy} submit={t('login.submit')} busyText={t('login.busy')} back={onBack && { label: t('login.backToLock'), onClick: onBack }} size="wide" />
        </form>
      </section>
      {openShifts.length > 0 && (
        <section className="gate" aria-labelledby="open-shifts-title">
          <h2 id="open-shifts-title">{t('shifts.title')}</h2>
          <ShiftSwitch shifts={openShifts} onStatus={onStatus} />
        </section>
      )}
    </div>
  );
}
