// The oversight screens' own validation messages (see localErrorsOf), and
// a setter that clears a form's problem.
import { localErrorsOf } from '../components/Problem';
import { enOversight } from '../../shared/i18n/en-oversight';
import { zhOversight } from '../../shared/i18n/zh-oversight';

export const localError = localErrorsOf(zhOversight, enOversight);

/** A field's setter that also clears its form's problem: once the person is fixing things, the old message misleads. */
export const clearing =
  <T>(form: { problem: unknown; clear: () => void }, set: (v: T) => void) =>
  (v: T): void => {
    set(v);
    if (form.problem) form.clear();
  };
