// A form's end: its one problem region, the submit button (which says when it
// is busy) and, where there is one, the way back out.
import { Problem, type ProblemData } from './Problem';

interface Props {
  /** The form's problem region: useFormProblem's, or any with the same two fields. */
  form: { problemId: string; problem: ProblemData | null };
  busy: boolean;
  submit: string;
  busyText: string;
  /** Cancel, Close or Back; `esc` where Escape does the same (the inline dialogs). */
  back?: { label: string; onClick: () => void; esc?: boolean };
  /** Full-width buttons, as on the gate screens; otherwise big ones. */
  wide?: boolean;
}

export function FormFooter({ form, busy, submit, busyText, back, wide = false }: Props) {
  const size = wide ? 'wide' : 'big';
  return (
    <>
      <Problem id={form.problemId} problem={form.problem} />
      <div className="button-row">
        <button type="submit" className={`button primary ${size}`} disabled={busy}>
          {busy ? busyText : submit}
        </button>
        {back && (
          <button type="button" className={`button secondary ${size}`} onClick={back.onClick}>
            {back.label}
            {back.esc && (
              <>
                {' '}
                <kbd>Esc</kbd>
              </>
            )}
          </button>
        )}
      </div>
    </>
  );
}
