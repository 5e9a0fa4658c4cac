// One counter in its own process, appending to the audit chain of a shared
// PostgreSQL store as fast as it can: read the head, hash the new entry onto
// it, insert, all in one store transaction. Run by
// test/integration/postgres-concurrency.test.ts beside others doing the same.
import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresStore } from '../../main/store/engine/postgres-store';

async function main(): Promise<void> {
  const [url, count, worker, racers] = process.argv.slice(2);
  const store = await PostgresStore.open(url);
  // All racers start together, whatever their start-up took.
  const readyDir = process.env.READY_DIR!;
  writeFileSync(join(readyDir, worker), '');
  while (readdirSync(readyDir).length < Number(racers)) await new Promise((r) => setTimeout(r, 2));

  for (let i = 0; i < Number(count); i++) {
    await store.transaction(async (tx) => {
      const head = await tx.get<{ seq: number; hash: Buffer }>("SELECT seq, hash FROM chain_entries WHERE log = 'audit' ORDER BY seq DESC LIMIT 1");
      const payload = JSON.stringify({ worker, i });
      const prev = head?.hash ?? Buffer.alloc(32);
      // A pause between reading the head and writing after it: without the write lock, another counter would slip in here.
      await new Promise((r) => setTimeout(r, 1));
      const hash = createHash('sha256').update(prev).update(payload).digest();
      await tx.run(
        "INSERT INTO chain_entries (log, seq, created_at, payload, prev_hash, hash) VALUES ('audit', ?, ?, ?, ?, ?)",
        (head?.seq ?? 0) + 1, new Date().toISOString(), payload, prev, hash,
      );
    });
  }
  await store.close();
}

void main();
