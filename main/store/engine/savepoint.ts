/**
 * Runs `fn` inside SAVEPOINT `name`: released when it resolves, rolled back
 * alone (the enclosing transaction goes on) when it throws.
 */
export async function inSavepoint<T>(exec: (sql: string) => unknown, name: string, fn: () => Promise<T>): Promise<T> {
  await exec(`SAVEPOINT ${name}`);
  try {
    const result = await fn();
    await exec(`RELEASE ${name}`);
    return result;
  } catch (e) {
    await exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
    throw e;
  }
}
