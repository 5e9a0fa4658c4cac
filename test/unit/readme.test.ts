// README states the permission matrix and the CLI commands; these keep it true.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../shared/actor';
import { ACTIONS, STEP_UP_ACTIONS, type Action } from '../../shared/permissions';
import { commands } from '../../main/cli/commands';

const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');

describe('README', () => {
  it('shows exactly the permission matrix that main enforces', () => {
    const section = readme.split('<!-- permissions:begin -->')[1].split('<!-- permissions:end -->')[0];
    const rows = section.split('\n').filter((l) => l.startsWith('| `'));
    const table = Object.fromEntries(
      rows.map((l) => {
        const cells = l.split('|').slice(1, -1).map((c) => c.trim());
        return [cells[0].replaceAll('`', ''), { roles: cells.slice(1, 4), stepUp: cells[4] === 'TOTP' }];
      }),
    );
    expect(Object.keys(table).sort()).toEqual(Object.keys(ACTIONS).sort());
    for (const [action, roles] of Object.entries(ACTIONS)) {
      expect(table[action].roles, action).toEqual(ROLES.map((r) => ((roles as readonly string[]).includes(r) ? '✓' : '—')));
      expect(table[action].stepUp, action).toBe(STEP_UP_ACTIONS.has(action as Action));
    }
  });

  it('documents every CLI command', () => {
    // A command with flags (`name --db …`) or without any (`name`).
    for (const name of Object.keys(commands)) expect([`| \`${name} `, `| \`${name}\` `].some((row) => readme.includes(row)), name).toBe(true);
  });
});
