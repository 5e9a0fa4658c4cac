// Every start and after locking: the station passphrase opens the store.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StationStatus } from '../../shared/ipc/contract';
import { invoke } from '../api';
import { Problem, type ProblemData } from '../components/Problem';

export function UnlockScreen({ stationName, onStatus }: { stationName: string | null; onStatus: (s: StationStatus) => void }) {
  const { t } = useTranslation();
  const [passphrase, setPassphrase] = useState('');
  const [problem, setProblem] = useState<ProblemData | null>(null);
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!passphrase) {
      setProblem({ local: 'unlock.required' });
      field.current?.focus();
      return;
    }
    setBusy(true);
    const res = await invoke('station.unlock', { passphrase });
    setBusy(false);
    // The passphrase leaves the form either way: a wrong one is retyped, not edited.
    setPassphrase('');
    if (!res.ok) {
      setProblem({ error: res.error });
      field.current?.focus();
      return;
    }
    onStatus(res.value);
  }

  return (
    <section className="gate" aria-labelledby="unlock-title">
      <h1 id="unlock-title">{t('unlock.title')}</h1>
      {stationName && <p className="gate-station">{stationName}</p>}
      <form onSubmit={submit} noValidate>
        <label htmlFor="unlock-passphrase">{t('unlock.passphrase')}</label>
        <input
          id="unlock-passphrase"
          ref={field}
          className="field"
          type="password"
          autoFocus
          autoComplete="current-password"
          maxLength={256}
          value={passphrase}
          // readOnly, not disabled: a disabled field would drop the focus.
          readOnly={busy}
          aria-invalid={problem !== null}
          aria-describedby="unlock-problem"
          onChange={(e) => setPassphrase(e.target.value)}
        />
        <Problem id="unlock-problem" problem={problem} />
        <button type="submit" className="button primary wide" disabled={busy}>
          {busy ? t('unlock.busy') : t('unlock.submit')}
        </button>
      </form>
    </section>
  );
}
