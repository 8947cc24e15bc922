import { HubClosedError, createEventHub } from '@eventhub/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.js';
import { Collector, payload, randomTopic } from './harness.js';

export function closeTests(ctx: SuiteContext): void {
  describe('close', () => {
    it('close() racing with publishing: every accepted publish is written, the rest rejected', async () => {
      const hub = ctx.hub();
      const topic = await ctx.topic(hub, randomTopic());
      const publishes = Array.from({ length: 2000 }, (_, i) => hub.publishEvent(topic, payload(i)));
      const closing = hub.close();
      const late = hub.publishEvent(topic, payload(-1)).catch((e: unknown) => e);
      const results = await Promise.allSettled(publishes);
      await closing;
      expect(await late).toBeInstanceOf(HubClosedError);
      expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
      const check = await ctx.connect();
      await check.initialize();
      const ids: number[] = [];
      for (let after = 0; ; ) {
        const page = await check.readEvents(topic, after, 1000);
        if (page.length === 0) break;
        ids.push(...page.map((e) => e.id));
        after = page[page.length - 1]!.id;
      }
      expect(ids).toEqual(results.map((r) => (r as PromiseFulfilledResult<{ id: number }>).value.id));
    });

    it('close() is idempotent, and the adapter may be closed before or after it', async () => {
      const hub = ctx.hub();
      await ctx.topic(hub, randomTopic());
      await Promise.all([hub.close(), hub.close()]);
      await hub.close();
      await ctx.adapter.close();

      const other = await ctx.connect();
      const second = createEventHub({ storage: other });
      await second.initialize();
      await other.close();
      await second.close();
    });

    it('close() waits for a batch in flight and stops delivery', async () => {
      const hub = ctx.hub();
      const topic = await ctx.topic(hub, randomTopic());
      let release!: () => void;
      let started!: () => void;
      const inHandler = new Promise<void>((resolve) => (started = resolve));
      let finished = false;
      const c = new Collector();
      await hub.registerSubscription(topic, async (batch) => {
        started();
        await new Promise<void>((resolve) => (release = resolve));
        c.handler(batch);
        finished = true;
      });
      await hub.publishEvent(topic, payload(1));
      await inHandler;
      const closing = hub.close();
      release();
      await closing;
      expect(finished).toBe(true);
      expect(c.events).toHaveLength(1);
    });
  });
}
