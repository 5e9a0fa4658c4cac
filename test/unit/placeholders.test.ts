import { describe, expect, it } from 'vitest';
import { bindValues, numberPlaceholders } from '../../main/store/engine/placeholders';
import { StoreUsageError } from '../../main/store/engine/store';

describe('numbering placeholders for PostgreSQL', () => {
  it('numbers ? in order and binds positional values as they are', () => {
    const n = numberPlaceholders('SELECT * FROM t WHERE a = ? AND b IN (?, ?)');
    expect(n.text).toBe('SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)');
    const blob = new Uint8Array([1]);
    expect(bindValues(n, [1, 'x', blob])).toEqual([1, 'x', blob]);
  });

  it('gives each @name one number, however often it appears, and binds by name', () => {
    const n = numberPlaceholders('UPDATE t SET a = @a, b = @b WHERE a <> @a');
    expect(n.text).toBe('UPDATE t SET a = $1, b = $2 WHERE a <> $1');
    expect(bindValues(n, [{ b: 2, a: 1, unused: 3 }])).toEqual([1, 2]);
    // As SQLite does: a statement with no placeholder takes the same object and uses none of it.
    expect(bindValues(numberPlaceholders('SELECT 1'), [{ a: 1 }])).toEqual([]);
  });

  it('leaves quoted strings, quoted identifiers, comments, dollar quotes, casts and e-mail-like text alone', () => {
    const sql = `SELECT '?', 'it''s @x', "odd?col", x::text, $$ ? @y $$, $f$ ? $f$, ? -- why?\n/* @z? */ FROM t WHERE e = 'a@b' AND n = @n`;
    expect(() => numberPlaceholders(sql)).toThrow(StoreUsageError);
    const positional = numberPlaceholders(sql.replace('@n', '?'));
    expect(positional.text).toBe(`SELECT '?', 'it''s @x', "odd?col", x::text, $$ ? @y $$, $f$ ? $f$, $1 -- why?\n/* @z? */ FROM t WHERE e = 'a@b' AND n = $2`);
    expect(positional.positional).toBe(2);
  });

  it('refuses values that do not fit the placeholders', () => {
    expect(() => bindValues(numberPlaceholders('SELECT ?'), [])).toThrow(StoreUsageError);
    expect(() => bindValues(numberPlaceholders('SELECT @a'), [1])).toThrow(StoreUsageError);
    expect(() => bindValues(numberPlaceholders('SELECT @a'), [{ b: 1 }])).toThrow('no value for @a');
    expect(() => bindValues(numberPlaceholders('SELECT ?'), [{ a: 1 }])).toThrow(StoreUsageError);
  });
});
