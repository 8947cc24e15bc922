import { deliveredRate, openHub, publishConcurrently, TOPIC } from '../hub-runs.js';
import type { Report } from '../report.js';
import { fmtSummary, summarize } from '../stats.js';
import type { Settings } from '../settings.js';
import type { BenchTarget } from '../targets/target.js';

/** Scenario 3: 1 and 10 subscribers on one topic; delivered events/s across all of them. */
export async function fanout(target: BenchTarget, settings: Settings, report: Report): Promise<void> {
  for (const subscribers of [1, 10]) {
    const runs: number[] = [];
    for (let r = 0; r < settings.reps; r++) {
      await target.resetTopic(TOPIC);
      const hub = await openHub(target);
      try {
        runs.push(
          await deliveredRate(hub, subscribers, settings.fanoutEvents, () =>
            publishConcurrently(hub, settings.fanoutEvents, 256),
          ),
        );
      } finally {
        await hub.close();
      }
    }
    const s = summarize(runs);
    report.add({
      scenario: 'fan-out',
      target: target.name,
      case: `1 publisher group → ${subscribers} subscriber${subscribers > 1 ? 's' : ''}, delivered`,
      unit: 'events/s',
      ...s,
      text: fmtSummary(s),
    });
  }
}
