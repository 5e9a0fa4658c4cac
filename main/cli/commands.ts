// One function per CLI command. Each opens the store, does one job through the
// same services the app uses, and closes the store again.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ROLES, type Actor } from '../../shared/actor';
import { AppError } from '../../shared/errors';
import { lookupQuery } from '../../shared/ipc/contract';
import { EXPORT_FORMATS, SHRED_METHODS } from '../../shared/ipc/ledger';
import { parseCarrier } from '../../shared/waybill';
import { AuditLog } from '../audit/audit-log';
import { handedOver, labelPrinted, lookupViewed, manifestImported, parcelsViewed, scannedIn } from '../audit/events';
import { Accounts } from '../auth/accounts';
import { otpauthUri } from '../auth/totp';
import { verifyExport } from '../chain/export-signature';
import { loadSigningKey, publicKeyFromPem, publicKeyPem } from '../chain/signing-key';
import { fingerprintOf } from '../crypto/sm2';
import { ParcelLookup } from '../counter/lookup';
import { PickupDesk } from '../counter/pickup';
import { ReturnDesk } from '../counter/returns';
import { importManifest } from '../inbound/import-manifest';
import { ScanIn } from '../inbound/scan-in';
import { DPIS, LABEL_FORMATS, LABEL_SIZE_IDS, renderLabel } from '../labels';
import { exportContext, periodRange } from '../exports/format';
import { exportLedger } from '../ledger/ledger-export';
import { ShredLedger } from '../ledger/shred-ledger';
import { restoreBackup } from '../lifecycle/backup';
import { Lifecycle } from '../lifecycle/lifecycle';
import { settingsOf } from '../settings/settings';
import { refuseTampered } from '../store/parcels';
import { initialiseStation, unlockWithPassphrase, type Station } from '../store/station';
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
  const station = unlockWithPassphrase(requireDb(db), passphrase(), undefined, opts);
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

