/**
 * Calls `send(n)` for every index of `sentAt` at `rate` per second, without waiting for each
 * send, and records the time of each call in `sentAt[n]` (read by the receiver as events arrive).
 * Waits with timers only: a busy loop here would take a core from the database and the hub on a
 * 2-core machine and inflate the very latency it measures.
 */
export async function sendAtRate(rate: number, sentAt: Float64Array, send: (n: number) => void): Promise<void> {
  const started = performance.now();
  for (let n = 0; n < sentAt.length; ) {
    const due = started + (n * 1000) / rate;
    const now = performance.now();
    if (now < due) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - now - 1)));
      continue;
    }
    sentAt[n] = now;
    send(n);
    n++;
  }
}

/**
 * Runs `op(0)`..`op(count - 1)` from `concurrency` callers, each awaiting its previous call, and
 * returns the calls completed per second.
 */
export async function callsPerSecond(count: number, concurrency: number, op: (n: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await op(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}
