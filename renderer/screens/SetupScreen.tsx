// First run: create the encrypted station store.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StationStatus } from '../../shared/ipc/contract';
import { invoke } from '../ipc/api';
import { Field, NewPasswordField } from '../components/Field';
import { FormFooter } from '../components/FormFooter';
import { knownError } from '../components/Problem';
import { useFormProblem } from '../forms/form-problem';

const MIN_PASSPHRASE = 8;
type FieldName = 'name' | 'passphrase' | 'confirm';

export function SetupScreen({ onStatus }: { onStatus: (s: StationStatus) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormProblem<FieldName>('setup-problem');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!name.trim()) return form.fail({ local: 'setup.nameRequired' }, 'name');
    if (passphrase.length < MIN_PASSPHRASE) return form.fail(knownError('WEAK_PASSPHRASE'), 'passphrase');
    if (passphrase !== confirm) {
      setConfirm('');
      return form.fail({ local: 'setup.mismatch' }, 'confirm');
    }
    setBusy(true);
    const res = await invoke('station.init', { stationName: name.trim(), passphrase });
    setBusy(false);
    if (!res.ok) return form.fail({ error: res.error }, res.error.code === 'WEAK_PASSPHRASE' ? 'passphrase' : 'name');
    setPassphrase('');
    setConfirm('');
    onStatus(res.value);
  }

  return (
    <section className="gate" aria-labelledby="setup-title">
      <h1 id="setup-title">{t('setup.title')}</h1>
      <p className="lead">{t('setup.intro')}</p>
      <form onSubmit={submit} noValidate>
        <Field id="setup-name" label={t('setup.stationName')} autoFocus autoComplete="off" maxLength={64} value={name} onValue={setName} {...form.field('name')} />
        <NewPasswordField id="setup-passphrase" label={t('setup.passphrase')} value={passphrase} onValue={setPassphrase} {...form.field('passphrase')} />
        <NewPasswordField id="setup-confirm" label={t('setup.confirm')} value={confirm} onValue={setConfirm} {...form.field('confirm')} />
        <FormFooter form={form} busy={busy} submit={t('setup.submit')} busyText={t('setup.busy')} size="wide" />
      </form>
    </section>
  );
}
