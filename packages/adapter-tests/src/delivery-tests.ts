import type { ErrorContext, Event } from '@eventhub/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.js';
import { Collector, expectStrictlyIncreasing, payload, randomTopic } from './harness.js';

export function orderingTests(ctx: SuiteContext): void {
  describe('ordering and delivery', () => {
    it('thousands of concurrent publishes are delivered once each, in id order, in bounded batches', async () => {
      // No safety poll: every event must reach the subscribers through the wake-ups alone.
      const hub = ctx.hub({ batchSize: 50, flushIntervalMs: 600_000 });
      const topic = await ctx.topic(hub, randomTopic());
      const a = new Collector();
      const b = new Collector();
      await hub.registerSubscription(topic, a.handler);
      await hub.registerSubscription(topic, b.handler);
      // 16 publishers in loops, so commits keep landing while the subscribers read.
      const published: number[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < 3000) published.push((await hub.publishEvent(topic, payload(next++))).id);
        }),
      );
      await Promise.all([a.waitFor(3000), b.waitFor(3000)]);
      const expected = published.sort((x, y) => x - y);
      for (const c of [a, b]) {
        expect(c.ids()).toEqual(expected);
        expect(Math.max(...c.batches.map((batch) => batch.length))).toBeLessThanOrEqual(50);
        expect(c.batches.every((batch) => batch.length > 0)).toBe(true);
      }
    });

    it('the next batch is handed over only after the handler’s promise settles', async () => {
      const hub = ctx.hub({ batchSize: 5 });
      const topic = await ctx.topic(hub, randomTopic());
      let running = 0;
      let overlapped = false;
      const c = new Collector();
      await hub.registerSubscription(topic, async (batch) => {
        overlapped ||= running > 0;
        running++;
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        c.handler(batch);
      });
      await Promise.all(Array.from({ length: 100 }, (_, i) => hub.publishEvent(topic, payload(i))));
      await c.waitFor(100);
      expect(c.batches.length).toBeGreaterThanOrEqual(20);
      expect(overlapped).toBe(false);
      expect(expectStrictlyIncreasing(c.ids())).toBe(true);
    });

    it('delivers as soon as it is woken, without waiting for the safety poll', async () => {
      const hub = ctx.hub({ flushIntervalMs: 600_000, batchSize: 100 });
      const topic = await ctx.topic(hub, randomTopic());
      const c = new Collector();
      await hub.registerSubscription(topic, c.handler);
      const event = await hub.publishEvent(topic, payload(1));
      await c.waitFor(1, 5_000);
      expect(c.events).toEqual([event]);
    });

    it('a subscription receives only events committed after it was registered', async () => {
      const hub = ctx.hub();
      const topic = await ctx.topic(hub, randomTopic());
      await hub.publishEvent(topic, payload(0));
      const c = new Collector();
      await hub.registerSubscription(topic, c.handler);
      const later = await hub.publishEvent(topic, payload(1));
      await c.waitFor(1);
      expect(c.ids()).toEqual([later.id]);
    });

    it('several topics at once: each subscription sees only its own topic', async () => {
      const hub = ctx.hub();
      const topics = await Promise.all([randomTopic(), randomTopic(), randomTopic()].map((t) => ctx.topic(hub, t)));
      const collectors = topics.map(() => new Collector());
      await Promise.all(topics.map((t, i) => hub.registerSubscription(t, collectors[i]!.handler)));
      await Promise.all(
        topics.flatMap((t, ti) => Array.from({ length: 200 }, (_, i) => hub.publishEvent(t, payload(ti * 1000 + i)))),
      );
      await Promise.all(collectors.map((c) => c.waitFor(200)));
      collectors.forEach((c, i) => {
        expect(c.events.every((e) => e.topicName === topics[i])).toBe(true);
        expect(c.events.map((e) => JSON.parse(e.eventData).i)).toEqual(Array.from({ length: 200 }, (_, k) => i * 1000 + k));
      });
    });
  });

  describe('slow and failing subscribers', () => {
    it('a slow handler falls behind without holding back the others, then catches up in order', async () => {
      const hub = ctx.hub({ batchSize: 10 });
      const topic = await ctx.topic(hub, randomTopic());
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const slow = new Collector();
      const fast = new Collector();
      await hub.registerSubscription(topic, async (batch) => {
        await gate;
        slow.handler(batch);
      });
      await hub.registerSubscription(topic, fast.handler);
      await Promise.all(Array.from({ length: 500 }, (_, i) => hub.publishEvent(topic, payload(i))));
      await fast.waitFor(500);
      expect(slow.events).toHaveLength(0);
      release();
      await slow.waitFor(500);
      expect(slow.ids()).toEqual(fast.ids());
      expect(expectStrictlyIncreasing(slow.ids())).toBe(true);
    });

    it('a throwing handler gets the same batch again, and reports every failure', async () => {
      const failures: ErrorContext[] = [];
      const hubErrors: unknown[] = [];
      const hub = ctx.hub({ retryInitialDelayMs: 5, onError: (error) => hubErrors.push(error) });
      const topic = await ctx.topic(hub, randomTopic());
      const attempts: number[][] = [];
      const c = new Collector();
      let throwsLeft = 3;
      await hub.registerSubscription(
        topic,
        (batch: Event[]) => {
          attempts.push(batch.map((e) => e.id));
          if (throwsLeft-- > 0) {
            if (throwsLeft % 2 === 0) throw new Error('handler failed synchronously');
            return Promise.reject(new Error('handler failed'));
          }
          c.handler(batch);
        },
        { onError: (_error, context) => failures.push(context) },
      );
      const published = await Promise.all(Array.from({ length: 20 }, (_, i) => hub.publishEvent(topic, payload(i))));
      await c.waitFor(20);
      expect(c.ids()).toEqual(published.map((e) => e.id));
      expect(attempts[1]).toEqual(attempts[0]);
      expect(attempts[2]).toEqual(attempts[0]);
      expect(failures.map((f) => f.attempt)).toEqual([1, 2, 3]);
      expect(failures.every((f) => f.topic === topic && f.operation === 'deliver')).toBe(true);
      expect(hubErrors).toHaveLength(3);
    });

    it('unsubscribe stops delivery to that subscription only', async () => {
      const hub = ctx.hub();
      const topic = await ctx.topic(hub, randomTopic());
      const gone = new Collector();
      const stays = new Collector();
      const sub = await hub.registerSubscription(topic, gone.handler);
      await hub.registerSubscription(topic, stays.handler);
      await hub.publishEvent(topic, payload(1));
      await gone.waitFor(1);
      await sub.unsubscribe();
      await sub.unsubscribe();
      await hub.publishEvent(topic, payload(2));
      await stays.waitFor(2);
      expect(gone.events).toHaveLength(1);
      expect(sub.topicName).toBe(topic);
    });
  });
}
