// A CUPS server of the test's own: cupsd on a Unix socket in a temp dir, with
// FileDevice enabled, so a test prints through real lp/lpstat/cupsd into a
// file and never depends on (or disturbs) the machine's CUPS.
//
// A raw queue whose device is a file has no process that copies the job: the
// file is the last filter's output. The queue therefore gets a one-line PPD
// whose only filter passes the job through unchanged.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CUPSD = ['/usr/sbin/cupsd', '/usr/local/sbin/cupsd'].find(existsSync);

/** Why CUPS tests cannot run here, or null when they can. */
export const cupsMissing = (): string | null => {
  if (!CUPSD) return 'cupsd is not installed (Debian: apt-get install cups cups-client cups-bsd)';
  if (spawnSync('lpadmin', ['-h'], { stdio: 'ignore' }).error) return 'lpadmin is not installed (Debian: apt-get install cups-client)';
  return null;
};

export interface PrivateCups {
  /** Environment for lp and lpstat: CUPS_SERVER naming this server. */
  env: NodeJS.ProcessEnv;
  /** Adds an enabled raw queue whose device is a file; returns that file. */
  addFileQueue(queue: string): string;
  /** Stops the queue (lpstat shows it disabled). */
  disable(queue: string): void;
  readOutput(queue: string): Buffer | null;
  stop(): Promise<void>;
}

const ppd = (filter: string): string => `*PPD-Adobe: "4.3"
*FormatVersion: "4.3"
*FileVersion: "1.0"
*LanguageVersion: English
*LanguageEncoding: ISOLatin1
*PCFileName: "RAWFILE.PPD"
*Manufacturer: "Test"
*Product: "(Raw file)"
*ModelName: "Raw file"
*ShortNickName: "Raw file"
*NickName: "Raw file"
*PSVersion: "(3010.000) 0"
*LanguageLevel: "3"
*ColorDevice: False
*DefaultColorSpace: Gray
*FileSystem: False
*Throughput: "1"
*cupsFilter: "application/vnd.cups-raw 0 ${filter}"
*OpenUI *PageSize: PickOne
*DefaultPageSize: Label
*PageSize Label/Label: ""
*CloseUI: *PageSize
*DefaultImageableArea: Label
*ImageableArea Label/Label: "0 0 170 113"
*DefaultPaperDimension: Label
*PaperDimension Label/Label: "170 113"
`;

export async function startPrivateCups(): Promise<PrivateCups> {
  if (!CUPSD) throw new Error(cupsMissing()!);
  const dir = mkdtempSync(join(tmpdir(), 'pc-cups-'));
  chmodSync(dir, 0o755);
  for (const d of ['spool', 'tmp', 'cache', 'state', 'log', 'out', 'bin']) mkdirSync(join(dir, d));
  // cupsd runs filters as user lp: the job and its output must be reachable for it.
  chmodSync(join(dir, 'out'), 0o1777);
  chmodSync(join(dir, 'tmp'), 0o1777);
  const filter = join(dir, 'bin', 'passthrough');
  writeFileSync(filter, '#!/bin/sh\nexec cat "${6:--}"\n', { mode: 0o755 });
  writeFileSync(join(dir, 'raw-file.ppd'), ppd(filter));
  const socket = join(dir, 'cups.sock');
  writeFileSync(
    join(dir, 'cups-files.conf'),
    [
      'FileDevice Yes',
      `ServerRoot ${dir}`,
      `RequestRoot ${join(dir, 'spool')}`,
      `TempDir ${join(dir, 'tmp')}`,
      `CacheDir ${join(dir, 'cache')}`,
      `StateDir ${join(dir, 'state')}`,
      `ErrorLog ${join(dir, 'log', 'error_log')}`,
      `AccessLog ${join(dir, 'log', 'access_log')}`,
      `PageLog ${join(dir, 'log', 'page_log')}`,
      'ServerBin /usr/lib/cups',
      'DataDir /usr/share/cups',
      'SystemGroup root',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'cupsd.conf'),
    [
      `Listen ${socket}`,
      'LogLevel warn',
      'WebInterface No',
      'Browsing Off',
      'DefaultAuthType None',
      '<Location />',
      '  Order allow,deny',
      '  Allow all',
      '</Location>',
      '<Policy default>',
      '  <Limit All>',
      '    Order deny,allow',
      '  </Limit>',
      '</Policy>',
      '',
    ].join('\n'),
  );
  const daemon: ChildProcess = spawn(CUPSD, ['-f', '-c', join(dir, 'cupsd.conf'), '-s', join(dir, 'cups-files.conf')], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(socket)) {
    daemon.kill();
    throw new Error(`private cupsd did not start (see ${join(dir, 'log', 'error_log')})`);
  }
  const env = { CUPS_SERVER: socket };
  const admin = (args: string[]): void => {
    const r = spawnSync('lpadmin', args, { env: { ...process.env, ...env }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`lpadmin ${args.join(' ')}: ${r.stderr}`);
  };
  const outputOf = (queue: string): string => join(dir, 'out', `${queue}.bin`);
  return {
    env,
    addFileQueue(queue) {
      admin(['-p', queue, '-E', '-v', `file://${outputOf(queue)}`, '-P', join(dir, 'raw-file.ppd')]);
      return outputOf(queue);
    },
    disable(queue) {
      const r = spawnSync('cupsdisable', [queue], { env: { ...process.env, ...env } });
      if (r.status !== 0) throw new Error(`cupsdisable ${queue} failed`);
    },
    readOutput: (queue) => (existsSync(outputOf(queue)) ? readFileSync(outputOf(queue)) : null),
    async stop() {
      const exited = new Promise((r) => daemon.once('exit', r));
      daemon.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
