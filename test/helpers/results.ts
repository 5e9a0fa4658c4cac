// Reading outcomes in tests: the AppError code a call threw, and router results.
import { AppError } from '../../shared/errors';

const codeOfError = (e: unknown): string => (e instanceof AppError ? e.code : `not an AppError: ${String(e)}`);

/** The code of the AppError `fn` throws (or its promise rejects with), or undefined when it does not. */
export function codeOf(fn: () => Promise<unknown>): Promise<string | undefined>;
export function codeOf(fn: () => unknown): string | undefined;
export function codeOf(fn: () => unknown): string | undefined | Promise<string | undefined> {
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    return codeOfError(e);
  }
  if (result instanceof Promise) return result.then(() => undefined, codeOfError);
  return undefined;
}

type RouterResult = { ok: boolean; value?: unknown; error?: { code: string } };

/** 'ok', or the error code of a router result. */
export const resultCode = (r: RouterResult): string => (r.ok ? 'ok' : r.error!.code);

/** The value of a router result; a failure fails the test with its code. */
export const valueOf = <T>(r: RouterResult): T => {
  if (!r.ok) throw new Error(r.error!.code);
  return r.value as T;
};
