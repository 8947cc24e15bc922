import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.js';
import { expectStrictlyIncreasing, payload, randomTopic } from './harness.js';

export function publishTests(ctx: SuiteContext): void {
  describe('publish', () => {
    it('publishEvent resolves with the committed event', async () => {
      const hub = ctx.hub();
      const topic = await ctx.topic(hub, randomTopic());
      const before = Date.now();
      const event = await hub.publishEvent(topic, '{"id":1}');
      expect(event).toMatchObject({ topicName: topic, eventData: '{"id":1}' });
      expect(event.id).toBeGreaterThan(0);
      expect(event.processedTimestamp).toBeInstanceOf(Date);
      expect(event.originatedTimestamp.getTime()).toBeGreaterThanOrEqual(before);
      expect(event.processedTimestamp.getTime()).toBeGreaterThanOrEqual(event.originatedTimestamp.getTime());
      const [stored] = await ctx.adapter.readEvents(topic, event.id - 1, 1);
      expect(stored).toEqual(event);
    });

    it("keeps the caller's originated timestamp and the payload byte for byte", async () => {
      const hub = ctx.hub();
      const topic = await ctx.topic(hub, randomTopic());
      const originated = new Date(Date.UTC(2020, 1, 29, 12, 0, 0, 123));
      const data = JSON.stringify({ text: 'ünïcödé ✓ "quoted" \\ \n', big: 'y'.repeat(100_000) });
      const event = await hub.publishEvent(topic, data, { originatedTimestamp: originated });
      expect(event.originatedTimestamp.getTime()).toBe(originated.getTime());
      const [stored] = await ctx.adapter.readEvents(topic, event.id - 1, 1);
      expect(stored!.eventData).toBe(data);
      expect(stored!.originatedTimestamp.getTime()).toBe(originated.getTime());
    });

    it('version_id changes with every publish, and only then', async () => {
      const hub = ctx.hub();
      const topic = await ctx.topic(hub, randomTopic(), 2);
      const initial = await hub.getTopicState(topic);
      expect(initial.topicName).toBe(topic);
      const seen = new Set([initial.versionId]);
      for (let i = 0; i < 3; i++) {
        await hub.publishEvent(topic, payload(i));
        const state = await hub.getTopicState(topic);
        expect(seen.has(state.versionId)).toBe(false);
        seen.add(state.versionId);
      }
      // Publishes that are refused write nothing, and cleanup writes no events: the version stays.
      const settled = await hub.getTopicState(topic);
      await expect(hub.publishEvent(topic, 42 as unknown as string)).rejects.toBeInstanceOf(TypeError);
      await expect(hub.publishEvent('t_not_registered', payload(0))).rejects.toThrow();
      await hub.cleanUpEvents(new Date(0), new Date());
      expect((await hub.getTopicState(topic)).versionId).toBe(settled.versionId);
    });

    it('concurrent publishes each get their own event, ids in call order', async () => {
      const hub = ctx.hub();
      const topic = await ctx.topic(hub, randomTopic());
      const events = await Promise.all(Array.from({ length: 500 }, (_, i) => hub.publishEvent(topic, payload(i))));
      events.forEach((event, i) => expect(event.eventData).toBe(payload(i)));
      expect(expectStrictlyIncreasing(events.map((e) => e.id))).toBe(true);
      const stored = await ctx.adapter.readEvents(topic, 0, 1000);
      expect(stored.map((e) => e.id)).toEqual(events.map((e) => e.id));
    });
  });
}
