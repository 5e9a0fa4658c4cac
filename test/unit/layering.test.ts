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

/** Why a shared/ file may not import `spec`, or null if it may. */
function sharedViolation(spec: string, fromFile: string): string | null {
  if (isElectron(spec)) return 'electron';
  if (isNodeBuiltin(spec)) return 'a Node built-in';
  if (leaves(spec, fromFile, ['shared'])) return 'a module outside shared/';
  return null;
}

/** Why a main/preload/ file may not import `spec`, or null if it may: the preload runs sandboxed, on shared/ alone. */
function preloadViolation(spec: string, fromFile: string): string | null {
  if (isNodeBuiltin(spec)) return 'a Node built-in';
  if (leaves(spec, fromFile, ['shared', 'main/preload'])) return 'a module outside shared/';
  return null;
}

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

  it('flags Node, electron and escaping imports in shared/', () => {
    const file = path.join(ROOT, 'shared', 'ipc', 'x.ts');
    const src = [
      "import fs from 'node:fs';",
      "import path from 'path';",
      "import { readFile } from 'fs/promises';",
      "import { app } from 'electron';",
      "import { r } from '../../main/ipc/router';",
      "import { v } from '../../renderer/App';",
      "import { ok } from '../errors';",
      "import { z } from 'zod';",
    ].join('\n');
    expect(importsOf(src).map((s) => sharedViolation(s, file))).toEqual([
      'a Node built-in',
      'a Node built-in',
      'a Node built-in',
      'electron',
      'a module outside shared/',
      'a module outside shared/',
      null,
      null,
    ]);
  });
  it('flags Node and main-process imports in main/preload/', () => {
    const file = path.join(ROOT, 'main', 'preload', 'api.ts');
    const src = [
      "import fs from 'node:fs';",
      "import { sm3 } from '../crypto/sm3';",
      "import { router } from '../../main/ipc/router';",
      "import { AppError } from '../../shared/errors';",
      "import { helper } from './helper';",
    ].join('\n');
    expect(importsOf(src).map((s) => preloadViolation(s, file))).toEqual([
      'a Node built-in',
      'a module outside shared/',
      'a module outside shared/',
      null,
      null,
    ]);
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

  it('main/preload/ imports only shared/ (it runs in the sandboxed renderer)', () => {
    const preloadFiles = tsFiles(path.join(ROOT, 'main', 'preload'));
    expect(preloadFiles.length).toBeGreaterThan(0);
    const offenders = preloadFiles.flatMap((f) =>
      importsOf(readFileSync(f, 'utf8')).flatMap((spec) => {
        const why = preloadViolation(spec, f);
        return why ? [`${path.relative(ROOT, f)} imports ${spec} (${why})`] : [];
      }),
    );
    expect(offenders).toEqual([]);
  });

  it('shared/ imports no Node, no electron and nothing outside shared/', () => {
    const offenders = sharedFiles.flatMap((f) =>
      importsOf(readFileSync(f, 'utf8')).flatMap((spec) => {
        const why = sharedViolation(spec, f);
        return why ? [`${path.relative(ROOT, f)} imports ${spec} (${why})`] : [];
      }),
    );
    expect(offenders).toEqual([]);
  });
});
