// Resume or switch to a shift already open on this PC: pick a name (or type
// the username) and enter that person's PIN. The password and code were given
// at the start of the shift; the PIN proves the same person is back.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionStatus } from '../../shared/ipc/contract';
import { invoke } from '../ipc/api';
import { useFormProblem } from '../forms/form-problem';
import { isPin, isUsername } from '../forms/validate';
import { DigitsField, UsernameField } from './Field';
import { knownError, Problem } from './Problem';

interface Props {
  shifts: SessionStatus['openShifts'];
  /** The locked shift on the lock screen: chosen from the start, its PIN field focused. */
  locked?: string;
  onStatus: (s: SessionStatus) => void;
}

export function ShiftSwitch({ shifts, locked, onStatus }: Props) {
  const { t } = useTranslation();
  const [username, setUsername] = useState(locked ?? '');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormProblem<'username' | 'pin'>('switch-problem');

  function choose(name: string) {
    setUsername(name);
    setPin('');
    form.clear();
    form.focus('pin');
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!isUsername(username)) return form.fail({ local: 'form.usernameInvalid' }, 'username');
    if (!isPin(pin)) return form.fail(knownError('WEAK_PIN'), 'pin');
    setBusy(true);
    const res = await invoke('auth.resume', { username: username.trim(), pin });
    setBusy(false);
    setPin('');
    if (res.ok) return onStatus(res.value);
    form.fail({ error: res.error }, res.error.code === 'NO_OPEN_SHIFT' ? 'username' : 'pin');
  }

  return (
    <form className="shift-switch" onSubmit={submit} noValidate>
      {shifts.length > 0 && (
        <fieldset className="shift-list">
          <legend>{t('shifts.hint')}</legend>
          {shifts.map((s) => (
            <button
              key={s.username}
              type="button"
              className="shift"
              aria-pressed={s.username === username.trim()}
              onClick={() => choose(s.username)}
            >
              <span className="shift-name">{s.displayName}</span>
              <span className="shift-user">{s.username === locked ? `${s.username} · ${t('shifts.locked')}` : s.username}</span>
            </button>
          ))}
        </fieldset>
      )}
      <div className="shift-fields">
        <div>
          <UsernameField id="switch-username" label={t('shifts.username')} value={username} onValue={setUsername} {...form.field('username')} />
        </div>
        <div>
          <DigitsField kind="pin" id="switch-pin" label={t('shifts.pin')} autoFocus={locked !== undefined} value={pin} onValue={setPin} {...form.field('pin')} />
        </div>
        <button type="submit" className="button primary big" disabled={busy}>
          {busy ? t('shifts.busy') : t('shifts.submit')}
        </button>
      </div>
      <Problem id={form.problemId} problem={form.problem} />
    </form>
  );
}
