// Canonical JSON for chain payloads: the same value always gives the same
// bytes, so a hash over it can be recomputed by anyone, years later, in any
// language. Keys are sorted by UTF-16 code units (as RFC 8785 does), there is
// no whitespace, and only values with one obvious encoding are accepted:
// strings, safe integers, booleans, null, arrays and plain objects. Floats are
// refused because their decimal form differs between runtimes (1e21, 0.1+0.2);
// amounts go in as integers of the smallest unit (fen, grams).
import { AppError } from '../../shared/errors';

export type CanonicalValue =
  | string
  | number
  | boolean
  | null
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue };

const MAX_DEPTH = 32;

/** Only the path goes into the error, never the value: payloads can be near personal data. */
function reject(path: string, why: string): never {
  throw new AppError('INVALID_INPUT', `chain payload ${path}: ${why}`);
}

function encode(value: unknown, path: string, depth: number): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      // Since ES2019 lone surrogates come out escaped, so the output is always valid UTF-8.
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) reject(path, 'only safe integers are allowed (no floats, NaN or Infinity)');
      return Object.is(value, -0) ? '0' : String(value);
    case 'object':
      break;
    default:
      reject(path, `${typeof value} is not allowed`);
  }
  if (depth >= MAX_DEPTH) reject(path, `nested deeper than ${MAX_DEPTH}`);
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) reject(`${path}[${i}]`, 'sparse arrays are not allowed');
      parts.push(encode(value[i], `${path}[${i}]`, depth + 1));
    }
    return `[${parts.join(',')}]`;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) reject(path, 'only plain objects are allowed (no Date, Map, class instances)');
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    if (obj[key] === undefined) reject(`${path}.${key}`, 'undefined is not allowed');
    parts.push(`${JSON.stringify(key)}:${encode(obj[key], `${path}.${key}`, depth + 1)}`);
  }
  return `{${parts.join(',')}}`;
}

/** Throws AppError('INVALID_INPUT') naming the offending path. */
export function canonicalJson(value: unknown): string {
  return encode(value, '$', 0);
}
