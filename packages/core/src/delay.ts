import { setTimeout as sleep } from 'node:timers/promises';

/** Exponential backoff: `initialMs`, doubled per attempt, capped at `maxMs`. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}

/** Waits `ms`, or less if `signal` aborts; never rejects, so a stop simply ends the wait. */
export async function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
