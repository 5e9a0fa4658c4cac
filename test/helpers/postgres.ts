// PostgreSQL for tests: the throwaway cluster of scripts/pg-cluster.sh, found
// through PC_TEST_PG_URL (the owner role, which may create databases) and
// PC_TEST_PG_APP_URL (the counters' role). Each test gets databases of its own.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_URL = process.env.PC_TEST_PG_URL;
export const PG_APP_URL = process.env.PC_TEST_PG_APP_URL;

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function asOwner<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  if (!PG_URL) throw new Error('PC_TEST_PG_URL is not set: start a cluster with scripts/pg-cluster.sh');
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new empty database owned by the owner role; `drop` removes it even with connections still open. */
export async function freshDatabase(): Promise<{ name: string; ownerUrl: string; appUrl: string; drop(): Promise<void> }> {
  const name = `pc_test_${randomBytes(6).toString('hex')}`;
  await asOwner((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    name,
    ownerUrl: withDatabase(PG_URL!, name),
    appUrl: withDatabase(PG_APP_URL ?? PG_URL!, name),
    drop: () => asOwner((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
