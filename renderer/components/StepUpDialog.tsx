// Step-up: a supervisor's change is sent with a fresh authenticator code, in
// an inline dialog that Esc or Cancel closes.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppErrorData } from '../../shared/errors';
import { useFormProblem } from '../forms/form-problem';
import { isTotpCode } from '../forms/validate';
import { DigitsField } from './Field';
import { FormFooter } from './FormFooter';
import { InlineDialog } from './InlineDialog';

interface Props {
  /** What is being confirmed, in words. */
  action: string;
  /** Sends the change with the code; resolves to main's refusal, or null once done. */
  onConfirm: (totp: string) => Promise<AppErrorData | null>;
  onCancel: () => void;
  /** Extra choices for the change (e.g. the new role), shown above the code; they take the focus. */
  children?: ReactNode;
}

export function StepUpDialog({ action, onConfirm, onCancel, children }: Props) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormProblem<'code'>('stepup-problem');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!isTotpCode(code)) return form.fail({ local: 'form.codeInvalid' }, 'code');
    setBusy(true);
    const refusal = await onConfirm(code);
    setBusy(false);
    if (!refusal) return;
    // The code was used up (or refused): the next try needs the next one.
    setCode('');
    form.fail({ error: refusal }, 'code');
  }

  return (
    <InlineDialog className="stepup" labelledBy="stepup-title" describedBy="stepup-action" onClose={onCancel}>
      <h2 id="stepup-title">{t('stepUp.title')}</h2>
      <p id="stepup-action" className="stepup-action">
        {action}
      </p>
      <form onSubmit={submit} noValidate>
        {children}
        <DigitsField kind="code" id="stepup-code" label={t('stepUp.code')} autoFocus={!children} value={code} onValue={setCode} {...form.field('code')} />
        <FormFooter form={form} busy={busy} submit={t('stepUp.confirm')} busyText={t('stepUp.busy')} back={{ label: t('stepUp.cancel'), onClick: onCancel, esc: true }} />
      </form>
    </InlineDialog>
  );
}
