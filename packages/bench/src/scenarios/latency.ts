import { deliveryLatency, openHub, TOPIC } from '../hub-runs.js';
import type { Report } from '../report.js';
import { combineLatencyRuns, fmt, latencyRow, type LatencySummary } from '../stats.js';
import type { Settings } from '../settings.js';
import type { BenchTarget } from '../targets/target.js';

/**
 * Scenario 2: publish→handler latency at fixed offered rates, on one instance and across two.
 * Each case runs `reps` times from a fresh topic; reported: the median run's p50 and p99 (with
 * the range over runs) and the largest max.
 */
export async function latency(
  target: BenchTarget,
  settings: Settings,
  report: Report,
): Promise<Record<string, LatencySummary>> {
  const results: Record<string, LatencySummary> = {};
  for (const cross of [false, true]) {
    for (const rate of settings.latencyRates) {
      const label = `${cross ? 'two instances' : 'one instance'}, ${fmt(rate)} events/s`;
      const runs: LatencySummary[] = [];
      for (let r = 0; r < settings.reps; r++) runs.push(await latencyRun(target, cross, rate, settings.latencySeconds));
      const s = combineLatencyRuns(runs);
      results[label] = s;
      report.add(latencyRow(target.name, 'latency', label, s));
    }
  }
  return results;
}

async function latencyRun(target: BenchTarget, cross: boolean, rate: number, seconds: number): Promise<LatencySummary> {
  await target.resetTopic(TOPIC);
  // Across instances the safety poll is out of the way: only the adapter's wake-ups deliver.
  const publisher = await openHub(target, { flushIntervalMs: 60_000 });
  const receiver = cross ? await openHub(target, { flushIntervalMs: 60_000 }) : publisher;
  try {
    return await deliveryLatency(publisher, receiver, rate, seconds);
  } finally {
    await publisher.close();
    if (receiver !== publisher) await receiver.close();
  }
}
