// 记录销毁: how a batch was destroyed, and by whose eyes. The witness is a
// second person (not an auditor) who types their own username, PIN and code
// on the spot; main checks them and refuses the operator as their own witness.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorCode } from '../../../shared/errors';
import { SHRED_METHODS, type ShredBatch, type ShredMethod } from '../../../shared/ipc/ledger';
import { DigitsField, Field, RadioChoice, UsernameField } from '../../components/Field';
import { knownError, Problem } from '../../components/Problem';
import { useFormProblem } from '../../forms/form-problem';
import { clearing, localError } from '../../i18n/oversight-problem';
import { staffText } from '../../i18n/oversight-text';
import { useInvoke } from '../../app/session';
import { isPin, isTotpCode, isUsername } from '../../forms/validate';

type DestroyField = 'detail' | 'witness' | 'pin' | 'code' | 'notes';

/** Which field a refusal from main concerns. */
const FIELD_OF: Partial<Record<ErrorCode, DestroyField>> = {
  WITNESS_IS_OPERATOR: 'witness',
  WITNESS_NOT_ALLOWED: 'witness',
  USER_NOT_FOUND: 'witness',
  LOGIN_FAILED: 'witness',
  ACCOUNT_LOCKED: 'witness',
  ACCOUNT_DISABLED: 'witness',
  TOTP_NOT_ENROLLED: 'witness',
  WRONG_PIN: 'pin',
  WRONG_CODE: 'code',
  PERSONAL_DATA_IN_NOTE: 'notes',
};

export function DestroyForm({ batch, onDestroyed }: { batch: ShredBatch; onDestroyed: (message: string) => void }) {
  const { t } = useTranslation();
  const invoke = useInvoke();
  const [method, setMethod] = useState<ShredMethod>('shredder');
  const [detail, setDetail] = useState('');
  const [witness, setWitness] = useState('');
  const [pin, setPin] = useState('');
  const [code, setCode] = useState('');
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormProblem<DestroyField>('destroy-problem');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (method === 'shredder' && !detail.trim()) return form.fail({ error: localError((m) => m.ledger.destroy.deviceRequired) }, 'detail');
    if (method === 'outsourced' && !detail.trim()) return form.fail({ error: localError((m) => m.ledger.destroy.certificateRequired) }, 'detail');
    if (!isUsername(witness)) return form.fail({ local: 'form.usernameInvalid' }, 'witness');
    if (!isPin(pin)) return form.fail(knownError('WEAK_PIN'), 'pin');
    if (!isTotpCode(code)) return form.fail({ local: 'form.codeInvalid' }, 'code');
    if (notes.trim().length === 1) return form.fail({ error: localError((m) => m.ledger.batch.noteInvalid) }, 'notes');
    setBusy(true);
    const res = await invoke('ledger.destroy', {
      batchId: batch.id,
      method,
      deviceId: method === 'shredder' ? detail.trim() : undefined,
      certificate: method === 'outsourced' ? detail.trim() : undefined,
      witness: { username: witness.trim(), pin, totp: code },
      notes: notes.trim() || undefined,
    });
    setBusy(false);
    // Tried once, a PIN and code stay with their owner: the next try types them again.
    setPin('');
    setCode('');
    if (!res.ok) return form.fail({ error: res.error }, FIELD_OF[res.error.code] ?? null);
    form.clear();
    const d = res.value;
    onDestroyed(t('ledger.destroy.done', { batch: d.batchId, sheets: d.sheets, id: d.id, witness: staffText(d.witness) }));
  }

  return (
    <form className="destroy-form" onSubmit={submit} noValidate aria-labelledby="destroy-title">
      <h3 id="destroy-title">{t('ledger.destroy.title')}</h3>
      <p className="hint">{t('ledger.destroy.intro')}</p>
      <RadioChoice
        className="method-choice"
        name="destroy-method"
        legend={t('ledger.destroy.method')}
        value={method}
        onValue={(m) => {
          setMethod(m);
          setDetail('');
        }}
        options={SHRED_METHODS}
        text={(m) => t(`ledger.destroy.${m}`)}
      />
      {method !== 'burn' && (
        <div className="destroy-detail">
          <Field
            id="destroy-detail"
            label={method === 'shredder' ? t('ledger.destroy.deviceId') : t('ledger.destroy.certificate')}
            autoComplete="off"
            spellCheck={false}
            maxLength={method === 'shredder' ? 40 : 60}
            value={detail}
            onValue={clearing(form, setDetail)}
            {...form.field('detail')}
          />
        </div>
      )}
      <fieldset className="witness">
        <legend>{t('ledger.destroy.witness')}</legend>
        <div className="witness-grid">
          <div>
            <UsernameField id="witness-username" label={t('ledger.destroy.witnessUsername')} value={witness} onValue={clearing(form, setWitness)} {...form.field('witness')} />
          </div>
          <div>
            <DigitsField kind="pin" id="witness-pin" label={t('ledger.destroy.witnessPin')} value={pin} onValue={clearing(form, setPin)} {...form.field('pin')} />
          </div>
          <div>
            <DigitsField kind="code" id="witness-code" label={t('ledger.destroy.witnessCode')} value={code} onValue={clearing(form, setCode)} {...form.field('code')} />
          </div>
        </div>
      </fieldset>
      <Field id="destroy-notes" label={t('ledger.destroy.notes')} autoComplete="off" maxLength={200} value={notes} onValue={clearing(form, setNotes)} {...form.field('notes')} />
      <Problem id={form.problemId} problem={form.problem} />
      <button type="submit" className="button primary big" aria-disabled={busy}>
        {busy ? t('ledger.destroy.busy') : t('ledger.destroy.submit')}
      </button>
    </form>
  );
}
