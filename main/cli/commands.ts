// One function per CLI command. Each opens the store, does one job through the
// same services the app uses, and closes the store again.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError } from '../../shared/errors';
import { lookupQuery } from '../../shared/ipc/contract';
import { ParcelLookup } from '../counter/lookup';
import { importManifest } from '../inbound/import-manifest';
import { initialiseStation, unlockWithPassphrase, type Station } from '../store/station';
import { UsageError } from './usage-error';

type Print = (obj: unknown) => void;

function args<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, positionals = false) {
  return parseArgs({ args: argv, options, allowPositionals: positionals, strict: true });
}

function passphrase(): string {
  const p = process.env.STATION_PASSPHRASE;
  if (!p) throw new AppError('PASSPHRASE_MISSING');
  return p;
}

function requireDb(db: string | undefined): string {
  if (!db) throw new UsageError('--db PATH is required');
  return db;
}

async function withStation<T>(db: string | undefined, job: (s: Station) => T | Promise<T>): Promise<T> {
  const station = unlockWithPassphrase(requireDb(db), passphrase());
  try {
    return await job(station);
  } finally {
    station.close();
  }
}

function readInput(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch {
    throw new AppError('FILE_NOT_FOUND', path);
  }
}

export const commands = {
  init(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' }, name: { type: 'string', default: '快递驿站' } });
    const dbPath = requireDb(values.db);
    initialiseStation(dbPath, { passphrase: passphrase(), stationName: values.name! });
    print({ initialised: true, db: dbPath, stationName: values.name });
  },

  async import(argv: string[], print: Print) {
    const { values, positionals } = args(argv, { db: { type: 'string' } }, true);
    if (positionals.length !== 1) throw new UsageError('exactly one FILE.csv is required');
    const bytes = readInput(positionals[0]);
    const report = await withStation(values.db, (s) => importManifest(s, positionals[0], bytes));
    print({ imported: report.imported, skipped: report.skipped, errors: report.errors, encoding: report.encoding });
  },

  async lookup(argv: string[], print: Print) {
    const { values } = args(argv, {
      db: { type: 'string' },
      tail: { type: 'string' },
      phone: { type: 'string' },
      waybill: { type: 'string' },
      code: { type: 'string' },
    });
    const given = (['tail', 'phone', 'waybill', 'code'] as const).filter((k) => values[k] !== undefined);
    if (given.length !== 1) throw new UsageError('give exactly one of --tail, --phone, --waybill, --code');
    const parsed = lookupQuery.safeParse({ by: given[0], value: values[given[0]] });
    if (!parsed.success) throw new AppError('INVALID_INPUT', `--${given[0]}`);
    const found = await withStation(values.db, (s) => new ParcelLookup(s).find(parsed.data));
    for (const p of found) print(p);
  },
};

export type CommandName = keyof typeof commands;
