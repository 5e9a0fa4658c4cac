// One function per CLI command: parse the command line, call the same
// application service the app calls (built by the same composition root),
// print the result. Each opens the store and closes it again.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ROLES, type Actor } from '../../shared/actor';
import { AppError } from '../../shared/errors';
import { lookupQuery } from '../../shared/ipc/contract';
import { EXPORT_FORMATS, SHRED_METHODS, type SignedExport } from '../../shared/ipc/ledger';
import { parseCarrier } from '../../shared/waybill';
import { verifyExport } from '../chain/export-signature';
import { loadSigningKey, publicKeyFromPem, publicKeyPem } from '../chain/signing-key';
import { fingerprintOf } from '../crypto/sm2';
import { DPIS, LABEL_FORMATS, LABEL_SIZE_IDS } from '../labels';
import { restoreBackupTo } from '../lifecycle/backup';
import { refuseTampered } from '../store/parcels';
import { describeTarget, isServerUrl, openStore } from '../store/engine/open-store';
import { migratePostgres } from '../store/engine/postgres/migrations';
import { PostgresStore } from '../store/engine/postgres-store';
import { migrateToPostgres } from '../store/migrate-to-pg';
import { assertPassphrase, initialiseStationAt, openStation, withEmbeddedDb, type Station } from '../store/station';
import { createServices, type AppServices } from '../app/services';
import { PRINTER_FORMATS } from '../app/services/devices';
import { systemConnections, type Connections } from '../devices/connections';
import { loadNodeHidBackend } from '../devices/node-hid-backend';
import { fromCaller, PATH_FLAGS } from './paths';
import { UsageError } from './usage-error';
import { againstChecks, anchorCheck, chainChecks, parcelsCheck, projectionsCheck, type ExportFile } from './verify-checks';

type Print = (obj: unknown) => void;

const ACCOUNT_SUBCOMMANDS = ['add', 'list', 'disable', 'unlock', 'reset-2fa'] as const;
type AccountSubcommand = (typeof ACCOUNT_SUBCOMMANDS)[number];

/** Parses a command line; every file path in it (PATH_FLAGS, positional files) resolved against the caller's directory. */
function args<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, positionals = false) {
  const parsed = parseArgs({ args: argv, options, allowPositionals: positionals, strict: true });
  const values = parsed.values as Record<string, unknown>;
  for (const flag of PATH_FLAGS) if (typeof values[flag] === 'string') values[flag] = fromCaller(values[flag]);
  return { values: parsed.values, positionals: parsed.positionals.map(fromCaller) };
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

async function withStation<T>(db: string | undefined, job: (s: Station) => T | Promise<T>, opts: { readOnly?: boolean } = {}): Promise<T> {
  const station = await openStation(requireDb(db), passphrase(), undefined, opts);
  try {
    return await job(station);
  } finally {
    await station.close();
  }
}

/** The station's application services, as the app builds them, acting as the CLI (no devices, no scheduler; printers by URI when given). */
async function withServices<T>(db: string | undefined, job: (s: AppServices) => T | Promise<T>, connections?: Connections): Promise<T> {
  const services = createServices(await openStation(requireDb(db), passphrase()), { now: () => new Date(), workstation: hostname(), connections });
  try {
    return await job(services);
  } finally {
    await services.close();
  }
}

function readInput(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch {
    throw new AppError('FILE_NOT_FOUND', path);
  }
}

/** An export and its signature (FILE.sig unless given); FILE may also name the .sig itself. */
function readExport(file: string, sig?: string): ExportFile {
  const path = sig === undefined && file.endsWith('.sig') ? file.slice(0, -'.sig'.length) : file;
  return { file: path, bytes: readInput(path), sigText: Buffer.from(readInput(sig ?? `${path}.sig`)).toString('utf8') };
}

/** A scanner's list file: UTF-8 (with or without BOM), one code a line; blank lines stay, so line numbers match the file. */
function textLines(bytes: Uint8Array): string[] {
  return Buffer.from(bytes)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim());
}

/** An export and its detached signature beside it (FILE.sig); returns the signature's path. */
function writeSigned(out: string, file: SignedExport): string {
  writeFileSync(out, file.bytes);
  writeFileSync(`${out}.sig`, file.signature);
  return `${out}.sig`;
}

