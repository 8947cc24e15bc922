import type { Unwatch, WakeTarget } from './storage-adapter.js';

export interface VersionPollerOptions {
  /** Time between the end of one poll and the start of the next. */
  intervalMs: number;
  /** Reads the current `topic_states.version_id` of each topic, in one cheap query. */
  readVersions(topics: readonly string[]): Promise<Map<string, string>>;
  target: WakeTarget;
}

/**
 * The `poll` wake-up for adapters without push notifications: reads every registered topic's
 * `version_id` each interval and wakes the topics whose version changed (or that it sees for the
 * first time). A failed poll is reported and retried on the next tick; the first success after a
 * failure wakes every topic, since changes may have been missed meanwhile.
 *
 * Exported for adapter authors; the SQLite and MySQL adapters use it for `watch`.
 */
export function startVersionPoller({ intervalMs, readVersions, target }: VersionPollerOptions): Unwatch {
  const seen = new Map<string, string>();
  let stopped = false;
  let failing = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const poll = async (): Promise<void> => {
    const topics = target.topics();
    if (topics.length === 0) return;
    let versions: Map<string, string>;
    try {
      versions = await readVersions(topics);
    } catch (error) {
      failing = true;
      if (!stopped) target.reportError(error);
      return;
    }
    if (stopped) return;
    if (failing) {
      failing = false;
      target.wakeAll();
    }
    for (const [topic, version] of versions) {
      if (seen.get(topic) === version) continue;
      seen.set(topic, version);
      target.wake(topic);
    }
  };

  const tick = (): void => {
    timer = undefined;
    running = poll().finally(() => {
      running = undefined;
      if (!stopped) timer = setTimeout(tick, intervalMs);
    });
  };
  timer = setTimeout(tick, intervalMs);

  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
