import { openHub, publishConcurrently, TOPIC } from '../hub-runs.js';
import type { Report } from '../report.js';
import { fmtSummary, ratio, summarize, type Summary } from '../stats.js';
import type { BenchTarget } from '../targets/target.js';
import type { Settings } from '../settings.js';

/** Scenario 1: publish throughput at 1, 16 and 256 publishers, against the raw limit and the naive design. */
export async function throughput(target: BenchTarget, settings: Settings, report: Report): Promise<Record<string, Summary>> {
  const results: Record<string, Summary> = {};
  const repeat = async (label: string, run: () => Promise<number>): Promise<Summary> => {
    const runs: number[] = [];
    for (let r = 0; r < settings.reps; r++) {
      await target.resetTopic(TOPIC);
      runs.push(await run());
    }
    const summary = summarize(runs);
    results[label] = summary;
    report.add({ scenario: 'throughput', target: target.name, case: label, unit: 'events/s', ...summary, text: fmtSummary(summary) });
    return summary;
  };

  const limit = await repeat('raw driver, 1000 rows/tx + state update', () =>
    target.rawInsert(TOPIC, settings.events, 1000),
  );
  await repeat('raw driver read by id cursor, 1000 rows/query', async () => {
    await target.rawInsert(TOPIC, settings.events, 1000);
    return target.rawRead(TOPIC, 1000);
  });
  const naive = await repeat('naive: INSERT + UPDATE per publish, 256 callers', () =>
    target.naivePublish(TOPIC, settings.naiveEvents, 256),
  );
  for (const publishers of [1, 16, 256]) {
    const count = publishers === 1 ? settings.singlePublisherEvents : settings.events;
    await repeat(`hub publishEvent, ${publishers} publisher${publishers > 1 ? 's' : ''}`, async () => {
      const hub = await openHub(target);
      try {
        return await publishConcurrently(hub, count, publishers);
      } finally {
        await hub.close();
      }
    });
  }
  const hub256 = results['hub publishEvent, 256 publishers']!.median;
  report.ratio(target.name, 'hub (256 publishers) / raw limit', ratio(hub256, limit.median), '≥ 0.5×, aim 0.7×');
  report.ratio(
    target.name,
    'hub (256 publishers) / naive design',
    ratio(hub256, naive.median),
    target.name === 'sqlite' ? '≥ 5×' : '≥ 20×',
  );
  return results;
}
