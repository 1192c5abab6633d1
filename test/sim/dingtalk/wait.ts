/** Polls until `probe` returns something other than undefined; rejects with a readable message. */
export async function waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Real time passes (for "nothing more happens" checks: no redelivery, no reconnect). */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
