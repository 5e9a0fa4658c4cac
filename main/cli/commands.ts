// One function per CLI command. Each opens the store, does one job through the
// same services the app uses, and closes the store again.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Actor } from '../../shared/actor';
import { AppError } from '../../shared/errors';
import { lookupQuery } from '../../shared/ipc/contract';
import { EXPORT_FORMATS, SHRED_METHODS } from '../../shared/ipc/ledger';
import { parseCarrier } from '../../shared/waybill';
import { AUDIT_LOG, AuditLog } from '../audit/audit-log';
import { handedOver, labelPrinted, lookupViewed, manifestImported, parcelsViewed, scannedIn } from '../audit/events';
import { Accounts } from '../auth/accounts';
import { verifyExport } from '../chain/export-signature';
import { toHex } from '../chain/hash';
import { loadSigningKey } from '../chain/signing-key';
import { verifyAllChainsAsync } from '../chain/verify';
import { ParcelLookup } from '../counter/lookup';
import { PickupDesk } from '../counter/pickup';
import { ReturnDesk } from '../counter/returns';
import { importManifest } from '../inbound/import-manifest';
import { ScanIn } from '../inbound/scan-in';
import { DPIS, LABEL_FORMATS, LABEL_SIZE_IDS, renderLabel } from '../labels';
import { exportContext, periodRange } from '../exports/format';
import { exportLedger } from '../ledger/ledger-export';
import { SHRED_LOG, ShredLedger } from '../ledger/shred-ledger';
import { restoreBackup } from '../lifecycle/backup';
import { Lifecycle } from '../lifecycle/lifecycle';
import { Settings } from '../settings/settings';
import { initialiseStation, unlockWithPassphrase, type Station } from '../store/station';
import { fromCaller, PATH_FLAGS } from './paths';
import { UsageError } from './usage-error';

type Print = (obj: unknown) => void;

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

/** The lifecycle service over a CLI-opened store: audited as the CLI, no scheduler. */
function lifecycleOf(s: Station): Lifecycle {
  const audit = new AuditLog(s);
  return new Lifecycle(s, { settings: new Settings(s.db), audit, record: (e) => audit.record(e), now: () => new Date(), workstation: hostname() });
}

