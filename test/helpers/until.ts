// Waiting on real I/O (sockets, child processes, device fakes) without a fixed sleep.

/** Resolves once `what()` holds, checking every `everyMs`; rejects after `ms`. */
export async function until(what: () => boolean | Promise<boolean>, ms = 10_000, everyMs = 20): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
