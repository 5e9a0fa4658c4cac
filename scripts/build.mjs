// Production build with esbuild: the renderer (React), the Electron main
// process and the sandboxed preload. `--dev` keeps code readable with sourcemaps.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');
// Only what runs under plain Node (the CLI and the worker threads it starts): the tests' CLI runs from it.
const mainOnly = process.argv.includes('--main-only');
const out = path.join(root, 'dist');

const common = {
  bundle: true,
  minify: !dev,
  sourcemap: dev,
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
};

async function buildRenderer() {
  const dir = path.join(out, 'renderer');
  await rm(dir, { recursive: true, force: true });
  await build({
    ...common,
    // The photo encoder runs as a worker of its own, loaded by URL beside main.js.
    entryPoints: { main: path.join(root, 'renderer/main.tsx'), 'photo-encoder': path.join(root, 'renderer/workers/photo-encoder.ts') },
    outdir: dir,
    platform: 'browser',
    format: 'esm',
    target: 'chrome130',
    jsx: 'automatic',
    // Everything is bundled: under `default-src 'self'` nothing may be fetched from elsewhere.
    loader: { '.png': 'file', '.svg': 'file', '.woff2': 'file' },
  });
  // index.html references ./main.js and ./main.css and carries the CSP; refuse to ship it otherwise.
  const html = await readFile(path.join(root, 'renderer/index.html'), 'utf8');
  for (const needle of ['http-equiv="Content-Security-Policy"', "default-src 'self'", 'src="./main.js"', 'href="./main.css"']) {
    if (!html.includes(needle)) throw new Error(`renderer/index.html is missing ${needle}`);
  }
  await copyFile(path.join(root, 'renderer/index.html'), path.join(dir, 'index.html'));
}

/** Main-process bundles land side by side in dist/main/, where main.js finds them at run time. */
async function buildShell(name, external, source = `main/shell/${name}.ts`) {
  const entry = path.join(root, source);
  if (!existsSync(entry)) {
    console.warn(`build: skipped dist/main/${name}.js (${source} does not exist yet)`);
    return;
  }
  await build({
    ...common,
    entryPoints: [entry],
    outfile: path.join(out, 'main', `${name}.js`),
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external,
  });
}

await mkdir(out, { recursive: true });
// Native addons (and pdfkit's font data files) load from node_modules at run time.
const NATIVE = ['better-sqlite3', 'node-hid', 'usb', 'serialport', '@napi-rs/canvas', 'pdfkit'];
const results = await Promise.allSettled([
  ...(mainOnly
    ? []
    : [
        buildRenderer(),
        buildShell('main', ['electron', ...NATIVE]),
        // A sandboxed preload cannot require() local files, so it must be one self-contained bundle.
        buildShell('preload', ['electron']),
      ]),
  // The command line (`npm run cli` runs it from the sources under tsx; this bundle starts several times faster).
  buildShell('cli', NATIVE, 'main/cli/index.ts'),
  // Worker thread for verifying long hash chains in parallel (main/chain/verify.ts looks for it).
  buildShell('chain-verify-worker', ['better-sqlite3'], 'main/chain/verify-worker.ts'),
  // Worker thread sealing a large manifest import's rows on every core (main/inbound/seal-pool.ts).
  buildShell('seal-worker', [], 'main/inbound/seal-worker.ts'),
  // Worker thread running the background drain of pickup notices off the counter's thread (main/notify/drain-thread.ts).
  buildShell('notify-worker', NATIVE, 'main/notify/drain-worker.ts'),
]);
const failed = results.filter((r) => r.status === 'rejected');
// esbuild has already printed its diagnostics; only our own errors need saying.
for (const { reason } of failed) if (!reason?.errors) console.error(`build: ${reason?.message ?? reason}`);
if (failed.length) {
  console.error(`build: failed (${failed.length} of ${results.length} bundles)`);
  process.exit(1);
}
console.log(`build: done (${dev ? 'development' : 'production'})`);
