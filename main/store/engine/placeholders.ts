// The store's placeholders (`?` in order, `@name` by name) as PostgreSQL's
// numbered `$n`. Quoted strings, quoted identifiers, dollar-quoted bodies and
// comments are copied as they are, so a `?` or `@` inside them is left alone.
import { StoreUsageError, type SqlParams, type SqlValue } from './store';

export interface Numbered {
  text: string;
  /** Names of the `@name` placeholders by position, or null when the SQL uses `?`. */
  names: string[] | null;
  /** How many `?` placeholders the SQL has. */
  positional: number;
}

const identStart = /[A-Za-z_]/;
const identPart = /[A-Za-z0-9_]/;

/** Index just past the quoted or commented span starting at `i`, or `i` when none starts there. */
function skipLiteral(sql: string, i: number): number {
  const c = sql[i];
  if (c === "'" || c === '"') {
    let j = i + 1;
    while (j < sql.length) {
      if (sql[j] === c) {
        if (sql[j + 1] === c) j += 2; // a doubled quote stays inside
        else return j + 1;
      } else j++;
    }
    return sql.length;
  }
  if (c === '-' && sql[i + 1] === '-') {
    const end = sql.indexOf('\n', i);
    return end < 0 ? sql.length : end;
  }
  if (c === '/' && sql[i + 1] === '*') {
    const end = sql.indexOf('*/', i + 2);
    return end < 0 ? sql.length : end + 2;
  }
  if (c === '$') {
    const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64))?.[0];
    if (tag) {
      const end = sql.indexOf(tag, i + tag.length);
      return end < 0 ? sql.length : end + tag.length;
    }
  }
  return i;
}

export function numberPlaceholders(sql: string): Numbered {
  let text = '';
  let positional = 0;
  const names: string[] = [];
  let i = 0;
  while (i < sql.length) {
    const skipped = skipLiteral(sql, i);
    if (skipped > i) {
      text += sql.slice(i, skipped);
      i = skipped;
      continue;
    }
    const c = sql[i];
    if (c === '?') {
      text += `$${++positional}`;
      i++;
    } else if (c === '@' && identStart.test(sql[i + 1] ?? '') && !identPart.test(sql[i - 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && identPart.test(sql[j])) j++;
      const name = sql.slice(i + 1, j);
      let n = names.indexOf(name);
      if (n < 0) n = names.push(name) - 1;
      text += `$${n + 1}`;
      i = j;
    } else {
      text += c;
      i++;
    }
  }
  if (positional > 0 && names.length > 0) throw new StoreUsageError('a statement mixes ? and @name placeholders');
  return { text, names: names.length > 0 ? names : null, positional };
}

const isNamed = (params: SqlParams): params is readonly [Readonly<Record<string, SqlValue>>] =>
  params.length === 1 && params[0] !== null && typeof params[0] === 'object' && !ArrayBuffer.isView(params[0]);

/** The values in `$n` order. */
export function bindValues(numbered: Numbered, params: SqlParams): SqlValue[] {
  if (numbered.names) {
    if (!isNamed(params)) throw new StoreUsageError('@name placeholders need one object of values');
    const values = params[0];
    return numbered.names.map((name) => {
      if (!(name in values)) throw new StoreUsageError(`no value for @${name}`);
      return values[name];
    });
  }
  if (isNamed(params)) {
    // As in SQLite, a values object binds only the names a statement uses: one with none uses none.
    if (numbered.positional === 0) return [];
    throw new StoreUsageError('? placeholders need positional values');
  }
  if (params.length !== numbered.positional) {
    throw new StoreUsageError(`the statement has ${numbered.positional} placeholders, ${params.length} values given`);
  }
  return params as SqlValue[];
}
