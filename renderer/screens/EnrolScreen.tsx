// An account's first login: scan the QR code (or type the key) into an
// authenticator app, prove it with a code, and choose the lock-screen PIN.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionStatus } from '../../shared/ipc/contract';
import { invoke } from '../ipc/api';
import { DigitsField } from '../components/Field';
import { FormFooter } from '../components/FormFooter';
import { knownError } from '../components/Problem';
import { useFormProblem } from '../forms/form-problem';
import type { PendingEnrolment } from '../app/StaffGate';
import { isPin, isTotpCode } from '../forms/validate';

type FieldName = 'code' | 'pin' | 'confirm';

/** The base32 key from the otpauth URI, in groups of 4 for typing by hand. */
function manualKey(otpauthUri: string): string {
  const secret = new URL(otpauthUri).searchParams.get('secret') ?? '';
  return secret.match(/.{1,4}/g)?.join(' ') ?? '';
}

interface Props {
  pending: PendingEnrolment;
  onStatus: (s: SessionStatus) => void;
  onBack: () => void;
}

export function EnrolScreen({ pending: { enrolment, password }, onStatus, onBack }: Props) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormProblem<FieldName>('enrol-problem');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!isTotpCode(code)) return form.fail({ local: 'form.codeInvalid' }, 'code');
    if (!isPin(pin)) return form.fail(knownError('WEAK_PIN'), 'pin');
    if (pin !== confirm) {
      setConfirm('');
      return form.fail({ local: 'form.pinMismatch' }, 'confirm');
    }
    setBusy(true);
    const res = await invoke('auth.enrol', { username: enrolment.username, password, totp: code, pin });
    setBusy(false);
    if (res.ok) return onStatus(res.value);
    // A code is good once: after any failure a fresh one is needed.
    setCode('');
    form.fail({ error: res.error }, res.error.code === 'WEAK_PIN' ? 'pin' : 'code');
  }

  return (
    <section className="gate gate-wide" aria-labelledby="enrol-title">
      <h1 id="enrol-title">{t('enrol.title')}</h1>
      <p className="lead">{t('enrol.intro')}</p>
      <div className="enrol-grid">
        <div className="enrol-qr">
          {/* The SVG is main's string: shown as an image, never parsed into this document (CSP img-src allows data:). */}
          <img
            className="qr"
            src={`data:image/svg+xml;utf8,${encodeURIComponent(enrolment.qrSvg)}`}
            alt={t('enrol.qrAlt')}
            width={256}
            height={256}
          />
          <p className="enrol-account">
            {t('enrol.account')}
            <strong>{enrolment.username}</strong>
          </p>
          <h2 className="recovery-title">{t('enrol.recoveryTitle')}</h2>
          <p className="hint">{t('enrol.recoveryHint')}</p>
          <ol className="recovery-codes" data-testid="recovery-codes">
            {enrolment.recoveryCodes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ol>
        </div>
        <form onSubmit={submit} noValidate>
          <p className="hint">{t('enrol.manual')}</p>
          <code className="secret" data-testid="totp-secret" translate="no">
            {manualKey(enrolment.otpauthUri)}
          </code>
          <DigitsField kind="code" id="enrol-code" label={t('enrol.code')} autoFocus value={code} onValue={setCode} {...form.field('code')} />
          <div className="field-pair">
            <div>
              <DigitsField kind="pin" id="enrol-pin" label={t('enrol.pin')} autoComplete="new-password" value={pin} onValue={setPin} {...form.field('pin')} />
            </div>
            <div>
              <DigitsField
                kind="pin"
                id="enrol-pin-confirm"
                label={t('enrol.pinConfirm')}
                autoComplete="new-password"
                value={confirm}
                onValue={setConfirm}
                {...form.field('confirm')}
              />
            </div>
          </div>
          <FormFooter form={form} busy={busy} submit={t('enrol.submit')} busyText={t('enrol.busy')} back={{ label: t('enrol.back'), onClick: onBack }} size="wide" />
        </form>
      </div>
    </section>
  );
}
