// 查看完整信息: one full field of one parcel, for a stated purpose. A clerk
// needs the supervisor on the spot (username, PIN and code); a supervisor
// confirms with their own code. Main checks all of it and audits the reveal;
// the value is shown with a visible countdown, then dropped from state.
// Inline, like the step-up dialog: Esc or Close leaves it.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelInput } from '../../shared/ipc/contract';
import { UNMASK_FIELDS, UNMASK_PURPOSES, type UnmaskField, type UnmaskPurpose, type UnmaskResult } from '../../shared/unmask';
import { useFormProblem } from '../forms/form-problem';
import { useLang } from '../i18n';
import { useInvoke, useSession } from '../app/session';
import { isPin, isTotpCode, isUsername } from '../forms/validate';
import { DigitsField, Field, RadioChoice, SelectField, UsernameField } from './Field';
import { FormFooter } from './FormFooter';
import { InlineDialog } from './InlineDialog';
import { knownError } from './Problem';

type FormField = 'note' | 'approver' | 'pin' | 'code';
const PURPOSES = Object.keys(UNMASK_PURPOSES) as UnmaskPurpose[];
/** The field a refusal points at: the note (personal data in it), the PIN, the approver or the code. */
function problemField(code: string, clerk: boolean): 'note' | 'pin' | 'approver' | 'code' {
  if (code === 'PERSONAL_DATA_IN_NOTE') return 'note';
  if (code === 'WRONG_PIN') return 'pin';
  return clerk && code !== 'WRONG_CODE' ? 'approver' : 'code';
}

const FIELD_LABEL = { name: 'lookup.name', phone: 'lookup.phone', address: 'lookup.address' } as const;

export function UnmaskDialog({ parcelId, onClose }: { parcelId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const invoke = useInvoke();
  const { user } = useSession();
  const clerk = user.role !== 'supervisor';
  const [field, setField] = useState<UnmaskField>('phone');
  const [purpose, setPurpose] = useState<UnmaskPurpose>(PURPOSES[0]);
  const [note, setNote] = useState('');
  const [approver, setApprover] = useState('');
  const [pin, setPin] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<UnmaskResult | null>(null);
  const [left, setLeft] = useState(0);
  const [hidden, setHidden] = useState(false);
  const form = useFormProblem<FormField>(`unmask-problem-${parcelId}`);

  // One tick a second; at zero the value leaves state, and with it the screen.
  useEffect(() => {
    if (!shown) return;
    const timer = setInterval(() => setLeft((n) => n - 1), 1000);
    return () => clearInterval(timer);
  }, [shown]);
  useEffect(() => {
    if (shown && left <= 0) {
      setShown(null);
      setHidden(true);
    }
  }, [shown, left]);

  function approval(): ChannelInput<'parcels.unmask'>['approval'] | 'incomplete' | undefined {
    if (!approver && !pin && !code) return undefined; // main says what is missing, and why
    if (!isUsername(approver) || !isPin(pin) || !isTotpCode(code)) return 'incomplete';
    return { username: approver.trim(), pin, totp: code };
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (note.trim().length < 2) return form.fail({ local: 'counterProblem.noteRequired' }, 'note');
    const input: ChannelInput<'parcels.unmask'> = { parcelId, field, purpose, note: note.trim() };
    if (clerk) {
      const a = approval();
      if (a === 'incomplete') return form.fail({ local: 'counterProblem.approvalIncomplete' }, !isUsername(approver) ? 'approver' : !isPin(pin) ? 'pin' : 'code');
      if (a) input.approval = a;
    } else {
      if (!isTotpCode(code)) return form.fail(knownError('STEP_UP_REQUIRED'), 'code');
      input.totp = code;
    }
    setBusy(true);
    const res = await invoke('parcels.unmask', input);
    setBusy(false);
    // A PIN or code is used once, right or wrong.
    setPin('');
    setCode('');
    if (!res.ok) return form.fail({ error: res.error }, problemField(res.error.code, clerk));
    form.clear();
    setHidden(false);
    setLeft(res.value.revealSeconds);
    setShown(res.value);
  }

  return (
    <InlineDialog className="stepup unmask" labelledBy={`unmask-title-${parcelId}`} onClose={onClose}>
      <h2 id={`unmask-title-${parcelId}`}>{t('unmask.title')}</h2>
      <p className="muted">{t('unmask.intro')}</p>
      {shown ? (
        <div className="reveal" data-testid="unmask-value">
          <p className="reveal-label">{t('unmask.value', { field: t(FIELD_LABEL[shown.field]) })}</p>
          <p className="reveal-value">{shown.value}</p>
          <p className="reveal-countdown" aria-live="off">
            {t('unmask.countdown', { n: Math.max(0, left) })}
          </p>
          <button type="button" className="button secondary big" onClick={onClose}>
            {t('unmask.close')} <kbd>Esc</kbd>
          </button>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          {hidden && (
            <p className="ok-note" data-testid="unmask-hidden">
              {t('unmask.hidden')}
            </p>
          )}
          <RadioChoice
            className="choice-row"
            name={`unmask-field-${parcelId}`}
            legend={t('unmask.field')}
            value={field}
            onValue={setField}
            options={UNMASK_FIELDS}
            text={(f) => t(FIELD_LABEL[f])}
          />
          <SelectField
            id={`unmask-purpose-${parcelId}`}
            label={t('unmask.purpose')}
            autoFocus
            value={purpose}
            onValue={setPurpose}
            options={PURPOSES}
            text={(p) => UNMASK_PURPOSES[p][lang]}
          />
          <Field
            id={`unmask-note-${parcelId}`}
            label={t('unmask.note')}
            hint={t('parcel.noteHint')}
            autoComplete="off"
            maxLength={200}
            value={note}
            onValue={setNote}
            {...form.field('note')}
          />
          {clerk ? (
            <fieldset className="approval">
              <legend>{t('unmask.approval')}</legend>
              <div className="approval-grid">
                <div>
                  <UsernameField id={`unmask-approver-${parcelId}`} label={t('unmask.approver')} value={approver} onValue={setApprover} {...form.field('approver')} />
                </div>
                <div>
                  <DigitsField kind="pin" id={`unmask-pin-${parcelId}`} label={t('unmask.pin')} value={pin} onValue={setPin} {...form.field('pin')} />
                </div>
                <div>
                  <DigitsField kind="code" id={`unmask-code-${parcelId}`} label={t('unmask.code')} value={code} onValue={setCode} {...form.field('code')} />
                </div>
              </div>
            </fieldset>
          ) : (
            <DigitsField kind="code" id={`unmask-code-${parcelId}`} label={t('unmask.ownCode')} value={code} onValue={setCode} {...form.field('code')} />
          )}
          <FormFooter form={form} busy={busy} submit={t('unmask.submit')} busyText={t('unmask.busy')} back={{ label: t('unmask.close'), onClick: onClose, esc: true }} />
        </form>
      )}
    </InlineDialog>
  );
}
