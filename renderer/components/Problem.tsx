// One way to show a failure: in the current language, announced at once, and
// tied to its field via `id` so the field can name it in aria-describedby.
import { useTranslation } from 'react-i18next';
import { errorMessages, type AppErrorData, type ErrorCode } from '../../shared/errors';
import { useLang, type Lang } from '../i18n';
import { hasKey } from '../i18n/oversight-text';
import { zh, type Messages } from '../../shared/i18n/zh';
import type { CounterMessages } from '../../shared/i18n/zh-counter';

/** Keys of the renderer's own validation messages. */
export type LocalProblemKey =
  | 'setup.nameRequired'
  | 'setup.mismatch'
  | 'unlock.required'
  | 'import.notCsv'
  | 'lookup.invalid'
  | `form.${keyof Messages['form']}`
  | `counterProblem.${keyof CounterMessages['counterProblem']}`;

/** Kept as data, not text, so a language switch re-renders it in the new language. */
export type ProblemData = { error: AppErrorData } | { local: LocalProblemKey };

/** One of main's errors, found before asking main (the same words either way). */
export const knownError = (code: ErrorCode): ProblemData => ({ error: { code, message: errorMessages[code] } });

/**
 * A screen's own validation messages as bilingual data in the shape of main's
 * errors, picked from its zh and en message files: Problem and StepUpDialog
 * show them unchanged, and a language switch re-renders them in the new language.
 */
export const localErrorsOf =
  <M,>(zh: M, en: M) =>
  (pick: (m: M) => string): AppErrorData => ({ code: 'INVALID_INPUT', message: { zh: pick(zh), en: pick(en) } });

type T = ReturnType<typeof useTranslation>['t'];

/**
 * Main's detail in words a person reads. Refused input comes back as "channel: field, field": shown as
 * the fields' names in the reader's language, or not at all when one has no name here; never as code.
 */
function detailText(error: AppErrorData, t: T, lang: Lang): string | undefined {
  if (error.code !== 'INVALID_INPUT' || !error.detail) return error.detail;
  const fields = error.detail.replace(/^[\w.]+: /, '').split(', ');
  if (!fields.every((f) => hasKey(zh.inputField, f) && f !== 'check')) return undefined;
  // Narrowed to the field names, as in i18n/*-t.ts: checking a built key against every key is too deep for tsc.
  const fieldName = t as unknown as (key: `inputField.${Exclude<keyof Messages['inputField'], 'check'>}`) => string;
  return t('inputField.check', { fields: fields.map((f) => fieldName(`inputField.${f as Exclude<keyof Messages['inputField'], 'check'>}`)).join(lang === 'zh' ? '、' : ', ') });
}

export function Problem({ problem, id }: { problem: ProblemData | null; id: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const detail = problem && 'error' in problem ? detailText(problem.error, t, lang) : undefined;
  // The live region stays mounted so a new message is announced, not just inserted.
  return (
    <div id={id} role="alert" className={problem ? 'problem' : 'problem-empty'}>
      {problem &&
        ('error' in problem ? (
          <>
            <span className="problem-text">{problem.error.message[lang]}</span>
            {detail && <span className="problem-detail">{detail}</span>}
          </>
        ) : (
          <span className="problem-text">{t(problem.local)}</span>
        ))}
    </div>
  );
}
