import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Layering (VS Code style): shared/ is pure, main/ services run under plain Node,
// and only main/shell/ may touch Electron. These rules make a violation fail `npm test`.
const noElectron = {
  paths: [{ name: 'electron', message: 'Only main/shell/ may import electron; services must run under plain Node.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Services await the store: a promise left floating would let an action's error (or its
    // transaction) escape the request that started it.
    files: ['main/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/no-misused-promises': 'error' },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/shell/**'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  {
    // The preload runs in the sandboxed renderer: it may build on shared/ only.
    files: ['main/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: noElectron.paths,
        patterns: [{ group: ['node:*', 'fs', 'path', 'crypto', 'os', 'child_process', 'better-sqlite3', 'node-hid'], message: 'The sandboxed preload has no Node.' },
          { regex: '^\\.\\./(?!\\.\\./shared/)', message: 'main/preload/ imports only shared/: no main-process service runs in the preload.' }],
      }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: noElectron.paths,
        patterns: [{ group: ['node:*', 'fs', 'path', 'crypto', 'os', 'child_process', 'better-sqlite3', 'node-hid', 'react', 'react-dom'], message: 'shared/ is pure TypeScript: no Node, DOM or Electron.' },
          { group: ['../main/*', '../../main/*', '../renderer/*', '../../renderer/*'], message: 'shared/ imports nothing above it.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: noElectron.paths,
        patterns: [{ group: ['node:*', 'fs', 'path', 'crypto', 'better-sqlite3', 'node-hid', '**/main/*', '**/main/**'], message: 'The renderer talks to main only through the preload API.' }],
      }],
    },
  },
);
