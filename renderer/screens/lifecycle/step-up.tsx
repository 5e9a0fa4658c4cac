// The lifecycle screens' one pending change: what it is, in words, and how to
// send it with the supervisor's code. Its StepUpDialog is shown in the slot
// next to the button that asked for it.
import { useCallback, useState, type ReactNode } from 'react';
import type { AppErrorData } from '../../../shared/errors';
import { StepUpDialog } from '../../components/StepUpDialog';
import { enLifecycle } from '../../i18n/en-lifecycle';
import { zhLifecycle, type LifecycleMessages } from '../../i18n/zh-lifecycle';

/** A validation message in the shape of main's errors, so Problem and StepUpDialog show it in either language. */
export const lcError = (pick: (m: LifecycleMessages) => string): AppErrorData => ({
  code: 'INVALID_INPUT',
  message: { zh: pick(zhLifecycle), en: pick(enLifecycle) },
});

interface Pending {
  where: string;
  action: string;
  run: (totp: string) => Promise<AppErrorData | null>;
  extra?: ReactNode;
}

export function useStepUp() {
  const [pending, setPending] = useState<Pending | null>(null);
  const ask = useCallback((where: string, action: string, run: Pending['run'], extra?: ReactNode) => setPending({ where, action, run, extra }), []);
  const cancel = useCallback(() => setPending(null), []);
  const slot = (where: string) =>
    pending?.where === where ? (
      <StepUpDialog
        action={pending.action}
        onCancel={cancel}
        onConfirm={async (totp) => {
          const refusal = await pending.run(totp);
          if (!refusal) setPending(null);
          return refusal;
        }}
      >
        {pending.extra}
      </StepUpDialog>
    ) : null;
  return { ask, cancel, slot, pendingAt: pending?.where ?? null };
}

export type StepUp = ReturnType<typeof useStepUp>;
