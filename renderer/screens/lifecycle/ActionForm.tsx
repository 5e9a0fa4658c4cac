// A lifecycle form: its fields and its footer; then, outside the form, the
// step-up dialog its button opens (Enter submits, Esc closes the dialog).
import type { ReactNode } from 'react';
import { FormFooter } from '../../components/FormFooter';
import type { ProblemData } from '../../components/Problem';

interface Props {
  /** The form's problem region: useFormProblem's. */
  form: { problemId: string; problem: ProblemData | null };
  label: string;
  tone?: 'primary' | 'secondary';
  big?: boolean;
  onSubmit: () => void;
  /** The step-up dialog's slot (StepUp.slot). */
  slot: ReactNode;
  children: ReactNode;
}

export function ActionForm({ form, label, tone = 'primary', big = false, onSubmit, slot, children }: Props) {
  return (
    <>
      <form
        noValidate
        autoComplete="off"
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        {children}
        <FormFooter form={form} submit={label} size={big ? 'big' : 'plain'} secondary={tone === 'secondary'} />
      </form>
      {slot}
    </>
  );
}