function fingerprintOfKeyFile(file: string): string {
  const key = publicKeyFromPem(Buffer.from(readInput(file)).toString('utf8'));
  if (!key) throw new AppError('PUBLIC_KEY_FILE_INVALID', file);
  return fingerprintOf(key);
}

function oneOf<T>(value: unknown, allowed: readonly T[], flag: string): T {
  if (!allowed.includes(value as T)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** Who the CLI records as acting: the station administrator, until it logs a user in. */
function cliActor(): Actor {
  return { userId: 0, username: 'cli', displayName: 'CLI', role: 'supervisor', workstation: hostname() };
}

function isoDay(value: string | undefined, flag: string): string {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new UsageError(`${flag} YYYY-MM-DD is required`);
  }
  return value;
}

export const commands = {
  /** A file path, or a station server's URL as the owner role: the schema by migrations, then the station. */
  async init(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' }, name: { type: 'string', default: '快递驿站' } });
    const dbPath = requireDb(values.db);
    await initialiseStationAt(dbPath, { passphrase: passphrase(), stationName: values.name! });
    print({ initialised: true, db: describeTarget(dbPath), stationName: values.name });
  },

  async import(argv: string[], print: Print) {
    const { values, positionals } = args(argv, { db: { type: 'string' } }, true);
    if (positionals.length !== 1) throw new UsageError('exactly one FILE.csv is required');
    const file = positionals[0];
    if (!existsSync(file) || !statSync(file).isFile()) throw new AppError('FILE_NOT_FOUND', file);
    const report = await withServices(values.db, (s) => s.inbound.importManifest(cliActor(), file, { path: file }));
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
    const { parcels, tampered } = await withServices(values.db, (s) => s.counter.search(cliActor(), parsed.data));
    for (const { id: _id, ...parcel } of parcels) print(parcel);
    // The good matches are printed; the failing ones make the command fail, by id.
    refuseTampered(tampered);
  },

  async label(argv: string[], print: Print) {
    const { values } = args(argv, {
      db: { type: 'string' },
      waybill: { type: 'string' },
      format: { type: 'string' },
      size: { type: 'string' },
      dpi: { type: 'string', default: '203' },
      qr: { type: 'boolean', default: false },
      out: { type: 'string' },
    });
    const format = oneOf(values.format, LABEL_FORMATS, '--format');
    const size = oneOf(values.size, LABEL_SIZE_IDS, '--size');
    const dpi = oneOf(Number(values.dpi), DPIS, '--dpi');
    if (!values.out) throw new UsageError('--out FILE is required');
    const query = lookupQuery.safeParse({ by: 'waybill', value: values.waybill });
    if (!query.success) throw new AppError('INVALID_INPUT', '--waybill');
    const { parcel, bytes } = await withServices(values.db, (s) => s.devices.labelFile(cliActor(), query.data, { format, size, dpi, qr: values.qr! }));
    writeFileSync(values.out, bytes);
    print({ waybillNo: parcel.waybillNo, format, size, bytes: bytes.length, out: values.out });
  },

  /** One label straight to a printer named by URI; a printer that cannot be reached is an error, nothing is queued. */
  async print(argv: string[], print: Print) {
    const { values } = args(argv, {
      db: { type: 'string' },
      waybill: { type: 'string' },
      printer: { type: 'string' },
      format: { type: 'string', default: 'tspl' },
      size: { type: 'string', default: '60x40' },
    });
    const format = oneOf(values.format, PRINTER_FORMATS, '--format');
    const size = oneOf(values.size, LABEL_SIZE_IDS, '--size');
    if (!values.printer) throw new UsageError('--printer URI is required');
    const query = lookupQuery.safeParse({ by: 'waybill', value: values.waybill });
    if (!query.success) throw new AppError('INVALID_INPUT', '--waybill');
    const uri = values.printer;
    const connections = systemConnections(uri.startsWith('hid:') ? await loadNodeHidBackend() : undefined);
    const sent = await withServices(values.db, (s) => s.devices.printTo(cliActor(), query.data, { uri, format, size }), connections);
    print({ waybillNo: sent.parcel.waybillNo, printer: sent.printer, format, bytes: sent.bytes, status: sent.status });
  },

  /** What this PC can print to: USB Printer Class devices, CUPS or Windows queues, HID devices; one per line. */
  async printers(argv: string[], print: Print) {
    args(argv, {});
    for (const found of await systemConnections(await loadNodeHidBackend()).discover()) print(found);
  },

  async 'scan-in'(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' }, waybill: { type: 'string' }, carrier: { type: 'string' }, shelf: { type: 'string' } });
    if (!values.waybill) throw new UsageError('--waybill W is required');
    const carrier = values.carrier === undefined ? undefined : parseCarrier(values.carrier);
    if (carrier === null) throw new AppError('INVALID_INPUT', '--carrier');
    // Where the clerk picks the slot (the station settings), the shelf at hand.
    const shelf = values.shelf === undefined ? undefined : Number(values.shelf);
    if (shelf !== undefined && !(Number.isInteger(shelf) && shelf >= 1)) throw new UsageError('--shelf must be a shelf number');
    const { parcel, duplicate, created } = await withServices(values.db, (s) => s.inbound.scanIn(cliActor(), { waybill: values.waybill!, carrier, shelf }));
    print({ waybillNo: parcel.waybillNo, carrier: parcel.carrier, pickupCode: parcel.pickupCode, duplicate, created });
  },

  async pickup(argv: string[], print: Print) {
    const { values } = args(argv, {
      db: { type: 'string' },
      code: { type: 'string' },
      'confirm-waybill': { type: 'string' },
      proxy: { type: 'boolean', default: false },
    });
    const waybill = values['confirm-waybill'];
    if (!values.code || !waybill) throw new UsageError('--code C and --confirm-waybill W are required');
    const code = lookupQuery.safeParse({ by: 'code', value: values.code });
    if (!code.success) throw new AppError('INVALID_INPUT', '--code');
    const result = await withServices(values.db, async (s) => {
      const found = await s.counter.find(cliActor(), code.data);
      const owner = found.kind === 'customer' ? found.parcels.find((p) => p.pickupCode === code.data.value) : undefined;
      if (!owner) throw new AppError('PARCEL_NOT_FOUND', '--code');
      return s.counter.handOver(cliActor(), { customerParcelId: owner.id, waybill, proxy: values.proxy });
    });
    const { parcel } = result;
    print({
      handoverId: result.handoverId,
      waybillNo: parcel.waybillNo,
      carrier: parcel.carrier,
      pickupCode: parcel.pickupCode,
      status: parcel.status,
      proxy: values.proxy,
      remaining: result.remaining,
    });
  },

  async overdue(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' }, days: { type: 'string' } });
    const days = values.days === undefined ? undefined : Number(values.days);
    if (days !== undefined && !(Number.isInteger(days) && days >= 0)) throw new UsageError('--days must be a whole number');
    const parcels = await withServices(values.db, (s) => s.counter.overdue(cliActor(), { days }));
    // The masked card and how long it has waited; shelf position and ids stay inside the app.
    for (const { id: _id, shelf: _shelf, layer: _layer, arrivedAt: _arrivedAt, ...card } of parcels) print(card);
  },

  async 'ledger-export'(argv: string[], print: Print) {
    const { values } = args(argv, {
      db: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
    });
    const format = oneOf(values.format, EXPORT_FORMATS, '--format');
    const from = isoDay(values.from, '--from');
    const to = isoDay(values.to, '--to');
    if (from > to) throw new UsageError('--from must not be after --to');
    if (!values.out) throw new UsageError('--out FILE is required');
    const { file, rows, fingerprint } = await withServices(values.db, async (s) => ({
      rows: (await s.ledger.entries(from, to)).length,
      file: await s.ledger.exportLedger(cliActor(), { format, from, to }),
      fingerprint: loadSigningKey(s.station).fingerprint,
    }));
    const sig = writeSigned(values.out, file);
    print({ out: values.out, sig, format, rows, bytes: file.bytes.length, fingerprint });
  },

  /**
   * A stocktake of every shelf from a file of scans: each line a waybill
   * number, or `@SHELF-LAYER` for where the following ones were found.
   * Closed at once by the CLI (the administrator); waybills and shelf-layers only.
   */
  async stocktake(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' }, scans: { type: 'string' } });
    if (!values.scans) throw new UsageError('--scans FILE is required');
    const lines = textLines(readInput(values.scans));
    const r = await withServices(values.db, (s) => s.stocktake.countAll(cliActor(), lines));
    print({ expected: r.expected, found: r.found, missing: r.missing, extra: r.extra, misplaced: r.misplaced });
  },

  /** Closes a station-local day: counts per carrier, papers, stocktakes; both chains checkpointed. With --out, also its signed report. */
  async 'daily-close'(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' }, date: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } });
    const date = isoDay(values.date, '--date');
    if ((values.out === undefined) !== (values.format === undefined)) throw new UsageError('--format csv|pdf and --out FILE go together');
    const format = values.format === undefined ? undefined : oneOf(values.format, EXPORT_FORMATS, '--format');
    const { close, file } = await withServices(values.db, async (s) => {
      const close = await s.closing.closeDay(cliActor(), date);
      return { close, file: format && (await s.closing.exportDay(cliActor(), date, format)) };
    });
    if (file && values.out) writeSigned(values.out, file);
    print(close);
  },

  /** Per carrier for the days given: parcels received and handed over, the fee and the amount due; a signed CSV or PDF. */
  async settlement(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } });
    const format = oneOf(values.format, EXPORT_FORMATS, '--format');
    const from = isoDay(values.from, '--from');
    const to = isoDay(values.to, '--to');
    if (from > to) throw new UsageError('--from must not be after --to');
    if (!values.out) throw new UsageError('--out FILE is required');
    const { settlement, file } = await withServices(values.db, (s) => s.closing.settlement(cliActor(), from, to, format));
    writeSigned(values.out, file);
    print({ out: values.out, sig: `${values.out}.sig`, format, ...settlement });
  },

  /**
   * Every chain in the store against the station key, the anchor file, the
   * ledger's tables, every parcel row against its MAC, and with --against an
   * export's signed heads: one line per check, non-zero naming the first that
   * fails. `--store` checks the parcel rows only.
   */
  async verify(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' }, against: { type: 'string' }, store: { type: 'boolean', default: false } });
    const exported = values.against === undefined ? null : readExport(values.against);
    const lines = await withStation(
      values.db,
      (s) =>
        withEmbeddedDb(s, async (db) => {
          if (values.store) return [parcelsCheck(db, s.keys)];
          const key = loadSigningKey(s);
          return [
            ...(await chainChecks(db, key.publicKey)),
            anchorCheck(s, db, key.publicKey),
            projectionsCheck(db),
            parcelsCheck(db, s.keys),
            ...(exported ? againstChecks(s, db, key.fingerprint, exported) : []),
          ];
        }),
      { readOnly: true },
    );
    for (const l of lines) print(l.line);
    const bad = lines.find((l) => !l.ok);
    if (bad) throw new AppError('TAMPERED', bad.detail);
  },

  /**
   * Offline: an exported file against its detached signature and the station
   * key given by --fingerprint, --key (station-key's PEM file) or --db (the
   * store, opened with the passphrase). Without one it fails, showing the
   * fingerprint the file names, for a person to compare with the PDF.
   */
  async 'verify-export'(argv: string[], print: Print) {
    const { values, positionals } = args(
      argv,
      { sig: { type: 'string' }, fingerprint: { type: 'string' }, key: { type: 'string' }, db: { type: 'string' } },
      true,
    );
    if (positionals.length !== 1) throw new UsageError('give exactly one exported FILE');
    const pins = (['fingerprint', 'key', 'db'] as const).filter((k) => values[k] !== undefined);
    if (pins.length > 1) throw new UsageError('give one of --fingerprint, --key and --db');
    const exported = readExport(positionals[0], values.sig);
    const expected = values.key !== undefined ? fingerprintOfKeyFile(values.key)
      : values.db !== undefined ? await withStation(values.db, (s) => loadSigningKey(s).fingerprint)
      : values.fingerprint;
    const check = verifyExport(exported.bytes, exported.sigText, { expectedFingerprint: expected });
    if (check.ok && expected === undefined) {
      print({ file: exported.file, ok: false, reason: 'key-not-pinned', fingerprint: check.fingerprint });
      throw new AppError('EXPORT_KEY_NOT_PINNED', `the file names key ${check.fingerprint}`);
    }
    print({ file: exported.file, ...check, ...(check.ok ? { pinnedBy: pins[0] } : {}) });
    if (!check.ok && check.reason === 'unexpected-key') throw new AppError('EXPORT_WRONG_KEY', `the file names key ${check.fingerprint}, expected ${expected}`);
    if (!check.ok) throw new AppError('TAMPERED', check.reason);
  },

  /** The station's public key as a PEM file, to hand to whoever checks exports (and to OpenSSL). */
  async 'station-key'(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' }, out: { type: 'string' } });
    if (!values.out) throw new UsageError('--out FILE is required');
    const key = await withStation(values.db, (s) => loadSigningKey(s));
    writeFileSync(values.out, publicKeyPem(key.publicKey));
    print({ out: values.out, fingerprint: key.fingerprint });
  },

  /** One destruction from a list of scanned waybills (one per line), recorded as one batch. */
  async shred(argv: string[], print: Print) {
    const { values } = args(argv, {
      db: { type: 'string' },
      waybills: { type: 'string' },
      method: { type: 'string' },
      device: { type: 'string' },
      certificate: { type: 'string' },
      operator: { type: 'string' },
      witness: { type: 'string' },
      'operator-code': { type: 'string' },
      'witness-code': { type: 'string' },
      notes: { type: 'string' },
    });
    const method = oneOf(values.method, SHRED_METHODS, '--method');
    if (!values.waybills || !values.operator || !values.witness) throw new UsageError('--waybills FILE, --operator USER and --witness USER are required');
    const operatorCode = values['operator-code'];
    const witnessCode = values['witness-code'];
    if (!operatorCode || !witnessCode) throw new UsageError('--operator-code CODE and --witness-code CODE (each one\'s current authenticator code) are required');
    if ((method === 'shredder') !== (values.device !== undefined)) throw new UsageError('--device ID goes with --method shredder, and only with it');
    if ((method === 'outsourced') !== (values.certificate !== undefined)) throw new UsageError('--certificate NO goes with --method outsourced, and only with it');
    const lines = textLines(readInput(values.waybills));
    if (!lines.some(Boolean)) throw new AppError('BATCH_EMPTY', values.waybills);
    const entry = await withServices(values.db, (s) =>
      s.ledger.shredList(cliActor(), {
        operator: values.operator!,
        operatorCode,
        witness: values.witness!,
        witnessCode,
        source: values.waybills!,
        lines,
        method,
        deviceId: values.device,
        certificate: values.certificate,
        notes: values.notes,
      }),
    );
    print({
      entryId: entry.id,
      batchId: entry.batchId,
      at: entry.at,
      method: entry.method,
      deviceId: entry.deviceId,
      certificate: entry.certificate,
      operator: entry.operator.username,
      witness: entry.witness.username,
      waybills: entry.waybills,
      unknownWaybills: entry.unknownWaybills,
      sheets: entry.sheets,
    });
  },

  /**
   * Staff accounts from the station administrator's terminal (it holds the
   * passphrase): the way back in for a locked supervisor or a lost phone.
   * Every change is audited as the CLI's.
   */
  async account(argv: string[], print: Print) {
    const [sub, ...rest] = argv;
    const { values } = args(rest, { db: { type: 'string' }, username: { type: 'string' }, role: { type: 'string' }, 'display-name': { type: 'string' } });
    if (sub === 'list') {
      for (const u of await withServices(values.db, (s) => s.accounts.list())) print(u);
      return;
    }
    if (!sub || !ACCOUNT_SUBCOMMANDS.includes(sub as AccountSubcommand)) throw new UsageError(`account ${ACCOUNT_SUBCOMMANDS.join('|')}`);
    if (!values.username) throw new UsageError('--username U is required');
    const username = values.username;
    const role = sub === 'add' ? oneOf(values.role, ROLES, '--role') : undefined;
    print(
      await withServices(values.db, async (s) => {
        if (sub === 'add') {
          const password = process.env.ACCOUNT_PASSWORD;
          if (!password) throw new AppError('ACCOUNT_PASSWORD_MISSING');
          const user = await s.accounts.create(cliActor(), { username, displayName: values['display-name'] ?? username, role: role!, password });
          // Unenrolled: the first login in the app shows this same secret and the recovery codes.
          return { ...user, otpauthUri: await s.accounts.pendingEnrolmentUri(user) };
        }
        const { id: userId } = await s.accounts.find(username);
        if (sub === 'reset-2fa') return s.accounts.replaceAuthenticator(cliActor(), userId);
        return s.accounts.update(cliActor(), sub === 'unlock' ? { userId, clearLockout: true } : { userId, disabled: true });
      }),
    );
  },

  /** The retention purge now (or, with --dry-run, how many parcels are due). */
  async purge(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } });
    const dryRun = values['dry-run'];
    const { eligible, erased } = await withServices(values.db, (s) => s.lifecycle.purge(cliActor(), dryRun));
    print({ eligible, erased, dryRun });
  },

  /** Sends the pickup notices that are due (with --dry-run: lists them, sends and records nothing); one line per notice, the number masked. */
  async notify(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } });
    const reports = await withServices(values.db, (s) => s.notify.drain(cliActor(), values['dry-run']));
    for (const r of reports) print({ parcels: r.parcels, template: r.template, provider: r.provider, status: r.status, phone: r.phone });
  },

  /** The notice outbox, newest first: no number, only parcel ids, template and state. */
  async outbox(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' }, limit: { type: 'string' } });
    const limit = values.limit === undefined ? 1000 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit N must be a positive whole number');
    for (const item of await withServices(values.db, (s) => s.notify.outbox({ limit }))) print(item);
  },

  async backup(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' }, out: { type: 'string' } });
    if (!values.out) throw new UsageError('--out FILE is required');
    const out = values.out;
    const info = await withServices(values.db, (s) => s.lifecycle.backupTo(cliActor(), out));
    print({ out, bytes: info.bytes, storeId: info.storeId, createdAt: info.createdAt });
  },

  /** Into a new store only; the passphrase is the one the station had when the backup was made. */
  async restore(argv: string[], print: Print) {
    const { values } = args(argv, { in: { type: 'string' }, db: { type: 'string' } });
    if (!values.in) throw new UsageError('--in FILE is required');
    print(await restoreBackupTo(values.in, requireDb(values.db), passphrase()));
  },

  /**
   * Copies a station's SQLite file into an empty station server database (the
   * owner role; its schema is created first), value for value. The file is
   * only read.
   */
  async 'migrate-to-pg'(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' }, to: { type: 'string' } });
    const from = requireDb(values.db);
    if (isServerUrl(from)) throw new UsageError('--db names the station’s SQLite file');
    if (!values.to || !isServerUrl(values.to)) throw new UsageError('--to postgres://… is required');
    const source = await openStore(from, { readOnly: true });
    try {
      // Only the station's administrator moves it; nothing is written to the file.
      await assertPassphrase(source, passphrase());
      const target = await PostgresStore.open(values.to);
      try {
        await migratePostgres(target);
        const tables = await migrateToPostgres(source, target);
        print({ migrated: true, from, to: describeTarget(values.to), rows: Object.values(tables).reduce((a, b) => a + b, 0), tables });
      } finally {
        await target.close();
      }
    } finally {
      await source.close();
    }
  },

  /** Re-wraps the data key under NEW_STATION_PASSPHRASE; nothing is re-encrypted. */
  async 'change-passphrase'(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' } });
    const next = process.env.NEW_STATION_PASSPHRASE;
    if (!next) throw new AppError('NEW_PASSPHRASE_MISSING');
    await withServices(values.db, (s) => s.lifecycle.changePassphrase(cliActor(), passphrase(), next));
    print({ changed: true });
  },

  /** A new data key; every sealed value re-encrypted. Resumes an interrupted rotation. */
  async 'rotate-key'(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' } });
    print(await withServices(values.db, (s) => s.lifecycle.rotate(cliActor(), passphrase())));
  },
};

export type CommandName = keyof typeof commands;
