// A form's end: its one problem region, the submit button (which says when it
// is busy) and, where there is one, the way back out.
import { Problem, type ProblemData } from './Problem';

interface Props {
  /** The form's problem region: useFormProblem's, or any with the same two fields. */
  form: { problemId: string; problem: ProblemData | null };
  submit: string;
  /** While the form's call runs: the submit button is disabled and says `busyText`. */
  busy?: boolean;
  busyText?: string;
  /** Cancel, Close or Back; `esc` where Escape does the same (the inline dialogs). */
  back?: { label: string; onClick: () => void; esc?: boolean };
  /** Full-width buttons, as on the gate screens; big ones (the default); or plain, for one form of several on a page. */
  size?: 'wide' | 'big' | 'plain';
  /** A secondary submit button, for a form whose act is not the page's main one. */
  secondary?: boolean;
}

export function FormFooter({ form, submit, busy = false, busyText, back, size = 'big', secondary = false }: Props) {
  const sized = (tone: string) => (size === 'plain' ? `button ${tone}` : `button ${tone} ${size}`);
  return (
    <>
      <Problem id={form.problemId} problem={form.problem} />
      <div className="button-row">
        <button type="submit" className={sized(secondary ? 'secondary' : 'primary')} disabled={busy}>
          {busy && busyText ? busyText : submit}
        </button>
        {back && (
          <button type="button" className={sized('secondary')} onClick={back.onClick}>
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
