// Reading outcomes in tests: the AppError code a call threw, and router results.
import { AppError } from '../../shared/errors';

/** The code of the AppError `fn` throws, or undefined when it does not throw. */
export const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? e.code : `not an AppError: ${String(e)}`;
  }
  return undefined;
};

type RouterResult = { ok: boolean; value?: unknown; error?: { code: string } };

/** 'ok', or the error code of a router result. */
export const resultCode = (r: RouterResult): string => (r.ok ? 'ok' : r.error!.code);

/** The value of a router result; a failure fails the test with its code. */
export const valueOf = <T>(r: RouterResult): T => {
  if (!r.ok) throw new Error(r.error!.code);
  return r.value as T;
};
