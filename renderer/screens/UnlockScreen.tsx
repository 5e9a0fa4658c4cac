// Every start and after locking: the station passphrase opens the store.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StationStatus } from '../../shared/ipc/contract';
import { invoke } from '../ipc/api';
import { PasswordField } from '../components/Field';
import { FormFooter } from '../components/FormFooter';
import { useFormProblem } from '../forms/form-problem';

export function UnlockScreen({ stationName, onStatus }: { stationName: string | null; onStatus: (s: StationStatus) => void }) {
  const { t } = useTranslation();
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormProblem<'passphrase'>('unlock-problem');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!passphrase) return form.fail({ local: 'unlock.required' }, 'passphrase');
    setBusy(true);
    const res = await invoke('station.unlock', { passphrase });
    setBusy(false);
    // The passphrase leaves the form either way: a wrong one is retyped, not edited.
    setPassphrase('');
    if (!res.ok) return form.fail({ error: res.error }, 'passphrase');
    onStatus(res.value);
  }

  return (
    <section className="gate" aria-labelledby="unlock-title">
      <h1 id="unlock-title">{t('unlock.title')}</h1>
      {stationName && <p className="gate-station">{stationName}</p>}
      <form onSubmit={submit} noValidate>
        <PasswordField
          id="unlock-passphrase"
          label={t('unlock.passphrase')}
          autoFocus
          autoComplete="current-password"
          value={passphrase}
          onValue={setPassphrase}
          // readOnly, not disabled: a disabled field would drop the focus.
          readOnly={busy}
          {...form.field('passphrase')}
        />
        <FormFooter form={form} busy={busy} submit={t('unlock.submit')} busyText={t('unlock.busy')} size="wide" />
      </form>
    </section>
  );
}
