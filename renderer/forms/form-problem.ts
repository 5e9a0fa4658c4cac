// A form's one problem region. A problem may concern a field: that field is
// then marked invalid, names the region in aria-describedby and gets the focus.
import { useRef, useState } from 'react';
import type { ProblemData } from '../components/Problem';

export function useFormProblem<F extends string>(problemId: string) {
  const inputs = useRef(new Map<F, HTMLElement>());
  const [state, setState] = useState<{ data: ProblemData; field: F | null } | null>(null);
  return {
    problem: state?.data ?? null,
    problemId,
    fail(data: ProblemData, field: F | null = null): void {
      setState({ data, field });
      if (field) inputs.current.get(field)?.focus();
    },
    clear: () => setState(null),
    focus: (field: F) => inputs.current.get(field)?.focus(),
    /** Props for the Field that holds `name`. */
    field: (name: F) => ({
      ref: (el: HTMLElement | null) => {
        if (el) inputs.current.set(name, el);
        else inputs.current.delete(name);
      },
      invalid: state?.field === name,
      problemId,
    }),
  };
}