/** An export and its signature (FILE.sig unless given); FILE may also name the .sig itself. */
function readExport(file: string, sig?: string): ExportFile {
  const path = sig === undefined && file.endsWith('.sig') ? file.slice(0, -'.sig'.length) : file;
  return { file: path, bytes: readInput(path), sigText: Buffer.from(readInput(sig ?? `${path}.sig`)).toString('utf8') };
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

/** The lifecycle service over a CLI-opened store: audited as the CLI, no scheduler. */
function lifecycleOf(s: Station): Lifecycle {
  const audit = new AuditLog(s);
  return new Lifecycle(s, { settings: settingsOf(s.db), audit, record: (e) => audit.record(e), now: () => new Date(), workstation: hostname() });
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
    const { parcels, tampered } = await withStation(values.db, (s) => {
      const found = new ParcelLookup(s).search(parsed.data);
      new AuditLog(s).record(parcelsViewed(cliActor(), found.parcels.map((p) => p.id), parsed.data.by));
      return found;
    });
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
      const ledger = new ShredLedger(s, settingsOf(s.db));
      const ctx = exportContext(s, from, to, 'CLI', new Date());
      const { fromIso, toIso } = periodRange(from, to, ctx.timeZone);
      const entries = ledger.entries(fromIso, toIso);
      // The station administrator's exports are audited like anyone's.
      new AuditLog(s).record({ action: 'export', actor: cliActor(), detail: { what: 'shred-ledger', format, from, to, rows: entries.length } });
      const file = await exportLedger(s, entries, format, ctx);
      return { file, rows: entries.length, fingerprint: loadSigningKey(s).fingerprint };
    });
    const sig = `${values.out}.sig`;
    writeFileSync(values.out, file.bytes);
    writeFileSync(sig, file.signature);
    print({ out: values.out, sig, format, rows, bytes: file.bytes.length, fingerprint });
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
      async (s) => {
        if (values.store) return [parcelsCheck(s)];
        const key = loadSigningKey(s);
        return [
          ...(await chainChecks(s, key.publicKey)),
          anchorCheck(s, key.publicKey),
          projectionsCheck(s),
          parcelsCheck(s),
          ...(exported ? againstChecks(s, key.fingerprint, exported) : []),
        ];
      },
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
      const ledger = new ShredLedger(s, settingsOf(s.db));
      const audit = new AuditLog(s);
      let wrongCode: Actor | null = null;
      // All or nothing: a refused line (a duplicate, a malformed number) records no batch at all.
      const record = s.db
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
          // Both people present, as at the counter: each one's current code, replay-protected.
          // Checked last, so a refused list spends nobody's code.
          for (const [who, code] of [[operator, operatorCode], [witness, witnessCode]] as const) {
            if (!accounts.codeMatches(who.username, code)) {
              wrongCode = who;
              throw new AppError('WRONG_CODE', who.username);
            }
          }
          audit.record({
            action: 'ledger.record',
            actor: cliActor(),
            detail: { entry: done.id, batch: done.batchId, method, sheets: done.sheets, operator: operator.username, witness: witness.username },
          });
          return done;
        })
        .immediate;
      try {
        return record();
      } catch (e) {
        if (!wrongCode) throw e;
        // The failure outlives the rolled-back batch: audited and counted towards that person's lockout.
        const who: Actor = wrongCode;
        audit.record({ action: 'auth.login_failed', actor: null, username: who.username, workstation: hostname(), detail: { reason: 'WRONG_CODE', as: who === operator ? 'operator' : 'witness' } });
        return accounts.refuseCode(who.username);
      }
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

  /**
   * Staff accounts from the station administrator's terminal (it holds the
   * passphrase): the way back in for a locked supervisor or a lost phone.
   * Every change is audited as the CLI's.
   */
  async account(argv: string[], print: Print) {
    const [sub, ...rest] = argv;
    const { values } = args(rest, { db: { type: 'string' }, username: { type: 'string' }, role: { type: 'string' }, 'display-name': { type: 'string' } });
    if (sub === 'list') {
      const users = await withStation(values.db, (s) => new Accounts(s).list());
      for (const u of users) print(u);
      return;
    }
    if (!sub || !ACCOUNT_SUBCOMMANDS.includes(sub as AccountSubcommand)) throw new UsageError(`account ${ACCOUNT_SUBCOMMANDS.join('|')}`);
    if (!values.username) throw new UsageError('--username U is required');
    const username = values.username;
    const role = sub === 'add' ? oneOf(values.role, ROLES, '--role') : undefined;
    print(
      await withStation(values.db, (s) => {
        const accounts = new Accounts(s);
        const audit = new AuditLog(s);
        return s.db.transaction(() => {
          if (sub === 'add') {
            const password = process.env.ACCOUNT_PASSWORD;
            if (!password) throw new AppError('ACCOUNT_PASSWORD_MISSING');
            const user = accounts.create({ username, displayName: values['display-name'] ?? username, role: role!, password }, null);
            audit.record({ action: 'accounts.create', actor: cliActor(), detail: { userId: user.id, role: user.role } });
            // Unenrolled: the first login in the app shows this same secret and the recovery codes.
            return { ...user, otpauthUri: otpauthUri(accounts.pendingTotpSecret(user.id), user.username) };
          }
          const user = accounts.findByUsername(username);
          if (!user) throw new AppError('USER_NOT_FOUND', username);
          if (sub === 'unlock') accounts.clearLockout(user.id);
          if (sub === 'disable') accounts.setDisabled(user.id, true);
          // A lost authenticator: a new secret, enrolled at once (the PIN stays), and a new set of recovery codes.
          const reset = sub === 'reset-2fa' ? { otpauthUri: otpauthUri(accounts.resetTotp(user.id), user.username), recoveryCodes: accounts.issueRecoveryCodes(user.id) } : {};
          if (sub === 'reset-2fa') accounts.markEnrolled(user.id);
          audit.record({
            action: 'accounts.update',
            actor: cliActor(),
            detail: { userId: user.id, clearLockout: sub === 'unlock', disabled: sub === 'disable' ? true : null, resetTotp: sub === 'reset-2fa' },
          });
          return { ...accounts.get(user.id), ...reset };
        })();
      }),
    );
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
