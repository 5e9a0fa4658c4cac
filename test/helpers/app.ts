// A station app (the real router, store and crypto) with enrolled staff, and a
// test clock that moves on 30 s for every authenticator code, so codes are
// never replays of each other.
import { join } from 'node:path';
import type { Role } from '../../shared/actor';
import type { ChannelInput, ChannelName, Result } from '../../shared/ipc/contract';
import { createStationApp, type StationApp, type StationAppOptions } from '../../main/app/station-app';
import { base32Decode, totp } from '../../main/auth/totp';
import { openStore } from '../../main/store/engine/open-store';
import type { SqlValue, Store } from '../../main/store/engine/store';
import type { EngineUnderTest } from './engines';
import { TEST_KDF, TEST_PASSPHRASE } from './fixtures';

export const TEST_HASH = { N: 1024, r: 8, p: 1 } as const;
export const PASSWORD = 'counter-pass-1';
export const PIN = '2468';

export interface TestApp {
  app: StationApp;
  /** The store: a file, or a PostgreSQL database (see `engine`). */
  dbPath: string;
  /** The first value of a query on the store, read beside the app as another process would. */
  value<T>(sql: string, ...params: SqlValue[]): Promise<T | undefined>;
  /** Every row of a query on the store, read the same way. */
  all<T>(sql: string, ...params: SqlValue[]): Promise<T[]>;
  /** Closes the app and throws its store away (a server database is dropped). */
  close(): Promise<void>;
  clock: { now: Date; advance(ms: number): void };
  call<C extends ChannelName>(channel: C, input: ChannelInput<C>): Promise<Result<unknown>>;
  /** Raw call with anything as input, as a compromised renderer could send. */
  raw(channel: unknown, input: unknown): Promise<Result<unknown>>;
  /** A fresh authenticator code for the user (advances the clock one step). */
  code(username: string): string;
  /** The user's TOTP secret, for codes at another clock (the CLI runs on real time). */
  secret(username: string): Uint8Array;
  login(username: string): Promise<void>;
  events: { event: string; payload: unknown }[];
}

const secretOf = (otpauthUri: string): Uint8Array => base32Decode(new URL(otpauthUri).searchParams.get('secret')!);

export async function startApp(
  dir: string,
  staff: { username: string; role: Role }[] = [],
  extra: Pick<StationAppOptions, 'hidBackend' | 'timers' | 'chooseFolder'> & { engine?: EngineUnderTest } = {},
): Promise<TestApp> {
  const { engine, ...options } = extra;
  const where = engine ? await engine.stationTarget(dir) : { target: join(dir, 'station.db'), dispose: async () => {} };
  const dbPath = where.target;
  const clock = {
    now: new Date('2026-11-25T09:00:00+08:00'),
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const events: TestApp['events'] = [];
  const emit = (event: string, payload: unknown) => events.push({ event, payload });
  const app = createStationApp({ dbPath, kdfCost: TEST_KDF, hashCost: TEST_HASH, workstation: 'counter-1', now: () => clock.now, emit, ...options });
  const ctx = { emit };
  const raw = (channel: unknown, input: unknown) => app.router.handle(channel, input, ctx);
  const call = <C extends ChannelName>(channel: C, input: ChannelInput<C>) => raw(channel, input);
  const secrets = new Map<string, Uint8Array>();
  const code = (username: string) => {
    clock.advance(30_000);
    return totp(secrets.get(username)!, clock.now);
  };
  const must = async <T>(p: Promise<Result<unknown>>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message.en}`);
    return r.value as T;
  };

  await must(call('station.init', { passphrase: TEST_PASSPHRASE, stationName: '测试驿站' }));
  const boot = await must<{ otpauthUri: string }>(call('auth.bootstrap', { username: 'boss', displayName: '王站长', password: PASSWORD }));
  secrets.set('boss', secretOf(boot.otpauthUri));
  await must(call('auth.enrol', { username: 'boss', password: PASSWORD, totp: code('boss'), pin: PIN }));
  for (const s of staff) {
    await must(call('accounts.create', { username: s.username, displayName: s.username, role: s.role, password: PASSWORD, totp: code('boss') }));
  }
  for (const s of staff) {
    const e = await must<{ otpauthUri: string }>(call('auth.enrolment', { username: s.username, password: PASSWORD }));
    secrets.set(s.username, secretOf(e.otpauthUri));
    await must(call('auth.enrol', { username: s.username, password: PASSWORD, totp: code(s.username), pin: PIN }));
    // Enrolment is a first login; end that shift so each test starts with only the supervisor's.
    await must(call('auth.logout', {}));
  }
  const login = async (username: string) => {
    await must(call('auth.login', { username, password: PASSWORD, totp: code(username) }));
  };
  await login('boss');
  const beside = async <T>(read: (store: Store) => Promise<T>): Promise<T> => {
    const store = await openStore(dbPath, { readOnly: true });
    try {
      return await read(store);
    } finally {
      await store.close();
    }
  };
  const value = <T>(sql: string, ...params: SqlValue[]) => beside((s) => s.value<T>(sql, ...params));
  const all = <T>(sql: string, ...params: SqlValue[]) => beside((s) => s.all<T>(sql, ...params));
  const close = async () => {
    await app.close();
    await where.dispose();
  };
  return { app, dbPath, value, all, close, clock, call, raw, code, secret: (u) => secrets.get(u)!, login, events };
}
