import type { Event } from '@eventhub/core';
import { openHub, TOPIC } from '../hub-runs.js';
import type { Report } from '../report.js';
import { fmt } from '../stats.js';
import type { Settings } from '../settings.js';
import type { BenchTarget } from '../targets/target.js';

const mb = (bytes: number) => bytes / 1024 / 1024;

/**
 * Scenario 5: RSS while a subscriber is `memoryBehind` events behind and catches up. The
 * backlog is written behind the hub's back (the safety poll finds it) while the subscriber's
 * first batch is held, so it is really that far behind when the clock starts.
 */
export async function memory(target: BenchTarget, settings: Settings, report: Report): Promise<void> {
  await target.resetTopic(TOPIC);
  const hub = await openHub(target, { flushIntervalMs: 200 });
  try {
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    let received = 0;
    let allDone!: () => void;
    const done = new Promise<void>((resolve) => (allDone = resolve));
    const behind = settings.memoryBehind;
    let releaseHandler!: () => void;
    const backlogWritten = new Promise<void>((resolve) => (releaseHandler = resolve));
    await hub.registerSubscription(TOPIC, async (events: Event[]) => {
      await backlogWritten;
      received += events.length;
      if (received >= behind) allDone();
    });
    await target.fill(TOPIC, behind, Date.now());
    const started = performance.now();
    releaseHandler();
    await done;
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    report.add({
      scenario: 'memory',
      target: target.name,
      case: `subscriber ${fmt(behind)} events behind, catching up`,
      unit: 'MB RSS',
      median: mb(peak),
      extra: { baselineMb: mb(baseline), peakMb: mb(peak), catchUpSeconds: seconds, catchUpRate: behind / seconds },
      text: `baseline ${fmt(mb(baseline))}, peak ${fmt(mb(peak))} (+${fmt(mb(peak - baseline))}); caught up at ${fmt(behind / seconds)} events/s`,
    });
  } finally {
    await hub.close();
  }
}
