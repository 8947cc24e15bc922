import { deliveredRate, openHub, publishConcurrently, TOPIC } from '../hub-runs.js';
import { payload } from '../payload.js';
import type { Report } from '../report.js';
import { fmt, fmtSummary, latencySummary, summarize } from '../stats.js';
import type { Settings } from '../settings.js';
import type { BenchTarget } from '../targets/target.js';

/**
 * Scenario 4: the cost of a publish and of a delivery with 10k, 100k and 1M events already
 * stored (it must stay flat), and how long retention cleanup of the largest table holds up
 * publishing.
 */
export async function scale(target: BenchTarget, settings: Settings, report: Report): Promise<void> {
  const publishCost: number[] = [];
  const events = Math.min(settings.events, 20_000);
  for (const stored of settings.scaleSizes) {
    const publishRuns: number[] = [];
    const deliverRuns: number[] = [];
    for (let r = 0; r < settings.reps; r++) {
      await target.resetTopic(TOPIC);
      await target.fill(TOPIC, stored, Date.now() - 86_400_000);
      const hub = await openHub(target);
      try {
        publishRuns.push(1e6 / (await publishConcurrently(hub, events, 256)));
        deliverRuns.push(1e6 / (await deliveredRate(hub, 1, events, () => publishConcurrently(hub, events, 256))));
      } finally {
        await hub.close();
      }
    }
    const p = summarize(publishRuns);
    const d = summarize(deliverRuns);
    publishCost.push(p.median);
    report.add({ scenario: 'scale', target: target.name, case: `${fmt(stored)} stored: cost per publish (256 publishers)`, unit: 'µs/event', ...p, text: fmtSummary(p, 2) });
    report.add({ scenario: 'scale', target: target.name, case: `${fmt(stored)} stored: cost per delivery (publish + deliver)`, unit: 'µs/event', ...d, text: fmtSummary(d, 2) });
  }
  if (publishCost.length > 1) {
    const growth = publishCost[publishCost.length - 1]! / publishCost[0]!;
    report.ratio(target.name, `publish cost ${fmt(settings.scaleSizes.at(-1)!)} / ${fmt(settings.scaleSizes[0]!)} stored`, `${growth.toFixed(2)}×`, '≤ 1.2×');
  }

  // Retention: delete the largest fill while a steady 1k/s publisher measures its own latency.
  const stored = settings.scaleSizes.at(-1)!;
  await target.resetTopic(TOPIC);
  const old = Date.now() - 86_400_000;
  await target.fill(TOPIC, stored, old);
  const hub = await openHub(target);
  try {
    const latencies: number[] = [];
    let cleaning = true;
    const publisher = (async () => {
      for (let n = 0; cleaning; n++) {
        const started = performance.now();
        await hub.publishEvent(TOPIC, payload(n));
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    const started = performance.now();
    const deleted = await hub.cleanUpEvents(new Date(0), new Date(old));
    const seconds = (performance.now() - started) / 1000;
    cleaning = false;
    await publisher;
    const l = latencySummary(latencies);
    report.add({
      scenario: 'retention',
      target: target.name,
      case: `cleanup of ${fmt(deleted)} rows while publishing`,
      unit: 'ms publish latency',
      median: l.p50,
      extra: { seconds, deleted, p50: l.p50, p99: l.p99, max: l.max },
      text: `took ${fmt(seconds, 2)} s; publish p50 ${fmt(l.p50, 2)} / p99 ${fmt(l.p99, 2)} / max ${fmt(l.max, 2)}`,
    });
  } finally {
    await hub.close();
  }
}

