import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.js';
import { Collector, clockPast, eventually, payload, randomTopic } from './harness.js';

export function retentionTests(ctx: SuiteContext): void {
  describe('retention', () => {
    it('cleanUpEvents deletes an inclusive processed-timestamp range from every topic', async () => {
      const hub = ctx.hub();
      const [a, b] = await Promise.all([ctx.topic(hub, randomTopic()), ctx.topic(hub, randomTopic())]);
      const old = await Promise.all([
        ...Array.from({ length: 3 }, (_, i) => hub.publishEvent(a!, payload(i))),
        ...Array.from({ length: 2 }, (_, i) => hub.publishEvent(b!, payload(i))),
      ]);
      const from = new Date(Math.min(...old.map((e) => e.processedTimestamp.getTime())));
      const to = new Date(Math.max(...old.map((e) => e.processedTimestamp.getTime())));
      await clockPast(to);
      const kept = await hub.publishEvent(a!, payload(9));
      expect(await hub.cleanUpEvents(from, to)).toBe(5);
      expect(await ctx.adapter.readEvents(a!, 0, 10)).toEqual([kept]);
      expect(await ctx.adapter.readEvents(b!, 0, 10)).toEqual([]);
      expect(await hub.cleanUpEvents(from, to)).toBe(0);
    });

    it('cleanUpEvents deletes more rows than one chunk', async () => {
      const hub = ctx.hub();
      const topic = await ctx.topic(hub, randomTopic());
      await Promise.all(Array.from({ length: 2500 }, (_, i) => hub.publishEvent(topic, payload(i))));
      expect(await hub.cleanUpEvents(new Date(0), new Date(Date.now() + 1000))).toBe(2500);
      expect(await ctx.adapter.getLastEventId(topic)).toBe(0);
    });

    it('the retention loop deletes events older than the retention period', async () => {
      const hub = ctx.hub({ cleanupIntervalMs: 20, retentionPeriodMs: 1 });
      const topic = await ctx.topic(hub, randomTopic());
      const c = new Collector();
      await hub.registerSubscription(topic, c.handler);
      await Promise.all(Array.from({ length: 10 }, (_, i) => hub.publishEvent(topic, payload(i))));
      await c.waitFor(10);
      await eventually(async () => (await ctx.adapter.readEvents(topic, 0, 10)).length === 0, 10_000, 'retention');
      // Publishing goes on after cleanup, with ids still increasing.
      const next = await hub.publishEvent(topic, payload(10));
      expect(next.id).toBeGreaterThan(c.events[9]!.id);
    });

    it('cleanUpEvents rejects a bad range', async () => {
      const hub = ctx.hub();
      await expect(hub.cleanUpEvents(new Date(2), new Date(1))).rejects.toBeInstanceOf(TypeError);
      await expect(hub.cleanUpEvents('yesterday' as unknown as Date, new Date())).rejects.toBeInstanceOf(TypeError);
    });
  });
}
