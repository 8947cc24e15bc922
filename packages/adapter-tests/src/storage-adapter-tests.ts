import { InvalidTopicNameError, TopicTableMissingError, isEventHubError, type NewEvent } from '@eventhub/core';
import { describe, expect, it } from 'vitest';
import { useHarness } from './context.js';
import { randomTopic, type ConformanceOptions, type HarnessFactory } from './harness.js';

function newEvents(count: number, at = new Date()): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    processedTimestamp: at,
    originatedTimestamp: new Date(at.getTime() - 1000),
    eventData: JSON.stringify({ i }),
  }));
}

/** The adapter layer of the contract: each StorageAdapter member on its own. */
export function describeStorageAdapter(name: string, factory: HarnessFactory, options: ConformanceOptions): void {
  describe(`${name}: StorageAdapter contract`, () => {
    const ctx = useHarness(factory);

    it('declares its wake-up capability', () => {
      expect(ctx.adapter.capabilities.wakeups).toBe(options.wakeups);
    });

    it('initialize and createTopicTable are idempotent', async () => {
      const topic = randomTopic();
      await ctx.adapter.initialize();
      await ctx.adapter.initialize();
      await ctx.adapter.createTopicTable(topic);
      await ctx.adapter.createTopicTable(topic);
      await ctx.adapter.openTopic(topic);
      await ctx.adapter.openTopic(topic);
      expect(await ctx.adapter.getLastEventId(topic)).toBe(0);
    });

    it('openTopic rejects a missing table with TopicTableMissingError and creates nothing', async () => {
      const topic = randomTopic();
      await ctx.adapter.initialize();
      await expect(ctx.adapter.openTopic(topic)).rejects.toBeInstanceOf(TopicTableMissingError);
      expect(await ctx.adapter.getTopicState(topic)).toBeUndefined();
      expect(await ctx.adapter.listTopics()).not.toContain(topic);
    });

    it('openTopic creates the topic_states row with an empty version', async () => {
      const topic = randomTopic();
      await ctx.adapter.initialize();
      await ctx.adapter.createTopicTable(topic);
      await ctx.adapter.openTopic(topic);
      const state = await ctx.adapter.getTopicState(topic);
      expect(state).toMatchObject({ topicName: topic, versionId: '' });
      expect(state!.updatedAt).toBeInstanceOf(Date);
      expect(await ctx.adapter.listTopics()).toContain(topic);
    });

    it('rejects invalid topic names before any SQL', async () => {
      await ctx.adapter.initialize();
      for (const bad of ['Orders', 'x"; DROP TABLE topic_states; --', '1abc', '', 'a'.repeat(49), 'a-b']) {
        await expect(ctx.adapter.createTopicTable(bad)).rejects.toBeInstanceOf(InvalidTopicNameError);
        await expect(ctx.adapter.appendEvents(bad, newEvents(1))).rejects.toBeInstanceOf(InvalidTopicNameError);
      }
      expect(await ctx.adapter.listTopics()).toEqual(expect.any(Array));
    });

    it('appendEvents persists a batch atomically with increasing ids and one new version', async () => {
      const topic = randomTopic();
      await ctx.adapter.initialize();
      await ctx.adapter.createTopicTable(topic);
      await ctx.adapter.openTopic(topic);
      const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
      const written = await ctx.adapter.appendEvents(topic, newEvents(5, at));
      expect(written).toHaveLength(5);
      written.forEach((event, i) => {
        expect(event).toMatchObject({ topicName: topic, eventData: JSON.stringify({ i }) });
        expect(event.processedTimestamp.getTime()).toBe(at.getTime());
        expect(event.originatedTimestamp.getTime()).toBe(at.getTime() - 1000);
        if (i > 0) expect(event.id).toBeGreaterThan(written[i - 1]!.id);
      });
      expect(await ctx.adapter.readEvents(topic, 0, 100)).toEqual(written);
      expect(await ctx.adapter.getLastEventId(topic)).toBe(written[4]!.id);

      const first = await ctx.adapter.getTopicState(topic);
      expect(first!.versionId).not.toBe('');
      await ctx.adapter.appendEvents(topic, newEvents(1));
      const second = await ctx.adapter.getTopicState(topic);
      expect(second!.versionId).not.toBe(first!.versionId);
    });

    it('appendEvents on a dropped table rejects with TopicTableMissingError and leaves the version alone', async () => {
      const topic = randomTopic();
      await ctx.adapter.initialize();
      await ctx.adapter.createTopicTable(topic);
      await ctx.adapter.openTopic(topic);
      await ctx.adapter.appendEvents(topic, newEvents(1));
      const before = await ctx.adapter.getTopicState(topic);
      await ctx.harness.dropTopicTable(topic);
      const error = await ctx.adapter.appendEvents(topic, newEvents(2)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TopicTableMissingError);
      expect(isEventHubError(error)).toBe(true);
      expect((error as Error).cause).toBeDefined();
      expect(await ctx.adapter.getTopicState(topic)).toEqual(before);
    });

    it('readEvents honours afterId and limit', async () => {
      const topic = randomTopic();
      await ctx.adapter.initialize();
      await ctx.adapter.createTopicTable(topic);
      await ctx.adapter.openTopic(topic);
      const written = await ctx.adapter.appendEvents(topic, newEvents(10));
      const page = await ctx.adapter.readEvents(topic, written[2]!.id, 4);
      expect(page.map((e) => e.id)).toEqual(written.slice(3, 7).map((e) => e.id));
      expect(await ctx.adapter.readEvents(topic, written[9]!.id, 4)).toEqual([]);
    });

    it('deleteEvents deletes an inclusive processed-timestamp range, at most limit rows, without a new version', async () => {
      const topic = randomTopic();
      await ctx.adapter.initialize();
      await ctx.adapter.createTopicTable(topic);
      await ctx.adapter.openTopic(topic);
      const t1 = new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 1));
      const t2 = new Date(t1.getTime() + 1);
      const t3 = new Date(t1.getTime() + 2);
      await ctx.adapter.appendEvents(topic, newEvents(3, t1));
      const middle = await ctx.adapter.appendEvents(topic, newEvents(3, t2));
      const last = await ctx.adapter.appendEvents(topic, newEvents(3, t3));
      const version = (await ctx.adapter.getTopicState(topic))!.versionId;

      expect(await ctx.adapter.deleteEvents(topic, t1, t2, 4)).toBe(4);
      expect(await ctx.adapter.deleteEvents(topic, t1, t2, 4)).toBe(2);
      expect(await ctx.adapter.deleteEvents(topic, t1, t2, 4)).toBe(0);
      expect((await ctx.adapter.readEvents(topic, 0, 100)).map((e) => e.id)).toEqual(last.map((e) => e.id));
      expect(middle).toHaveLength(3);
      expect((await ctx.adapter.getTopicState(topic))!.versionId).toBe(version);
    });

    it('ids keep increasing after the newest events are deleted', async () => {
      const topic = randomTopic();
      await ctx.adapter.initialize();
      await ctx.adapter.createTopicTable(topic);
      await ctx.adapter.openTopic(topic);
      const at = new Date();
      const first = await ctx.adapter.appendEvents(topic, newEvents(3, at));
      await ctx.adapter.deleteEvents(topic, at, at, 100);
      const [next] = await ctx.adapter.appendEvents(topic, newEvents(1));
      expect(next!.id).toBeGreaterThan(first[2]!.id);
    });

    it('close is idempotent', async () => {
      await ctx.adapter.initialize();
      await ctx.adapter.close();
      await ctx.adapter.close();
    });

    if (options.multiInstance && options.wakeups !== 'none') {
      it('watch wakes a topic when another adapter on the database appends to it', async () => {
        const topic = randomTopic();
        await ctx.adapter.initialize();
        await ctx.adapter.createTopicTable(topic);
        await ctx.adapter.openTopic(topic);
        const other = await ctx.connect();
        await other.initialize();
        await other.openTopic(topic);
        let appended = false;
        let woken!: () => void;
        const wokenAfterAppend = new Promise<void>((resolve) => (woken = resolve));
        const stop = await ctx.adapter.watch({
          topics: () => [topic],
          wake: (t) => {
            if (t === topic && appended) woken();
          },
          wakeAll: () => {},
          reportError: (error) => {
            throw error;
          },
        });
        appended = true;
        await other.appendEvents(topic, newEvents(1));
        await wokenAfterAppend;
        await stop();
      });
    }
  });
}
