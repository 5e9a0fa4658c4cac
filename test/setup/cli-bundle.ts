// The CLI tests run the command line as a user would, hundreds of times a
// run: from the bundle `scripts/build.mjs --main-only` makes once per run,
// which starts several times faster than the sources under tsx. The same
// sources, so the same contract; `import-cli` still runs the TypeScript entry.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function buildCliBundle(): void {
  const root = resolve(__dirname, '../..');
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--dev', '--main-only'], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`the CLI bundle did not build:\n${built.stderr}${built.stdout}`);
  process.env.PC_TEST_CLI_BUNDLE = resolve(root, 'dist/main/cli.js');
}
