// First run, after the store exists: the supervisor (站长) account. Its
// authenticator is set up on the next screen.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { invoke } from '../ipc/api';
import { Field, NewPasswordField, UsernameField } from '../components/Field';
import { FormFooter } from '../components/FormFooter';
import { useFormProblem } from '../forms/form-problem';
import type { PendingEnrolment } from '../app/StaffGate';
import { isUsername } from '../forms/validate';

type FieldName = 'username' | 'displayName' | 'password' | 'confirm';

export function BootstrapScreen({ onEnrolment }: { onEnrolment: (p: PendingEnrolment) => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormProblem<FieldName>('bootstrap-problem');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!isUsername(username)) return form.fail({ local: 'form.usernameInvalid' }, 'username');
    if (!displayName.trim()) return form.fail({ local: 'form.displayNameRequired' }, 'displayName');
    if (!password) return form.fail({ local: 'form.passwordRequired' }, 'password');
    if (password !== confirm) {
      setConfirm('');
      return form.fail({ local: 'form.passwordMismatch' }, 'confirm');
    }
    setBusy(true);
    const res = await invoke('auth.bootstrap', { username: username.trim(), displayName: displayName.trim(), password });
    setBusy(false);
    if (!res.ok) return form.fail({ error: res.error }, res.error.code === 'WEAK_PASSWORD' ? 'password' : null);
    onEnrolment({ enrolment: res.value, password });
  }

  return (
    <section className="gate" aria-labelledby="bootstrap-title">
      <h1 id="bootstrap-title">{t('bootstrap.title')}</h1>
      <p className="lead">{t('bootstrap.intro')}</p>
      <form onSubmit={submit} noValidate>
        <UsernameField id="bootstrap-username" label={t('bootstrap.username')} autoFocus value={username} onValue={setUsername} {...form.field('username')} />
        <Field id="bootstrap-name" label={t('bootstrap.displayName')} autoComplete="off" maxLength={32} value={displayName} onValue={setDisplayName} {...form.field('displayName')} />
        <div className="field-pair">
          <div>
            <NewPasswordField id="bootstrap-password" label={t('bootstrap.password')} value={password} onValue={setPassword} {...form.field('password')} />
          </div>
          <div>
            <NewPasswordField id="bootstrap-confirm" label={t('bootstrap.confirm')} value={confirm} onValue={setConfirm} {...form.field('confirm')} />
          </div>
        </div>
        <FormFooter form={form} busy={busy} submit={t('bootstrap.submit')} busyText={t('bootstrap.busy')} size="wide" />
      </form>
    </section>
  );
}
