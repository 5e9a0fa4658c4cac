// The oversight screens' own validation messages, as bilingual data in the
// shape of main's errors: Problem and StepUpDialog show them unchanged, and a
// language switch re-renders them in the new language.
import type { AppErrorData } from '../shared/errors';
import { enOversight } from './i18n/en-oversight';
import { zhOversight, type OversightMessages } from './i18n/zh-oversight';

export const localError = (pick: (m: OversightMessages) => string): AppErrorData => ({
  code: 'INVALID_INPUT',
  message: { zh: pick(zhOversight), en: pick(enOversight) },
});

/** A field's setter that also clears its form's problem: once the person is fixing things, the old message misleads. */
export const clearing =
  <T>(form: { problem: unknown; clear: () => void }, set: (v: T) => void) =>
  (v: T): void => {
    set(v);
    if (form.problem) form.clear();
  };
