// The lifecycle screens' one pending change: what it is, in words, and the
// call that sends it with the supervisor's code. Its StepUpDialog is shown in
// the slot next to the button that asked for it. Main's refusal stays in the
// dialog; a value goes to `done`, and the dialog closes.
import { useCallback, useState } from 'react';
import type { AppErrorData } from '../../../shared/errors';
import type { Result } from '../../../shared/ipc/contract';
import { localErrorsOf } from '../../components/Problem';
import { StepUpDialog } from '../../components/StepUpDialog';
import { enLifecycle } from '../../../shared/i18n/en-lifecycle';
import { zhLifecycle } from '../../../shared/i18n/zh-lifecycle';

/** The lifecycle screens' own validation messages. */
export const lcError = localErrorsOf(zhLifecycle, enLifecycle);

interface Pending {
  where: string;
  action: string;
  send: (totp: string) => Promise<AppErrorData | null>;
}

export function useStepUp() {
  const [pending, setPending] = useState<Pending | null>(null);
  const ask = useCallback(<T,>(where: string, action: string, call: (totp: string) => Promise<Result<T>>, done: (value: T) => void) => {
    const send = async (totp: string) => {
      const res = await call(totp);
      if (!res.ok) return res.error;
      done(res.value);
      return null;
    };
    setPending({ where, action, send });
  }, []);
  const slot = (where: string) =>
    pending?.where === where ? (
      <StepUpDialog
        action={pending.action}
        onCancel={() => setPending(null)}
        onConfirm={async (totp) => {
          const refusal = await pending.send(totp);
          if (!refusal) setPending(null);
          return refusal;
        }}
      />
    ) : null;
  return { ask, slot };
}

export type StepUp = ReturnType<typeof useStepUp>;
