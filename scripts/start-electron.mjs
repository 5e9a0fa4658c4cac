// `npm start`: runs Electron on the built bundles (node scripts/build.mjs
// first), with a better-sqlite3 built for Electron.
//
// better-sqlite3 is a native addon tied to one runtime ABI. `npm install`
// fetches it for Node, which the tests, the CLI and the benchmarks use;
// Electron's ABI differs, and rebuilding node_modules in place would break
// them. So a second copy, for this Electron version, is kept in
// .electron-native/ (a prebuilt binary downloaded by @electron/rebuild, or
// compiled from source where none exists: the first start needs internet) and
// its path is handed to main, which opens every database with it. Packaged apps
// need none of this: electron-builder rebuilds node_modules for Electron.
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
// Must match SQLITE_BINDING_ENV in main/store/sqlite-binding.ts.
const SQLITE_BINDING_ENV = 'PRIVACY_COUNTER_SQLITE_BINDING';

const electronVersion = require('electron/package.json').version;
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
const sqliteVersion = require('better-sqlite3/package.json').version;
const cache = join(root, '.electron-native');
const binding = join(cache, `better_sqlite3-${sqliteVersion}-electron-${electronVersion}-${process.platform}-${process.arch}.node`);

async function buildForElectron() {
  console.log(`better-sqlite3 ${sqliteVersion} for Electron ${electronVersion}: fetching or building it once, into .electron-native/ …`);
  const { rebuild } = await import('@electron/rebuild');
  mkdirSync(cache, { recursive: true });
  // Inside the project, so the rebuild finds prebuild-install and node-gyp in its node_modules.
  const work = mkdtempSync(join(cache, 'work-'));
  try {
    const copy = join(work, 'node_modules', 'better-sqlite3');
    // Without the Node build, so nothing of it can be mistaken for the Electron one.
    cpSync(sqliteDir, copy, { recursive: true, filter: (src) => src !== join(sqliteDir, 'build') });
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'electron-native', version: '0.0.0', dependencies: { 'better-sqlite3': sqliteVersion } }));
    await rebuild({ buildPath: work, electronVersion, arch: process.arch, onlyModules: ['better-sqlite3'], force: true });
    copyFileSync(join(copy, 'build', 'Release', 'better_sqlite3.node'), binding);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (!existsSync(binding)) {
  try {
    await buildForElectron();
  } catch (e) {
    console.error(
      `无法为 Electron ${electronVersion} 准备 better-sqlite3（首次启动需要联网；无预编译包时还需要 C++ 编译工具）。\n` +
        `Could not get better-sqlite3 for Electron ${electronVersion}: the first start needs internet, and a C++ toolchain ` +
        `where no prebuilt binary exists (see README, "Run the app").\n${e instanceof Error ? e.message : e}`,
    );
    process.exit(1);
  }
}

// The electron package downloads its binary the first time this is asked for.
const electron = require('electron');
const child = spawn(electron, ['.', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, [SQLITE_BINDING_ENV]: binding },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
