// Architecture guard, independent of eslint: services under main/ run under
// plain Node, so only main/shell/ may load electron; shared/ is pure TypeScript
// used by both sides. Specifiers come from TypeScript's own pre-parser, which
// sees static imports, re-exports, `import x = require()`, require() and
// import() but not comments or strings.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');

function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

const isElectron = (spec: string) => spec === 'electron' || spec.startsWith('electron/');
const isNodeBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]);

/** A relative import from `fromFile` that lands outside every one of `dirs` (relative to the root). */
function leaves(spec: string, fromFile: string, dirs: string[]): boolean {
  if (!spec.startsWith('.')) return false;
  const target = path.resolve(path.dirname(fromFile), spec);
  return dirs.every((dir) => {
    const rel = path.relative(path.join(ROOT, ...dir.split('/')), target);
    return rel === '..' || rel.startsWith(`..${path.sep}`);
  });
}

type Violation = (spec: string, fromFile: string) => string | null;

/** Why a file that may build on `dirs` alone may not import `spec`, or null if it may. */
const onlyFrom =
  (dirs: string[]): Violation =>
  (spec, fromFile) => {
    if (isElectron(spec)) return 'electron';
    if (isNodeBuiltin(spec)) return 'a Node built-in';
    if (leaves(spec, fromFile, dirs)) return 'a module outside shared/';
    return null;
  };

/** Like `onlyFrom`, for a main-process layer: Node and packages allowed, project modules only from `dirs`. */
const belowOnly =
  (dirs: string[]): Violation =>
  (spec, fromFile) => {
    if (isElectron(spec)) return 'electron';
    if (leaves(spec, fromFile, dirs)) return 'a module above it';
    return null;
  };

// shared/ is pure TypeScript; the preload runs sandboxed in the renderer, on shared/ alone;
// the store sits under every service (chain/ included), so it never calls up into one.
const GUARDED: { dir: string; violation: Violation; rule: string }[] = [
  { dir: 'shared', violation: onlyFrom(['shared']), rule: 'shared/ imports no Node, no electron and nothing outside shared/' },
  { dir: 'main/preload', violation: onlyFrom(['shared', 'main/preload']), rule: 'main/preload/ imports only shared/ (it runs in the sandboxed renderer)' },
  { dir: 'main/store', violation: belowOnly(['shared', 'main/crypto', 'main/store']), rule: 'main/store/ builds only on shared/ and main/crypto/' },
  { dir: 'main/time', violation: belowOnly(['main/time']), rule: 'main/time/ is a leaf every service may use' },
];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

const SHELL = path.join(ROOT, 'main', 'shell') + path.sep;

describe('layering detector self-check', () => {
  it.each([
    "import { app } from 'electron';",
    "import type { Session } from 'electron';",
    "import 'electron';",
    "export { ipcMain } from 'electron/main';",
    "import e = require('electron');",
    "const { safeStorage } = require('electron');",
    "const m = await import('electron');",
  ])('flags %s', (src) => {
    expect(importsOf(src).some(isElectron)).toBe(true);
  });

  it('ignores comments, strings and look-alike packages', () => {
    const src = "// require('electron')\nconst s = \"import('electron')\";\nimport b from 'electron-builder';";
    expect(importsOf(src).filter(isElectron)).toEqual([]);
  });

  it.each([
    {
      file: 'shared/ipc/x.ts',
      cases: [
        ["import fs from 'node:fs';", 'a Node built-in'],
        ["import path from 'path';", 'a Node built-in'],
        ["import { readFile } from 'fs/promises';", 'a Node built-in'],
        ["import { app } from 'electron';", 'electron'],
        ["import { r } from '../../main/ipc/router';", 'a module outside shared/'],
        ["import { v } from '../../renderer/App';", 'a module outside shared/'],
        ["import { ok } from '../errors';", null],
        ["import { z } from 'zod';", null],
      ],
    },
    {
      file: 'main/preload/api.ts',
      cases: [
        ["import fs from 'node:fs';", 'a Node built-in'],
        ["import { sm3 } from '../crypto/sm3';", 'a module outside shared/'],
        ["import { router } from '../../main/ipc/router';", 'a module outside shared/'],
        ["import { AppError } from '../../shared/errors';", null],
        ["import { helper } from './helper';", null],
      ],
    },
    {
      file: 'main/store/station.ts',
      cases: [
        ["import { ensureSigningKey } from '../chain/signing-key';", 'a module above it'],
        ["import { app } from 'electron';", 'electron'],
        ["import { existsSync } from 'node:fs';", null],
        ["import { sealText } from '../crypto/envelope';", null],
        ["import { AppError } from '../../shared/errors';", null],
        ["import { migrate } from './migrations';", null],
      ],
    },
  ])('flags Node, electron and escaping imports in $file', ({ file, cases }) => {
    const guard = GUARDED.find((g) => file.startsWith(`${g.dir}/`))!;
    const src = cases.map(([line]) => line).join('\n');
    expect(importsOf(src).map((spec) => guard.violation(spec, path.join(ROOT, ...file.split('/'))))).toEqual(cases.map(([, why]) => why));
  });
});

describe('layering', () => {
  const mainFiles = tsFiles(path.join(ROOT, 'main')).filter((f) => !f.startsWith(SHELL));
  const sharedFiles = tsFiles(path.join(ROOT, 'shared'));

  it('finds the sources it guards', () => {
    expect(mainFiles.length).toBeGreaterThan(0);
    expect(sharedFiles.length).toBeGreaterThan(0);
  });

  it('only main/shell/ imports electron', () => {
    const offenders = mainFiles.flatMap((f) =>
      importsOf(readFileSync(f, 'utf8'))
        .filter(isElectron)
        .map((spec) => `${path.relative(ROOT, f)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it.each(GUARDED)('$rule', ({ dir, violation }) => {
    const files = tsFiles(path.join(ROOT, ...dir.split('/')));
    expect(files.length).toBeGreaterThan(0);
    const offenders = files.flatMap((f) =>
      importsOf(readFileSync(f, 'utf8')).flatMap((spec) => {
        const why = violation(spec, f);
        return why ? [`${path.relative(ROOT, f)} imports ${spec} (${why})`] : [];
      }),
    );
    expect(offenders).toEqual([]);
  });
});
