// A period of whole local days: two date fields side by side.
import { useTranslation } from 'react-i18next';
import type { AppErrorData } from '../../shared/errors';
import { isDay } from '../platform/dates';
import { localError } from '../i18n/oversight-problem';

export interface Period {
  from: string;
  to: string;
}

interface Props {
  idPrefix: string;
  value: Period;
  onValue: (p: Period) => void;
  /** The form's field props (useFormProblem().field), so its problem can mark and focus a day. */
  field?: (name: keyof Period) => { ref: (el: HTMLElement | null) => void; invalid: boolean; problemId: string };
}

export function PeriodFields({ idPrefix, value, onValue, field }: Props) {
  const { t } = useTranslation();
  return (
    <>
      {(['from', 'to'] as const).map((key) => {
        const id = `${idPrefix}-${key}`;
        const f = field?.(key);
        return (
          <div key={key}>
            <label htmlFor={id}>{t(`period.${key}`)}</label>
            <input
              ref={f?.ref}
              id={id}
              type="date"
              className="field"
              value={value[key]}
              aria-invalid={f?.invalid ?? false}
              aria-describedby={f?.invalid ? f.problemId : undefined}
              onChange={(e) => onValue({ ...value, [key]: e.target.value })}
            />
          </div>
        );
      })}
    </>
  );
}

/** What is wrong with a period, and in which field; null when it is fine. Optional days may be left empty. */
export function checkPeriod(p: Period, required: boolean): { field: keyof Period; error: AppErrorData } | null {
  for (const field of ['from', 'to'] as const) {
    if (p[field] ? !isDay(p[field]) : required) return { field, error: localError((m) => m.period.required) };
  }
  if (p.from && p.to && p.from > p.to) return { field: 'to', error: localError((m) => m.period.order) };
  return null;
}
