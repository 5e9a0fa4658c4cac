// First run: create the encrypted station store.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StationStatus } from '../../shared/ipc/contract';
import { invoke } from '../api';
import { PasswordField } from '../components/Field';
import { knownError, Problem, type ProblemData } from '../components/Problem';

const MIN_PASSPHRASE = 8;
type Field = 'name' | 'passphrase' | 'confirm';

export function SetupScreen({ onStatus }: { onStatus: (s: StationStatus) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<{ data: ProblemData; field: Field } | null>(null);
  const [busy, setBusy] = useState(false);
  const refs = { name: useRef<HTMLInputElement>(null), passphrase: useRef<HTMLInputElement>(null), confirm: useRef<HTMLInputElement>(null) };

  function fail(data: ProblemData, field: Field) {
    setProblem({ data, field });
    refs[field].current?.focus();
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!name.trim()) return fail({ local: 'setup.nameRequired' }, 'name');
    if (passphrase.length < MIN_PASSPHRASE) {
      return fail(knownError('WEAK_PASSPHRASE'), 'passphrase');
    }
    if (passphrase !== confirm) {
      setConfirm('');
      return fail({ local: 'setup.mismatch' }, 'confirm');
    }
    setBusy(true);
    const res = await invoke('station.init', { stationName: name.trim(), passphrase });
    setBusy(false);
    if (!res.ok) return fail({ error: res.error }, res.error.code === 'WEAK_PASSPHRASE' ? 'passphrase' : 'name');
    setPassphrase('');
    setConfirm('');
    onStatus(res.value);
  }

  const describe = (field: Field) => (problem?.field === field ? 'setup-problem' : undefined);
  return (
    <section className="gate" aria-labelledby="setup-title">
      <h1 id="setup-title">{t('setup.title')}</h1>
      <p className="lead">{t('setup.intro')}</p>
      <form onSubmit={submit} noValidate>
        <label htmlFor="setup-name">{t('setup.stationName')}</label>
        <input
          id="setup-name"
          ref={refs.name}
          className="field"
          autoFocus
          autoComplete="off"
          maxLength={64}
          value={name}
          aria-invalid={problem?.field === 'name'}
          aria-describedby={describe('name')}
          onChange={(e) => setName(e.target.value)}
        />
        <PasswordField
          id="setup-passphrase"
          ref={refs.passphrase}
          label={t('setup.passphrase')}
          autoComplete="new-password"
          value={passphrase}
          onValue={setPassphrase}
          invalid={problem?.field === 'passphrase'}
          problemId="setup-problem"
        />
        <PasswordField
          id="setup-confirm"
          ref={refs.confirm}
          label={t('setup.confirm')}
          autoComplete="new-password"
          value={confirm}
          onValue={setConfirm}
          invalid={problem?.field === 'confirm'}
          problemId="setup-problem"
        />
        <Problem id="setup-problem" problem={problem?.data ?? null} />
        <button type="submit" className="button primary wide" disabled={busy}>
          {busy ? t('setup.busy') : t('setup.submit')}
        </button>
      </form>
    </section>
  );
}
