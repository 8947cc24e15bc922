import { deliveryLatency, openHub, TOPIC } from '../hub-runs.js';
import type { Report } from '../report.js';
import { fmt, type LatencySummary } from '../stats.js';
import type { Settings } from '../settings.js';
import type { BenchTarget } from '../targets/target.js';

/** Scenario 2: publish→handler latency at fixed offered rates, on one instance and across two. */
export async function latency(
  target: BenchTarget,
  settings: Settings,
  report: Report,
): Promise<Record<string, LatencySummary>> {
  const results: Record<string, LatencySummary> = {};
  for (const cross of [false, true]) {
    for (const rate of settings.latencyRates) {
      await target.resetTopic(TOPIC);
      // Across instances the safety poll is out of the way: only the adapter's wake-ups deliver.
      const publisher = await openHub(target, { flushIntervalMs: 60_000 });
      const receiver = cross ? await openHub(target, { flushIntervalMs: 60_000 }) : publisher;
      try {
        const label = `${cross ? 'two instances' : 'one instance'}, ${fmt(rate)} events/s`;
        const s = await deliveryLatency(publisher, receiver, rate, settings.latencySeconds);
        results[label] = s;
        report.add({
          scenario: 'latency',
          target: target.name,
          case: label,
          unit: 'ms',
          median: s.p50,
          extra: { p50: s.p50, p99: s.p99, max: s.max, count: s.count },
          text: `p50 ${fmt(s.p50, 2)} / p99 ${fmt(s.p99, 2)} / max ${fmt(s.max, 2)}`,
        });
      } finally {
        await publisher.close();
        if (receiver !== publisher) await receiver.close();
      }
    }
  }
  return results;
}
