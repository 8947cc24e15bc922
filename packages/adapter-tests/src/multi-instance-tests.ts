import { createEventHub, type EventHub } from '@eventhub/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.js';
import { Collector, expectStrictlyIncreasing, payload, randomTopic } from './harness.js';

export function multiInstanceTests(ctx: SuiteContext): void {
  describe('several hub instances on one database', () => {
    it('two hubs see each other’s events: every subscriber gets every event once, in id order', async () => {
      const topic = randomTopic();
      // A long safety poll: only the adapter's wake-ups (NOTIFY or version poll) deliver remote events.
      const hubs: EventHub[] = [ctx.hub({ flushIntervalMs: 60_000 })];
      const other = createEventHub({ storage: await ctx.connect(), flushIntervalMs: 60_000 });
      hubs.push(other);
      await ctx.adapter.createTopicTable(topic);
      const collectors = [new Collector(), new Collector()];
      try {
        for (const [i, hub] of hubs.entries()) {
          await hub.registerTopic(topic, 10_000);
          await hub.registerSubscription(topic, collectors[i]!.handler);
        }
        const perHub = 1000;
        const published = (
          await Promise.all(
            hubs.flatMap((hub, h) => Array.from({ length: perHub }, (_, i) => hub.publishEvent(topic, payload(h * perHub + i)))),
          )
        ).map((e) => e.id);
        const expected = [...published].sort((a, b) => a - b);
        await Promise.all(collectors.map((c) => c.waitFor(2 * perHub)));
        for (const c of collectors) {
          expect(expectStrictlyIncreasing(c.ids())).toBe(true);
          expect(c.ids()).toEqual(expected);
        }
      } finally {
        await other.close();
      }
    });
  });
}
