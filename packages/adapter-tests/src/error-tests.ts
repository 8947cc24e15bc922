import {
  EventHubError,
  HubClosedError,
  InvalidArgumentError,
  InvalidQueueSizeError,
  InvalidTopicNameError,
  QueueFullError,
  TopicAlreadyExistsError,
  TopicNotFoundError,
  TopicTableMissingError,
  isEventHubError,
} from '@eventhub/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from './context.js';
import { payload, randomTopic } from './harness.js';

export function errorTests(ctx: SuiteContext): void {
  describe('errors', () => {
    it('registerTopic refuses invalid names with InvalidTopicNameError and touches nothing', async () => {
      const hub = ctx.hub();
      await hub.initialize();
      const before = await ctx.adapter.listTopics();
      for (const bad of ['Orders', 'orders-v2', '9lives', '', 'a'.repeat(49), 'x"; DROP TABLE topic_states; --', 'ö', 42]) {
        const error = await hub.registerTopic(bad as string, 10).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidTopicNameError);
        expect(isEventHubError(error)).toBe(true);
      }
      expect(await ctx.adapter.listTopics()).toEqual(before);
      await expect(hub.registerTopic('a'.repeat(48), 10)).rejects.toBeInstanceOf(TopicTableMissingError);
    });

    it('registerTopic refuses a queueSize that is not a positive integer', async () => {
      const hub = ctx.hub();
      const topic = randomTopic();
      await ctx.adapter.createTopicTable(topic);
      for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10', undefined]) {
        await expect(hub.registerTopic(topic, bad as number)).rejects.toBeInstanceOf(InvalidQueueSizeError);
      }
      await hub.registerTopic(topic, 1);
    });

    it('a second registration of the same name rejects, also when both race', async () => {
      const hub = ctx.hub();
      const topic = randomTopic();
      await ctx.adapter.createTopicTable(topic);
      const results = await Promise.allSettled([hub.registerTopic(topic, 10), hub.registerTopic(topic, 10)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const [rejected] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected!.reason).toBeInstanceOf(TopicAlreadyExistsError);
      await expect(hub.registerTopic(topic, 10)).rejects.toBeInstanceOf(TopicAlreadyExistsError);
    });

    it('a missing events table rejects with TopicTableMissingError and the topic stays unregistered', async () => {
      const hub = ctx.hub();
      const topic = randomTopic();
      await expect(hub.registerTopic(topic, 10)).rejects.toBeInstanceOf(TopicTableMissingError);
      await expect(hub.publishEvent(topic, payload(1))).rejects.toBeInstanceOf(TopicNotFoundError);
      // Tables are created on purpose, never silently; once created, registration works.
      await ctx.adapter.createTopicTable(topic);
      await hub.registerTopic(topic, 10);
      await hub.publishEvent(topic, payload(1));
    });

    it('publish and subscribe on an unregistered topic reject with TopicNotFoundError', async () => {
      const hub = ctx.hub();
      await hub.initialize();
      await expect(hub.publishEvent('t_unknown', payload(1))).rejects.toBeInstanceOf(TopicNotFoundError);
      await expect(hub.registerSubscription('t_unknown', () => {})).rejects.toBeInstanceOf(TopicNotFoundError);
      await expect(hub.getTopicState('t_unknown')).rejects.toBeInstanceOf(TopicNotFoundError);
    });

    it('eventData that is not a string is a TypeError and writes nothing', async () => {
      const hub = ctx.hub();
      const topic = await ctx.topic(hub, randomTopic());
      for (const bad of [{ id: 1 }, 42, null, undefined, Buffer.from('x')]) {
        const error = await hub.publishEvent(topic, bad as unknown as string).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TypeError);
        expect(error).toBeInstanceOf(EventHubError);
        expect(isEventHubError(error)).toBe(true);
      }
      expect(await ctx.adapter.readEvents(topic, 0, 10)).toEqual([]);
      expect((await hub.getTopicState(topic)).versionId).toBe('');
    });

    it('a bad originatedTimestamp is refused alone; the publishes beside it are written', async () => {
      const hub = ctx.hub();
      const topic = await ctx.topic(hub, randomTopic());
      const results = await Promise.allSettled([
        hub.publishEvent(topic, payload(1)),
        hub.publishEvent(topic, payload(2), { originatedTimestamp: new Date('0500-01-01T00:00:00Z') }),
        hub.publishEvent(topic, payload(3), { originatedTimestamp: new Date(Number.NaN) }),
        hub.publishEvent(topic, payload(4), new Date('2001-02-03T04:05:06.789Z')),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
      for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
        expect(r.reason).toBeInstanceOf(TypeError);
      }
      const stored = await ctx.adapter.readEvents(topic, 0, 10);
      expect(stored.map((e) => e.eventData)).toEqual([payload(1), payload(4)]);
      expect(stored[1]!.originatedTimestamp.toISOString()).toBe('2001-02-03T04:05:06.789Z');
    });

    it('eventData with a NUL character is refused alone; other text, however large or non-ASCII, round-trips exactly', async () => {
      const hub = ctx.hub();
      const topic = await ctx.topic(hub, randomTopic());
      const unicode = JSON.stringify({ text: 'zażółć gęślą — 日本語 — 🚀🎉', escaped: '\u0000 as JSON escape' });
      const large = JSON.stringify({ blob: 'x'.repeat(1_000_000) });
      const results = await Promise.allSettled([
        hub.publishEvent(topic, unicode),
        hub.publishEvent(topic, 'a\u0000b'),
        hub.publishEvent(topic, large),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(InvalidArgumentError);
      const stored = await ctx.adapter.readEvents(topic, 0, 10);
      expect(stored.map((e) => e.eventData)).toEqual([unicode, large]);
    });

    it('QueueFullError refuses publishes beyond queueSize; the accepted ones are written, nothing else', async () => {
      const hub = ctx.hub();
      const topic = await ctx.topic(hub, randomTopic(), 5);
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => hub.publishEvent(topic, payload(i))));
      const accepted = results.filter((r): r is PromiseFulfilledResult<never> => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(accepted).toHaveLength(5);
      expect(refused).toHaveLength(3);
      for (const r of refused) expect(r.reason).toBeInstanceOf(QueueFullError);
      const stored = await ctx.adapter.readEvents(topic, 0, 100);
      expect(stored.map((e) => e.eventData)).toEqual([0, 1, 2, 3, 4].map(payload));
      // The queue empties as it is written: the topic accepts publishes again.
      await hub.publishEvent(topic, payload(9));
    });

    it('a dropped events table: publish rejects with TopicTableMissingError, naming the topic, with the cause', async () => {
      const hub = ctx.hub();
      const topic = await ctx.topic(hub, randomTopic());
      await hub.publishEvent(topic, payload(1));
      const version = (await hub.getTopicState(topic)).versionId;
      await ctx.harness.dropTopicTable(topic);
      const error = await hub.publishEvent(topic, payload(2)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TopicTableMissingError);
      expect(error).toMatchObject({ topic });
      expect((error as Error).message).toContain(topic);
      expect((error as Error).cause).toBeInstanceOf(Error);
      expect((await hub.getTopicState(topic)).versionId).toBe(version);
    });

    it('after close() every call rejects with HubClosedError', async () => {
      const hub = ctx.hub();
      const topic = await ctx.topic(hub, randomTopic());
      await hub.close();
      await expect(hub.publishEvent(topic, payload(1))).rejects.toBeInstanceOf(HubClosedError);
      await expect(hub.registerTopic(randomTopic(), 1)).rejects.toBeInstanceOf(HubClosedError);
      await expect(hub.registerSubscription(topic, () => {})).rejects.toBeInstanceOf(HubClosedError);
      await expect(hub.initialize()).rejects.toBeInstanceOf(HubClosedError);
    });
  });
}