/** A named staff account acting through the CLI: it must exist and be enabled. */
function staffActor(accounts: Accounts, username: string): Actor {
  const user = accounts.findByUsername(username);
  if (!user) throw new AppError('USER_NOT_FOUND', username);
  if (user.disabled) throw new AppError('ACCOUNT_DISABLED', username);
  return { userId: user.id, username: user.username, displayName: user.displayName, role: user.role, workstation: hostname() };
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
    const file = positionals[0];
    if (!existsSync(file) || !statSync(file).isFile()) throw new AppError('FILE_NOT_FOUND', file);
    const report = await withStation(values.db, (s) => {
      const audit = new AuditLog(s);
      return importManifest(s, file, { path: file }, { onCommit: (r) => audit.record(manifestImported(cliActor(), r)) });
    });
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
    const found = await withStation(values.db, (s) => {
      const parcels = new ParcelLookup(s).find(parsed.data);
      new AuditLog(s).record(parcelsViewed(cliActor(), parcels.map((p) => p.id), parsed.data.by));
      return parcels;
    });
    for (const { id: _id, ...parcel } of found) print(parcel);
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
    const { parcel, bytes } = await withStation(values.db, async (s) => {
      // Labels are made from the masked projection only, as at the counter.
      const [parcel] = new ParcelLookup(s).find(query.data);
      if (!parcel) throw new AppError('PARCEL_NOT_FOUND', query.data.value);
      const opts = { size, dpi, qr: values.qr, stationName: s.name, date: new Date() };
      const label = await renderLabel(parcel, format, opts);
      new AuditLog(s).record(labelPrinted(cliActor(), [parcel.id], { format, size, file: true }));
      return { parcel, bytes: label };
    });
    writeFileSync(values.out, bytes);
    print({ waybillNo: parcel.waybillNo, format, size, bytes: bytes.length, out: values.out });
  },

  async 'scan-in'(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' }, waybill: { type: 'string' }, carrier: { type: 'string' } });
    if (!values.waybill) throw new UsageError('--waybill W is required');
    const carrier = values.carrier === undefined ? undefined : parseCarrier(values.carrier);
    if (carrier === null) throw new AppError('INVALID_INPUT', '--carrier');
    const { parcel, duplicate, created } = await withStation(values.db, (s) => {
      const audit = new AuditLog(s);
      return new ScanIn(s, { onScanned: (actor, facts) => audit.record(scannedIn(actor, facts)) }).scan(cliActor(), { waybill: values.waybill!, carrier });
    });
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
    const result = await withStation(values.db, (s) => {
      const audit = new AuditLog(s);
      const desk = new PickupDesk(s, { onLookup: (actor, query, ids) => audit.record(lookupViewed(actor, query, ids)) });
      const found = desk.find(cliActor(), code.data);
      const owner = found.kind === 'customer' ? found.parcels.find((p) => p.pickupCode === code.data.value) : undefined;
      if (!owner) throw new AppError('PARCEL_NOT_FOUND', '--code');
      const handover = desk.handOver(cliActor(), { customerParcelId: owner.id, waybill, proxy: values.proxy });
      audit.record(handedOver(cliActor(), handover, values.proxy));
      return handover;
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
    const parcels = await withStation(values.db, (s) => {
      const overdue = new ReturnDesk(s).overdue({ days });
      new AuditLog(s).record(parcelsViewed(cliActor(), overdue.map((p) => p.id), 'overdue'));
      return overdue;
    });
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
    const { file, rows, fingerprint } = await withStation(values.db, async (s) => {
      const ledger = new ShredLedger(s, new Settings(s.db));
      const ctx = exportContext(s, from, to, 'CLI', new Date());
      const { fromIso, toIso } = periodRange(from, to, ctx.timeZone);
      const entries = ledger.entries(fromIso, toIso);
      // The station administrator's exports are audited like anyone's.
      new AuditLog(s).record({ action: 'export', actor: cliActor(), detail: { what: 'shred-ledger', format, from, to, rows: entries.length } });
      const file = await exportLedger(s, ledger, entries, format, ctx);
      return { file, rows: entries.length, fingerprint: loadSigningKey(s).fingerprint };
    });
    const sig = `${values.out}.sig`;
    writeFileSync(values.out, file.bytes);
    writeFileSync(sig, file.signature);
    print({ out: values.out, sig, format, rows, bytes: file.bytes.length, fingerprint });
  },

  /** Every chain in the store (audit log, shred ledger) against the station key; non-zero at the first bad entry. */
  async verify(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' } });
    const { results } = await withStation(values.db, (s) =>
      verifyAllChainsAsync(s.db, loadSigningKey(s).publicKey, { logs: [AUDIT_LOG, SHRED_LOG] }),
    );
    for (const r of results) {
      print(
        r.ok
          ? { log: r.log, ok: true, entries: r.entries, head: { seq: r.head.seq, hash: toHex(r.head.hash) }, signedSeq: r.signedSeq, fingerprint: r.fingerprint }
          : { log: r.log, ok: false, firstBadSeq: r.firstBadSeq, problem: r.problem },
      );
    }
    const bad = results.find((r) => !r.ok);
    if (bad && !bad.ok) throw new AppError('TAMPERED', `${bad.log}: ${bad.detail}`);
  },

  /** Offline: an exported file against its detached signature, no store or passphrase needed. */
  'verify-export'(argv: string[], print: Print) {
    const { values, positionals } = args(argv, { sig: { type: 'string' }, fingerprint: { type: 'string' } }, true);
    if (positionals.length !== 1) throw new UsageError('give exactly one exported FILE');
    const [file] = positionals;
    const bytes = readInput(file);
    const sigText = Buffer.from(readInput(values.sig ?? `${file}.sig`)).toString('utf8');
    const check = verifyExport(bytes, sigText, { expectedFingerprint: values.fingerprint });
    print({ file, ...check });
    if (!check.ok) throw new AppError('TAMPERED', check.reason);
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
      notes: { type: 'string' },
    });
    const method = oneOf(values.method, SHRED_METHODS, '--method');
    if (!values.waybills || !values.operator || !values.witness) throw new UsageError('--waybills FILE, --operator USER and --witness USER are required');
    if ((method === 'shredder') !== (values.device !== undefined)) throw new UsageError('--device ID goes with --method shredder, and only with it');
    if ((method === 'outsourced') !== (values.certificate !== undefined)) throw new UsageError('--certificate NO goes with --method outsourced, and only with it');
    const lines = Buffer.from(readInput(values.waybills))
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .map((l) => l.trim());
    if (!lines.some(Boolean)) throw new AppError('BATCH_EMPTY', values.waybills);
    const entry = await withStation(values.db, (s) => {
      const accounts = new Accounts(s);
      const operator = staffActor(accounts, values.operator!);
      const witness = staffActor(accounts, values.witness!);
      const ledger = new ShredLedger(s, new Settings(s.db));
      // All or nothing: a refused line (a duplicate, a malformed number) records no batch at all.
      return s.db
        .transaction(() => {
          const batch = ledger.openBatch(operator);
          lines.forEach((waybill, i) => {
            if (!waybill) return;
            try {
              ledger.scan(operator, batch.id, waybill);
            } catch (e) {
              throw e instanceof AppError ? new AppError(e.code, `${values.waybills} line ${i + 1}`) : e;
            }
          });
          const done = ledger.destroy(operator, witness, { batchId: batch.id, method, deviceId: values.device, certificate: values.certificate, notes: values.notes });
          new AuditLog(s).record({
            action: 'ledger.record',
            actor: cliActor(),
            detail: { entry: done.id, batch: done.batchId, method, sheets: done.sheets, operator: operator.username, witness: witness.username },
          });
          return done;
        })
        .immediate();
    });
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

  /** The retention purge now (or, with --dry-run, how many parcels are due). */
  async purge(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } });
    const dryRun = values['dry-run'];
    const { eligible, erased } = await withStation(values.db, (s) => lifecycleOf(s).purge(cliActor(), dryRun));
    print({ eligible, erased, dryRun });
  },

  async backup(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' }, out: { type: 'string' } });
    if (!values.out) throw new UsageError('--out FILE is required');
    const out = values.out;
    const info = await withStation(values.db, (s) => lifecycleOf(s).backupTo(cliActor(), out));
    print({ out, bytes: info.bytes, storeId: info.storeId, createdAt: info.createdAt });
  },

  /** Into a new store only; the passphrase is the one the station had when the backup was made. */
  async restore(argv: string[], print: Print) {
    const { values } = args(argv, { in: { type: 'string' }, db: { type: 'string' } });
    if (!values.in) throw new UsageError('--in FILE is required');
    print(await restoreBackup(values.in, requireDb(values.db), passphrase()));
  },

  /** Re-wraps the data key under NEW_STATION_PASSPHRASE; nothing is re-encrypted. */
  async 'change-passphrase'(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' } });
    const next = process.env.NEW_STATION_PASSPHRASE;
    if (!next) throw new AppError('NEW_PASSPHRASE_MISSING');
    await withStation(values.db, (s) => lifecycleOf(s).changePassphrase(cliActor(), passphrase(), next));
    print({ changed: true });
  },

  /** A new data key; every sealed value re-encrypted. Resumes an interrupted rotation. */
  async 'rotate-key'(argv: string[], print: Print) {
    const { values } = args(argv, { db: { type: 'string' } });
    print(await withStation(values.db, (s) => lifecycleOf(s).rotate(cliActor(), passphrase())));
  },
};

export type CommandName = keyof typeof commands;
