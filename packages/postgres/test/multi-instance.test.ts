import { Collector, randomTopic } from '@eventhub/adapter-tests';
import { createEventHub, type EventHub } from '@eventhub/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresAdapter } from '../src/index.js';
import { createTestSchema } from './support.js';

const url = inject('postgresUrl');

describe.skipIf(!url)('several hub instances on one PostgreSQL', () => {
  let schema: string;
  let drop: () => Promise<void>;
  beforeAll(async () => ({ schema, drop } = await createTestSchema(url, 'eh_multi')));
  afterAll(() => drop());

  it('three hubs with their own pools, publishing concurrently: each subscriber gets every event once, in id order, woken only by NOTIFY', async () => {
    const topic = randomTopic();
    // A one-minute safety poll: within the test, only NOTIFY (and local commits) can wake a dispatcher.
    const storages = [0, 1, 2].map(() => createPostgresAdapter({ connectionString: url, schema, maxConnections: 4 }));
    const hubs: EventHub[] = storages.map((storage) => createEventHub({ storage, flushIntervalMs: 60_000 }));
    const collectors = hubs.map(() => new Collector());
    try {
      await storages[0]!.createTopicTable(topic);
      for (const [i, hub] of hubs.entries()) {
        await hub.registerTopic(topic, 10_000);
        await hub.registerSubscription(topic, collectors[i]!.handler);
      }
      // 3 hubs × 16 publishers × 150 publishes, each publisher awaiting its previous one: many
      // small transactions from three instances interleave on the topic's row lock.
      const perPublisher = 150;
      const published = await Promise.all(
        hubs.flatMap((hub, h) =>
          Array.from({ length: 16 }, async (_, p) => {
            const ids: number[] = [];
            for (let i = 0; i < perPublisher; i++) ids.push((await hub.publishEvent(topic, JSON.stringify({ h, p, i }))).id);
            return ids;
          }),
        ),
      );
      const expected = published.flat().sort((a, b) => a - b);
      expect(new Set(expected).size).toBe(3 * 16 * perPublisher);
      await Promise.all(collectors.map((c) => c.waitFor(expected.length)));
      for (const c of collectors) expect(c.ids()).toEqual(expected);
    } finally {
      await Promise.all(hubs.map((hub) => hub.close()));
    }
  });

  it('every append sends one NOTIFY on eventhub_{schema} whose payload is the topic name', async () => {
    const [topic, other] = [randomTopic(), randomTopic()];
    const storage = createPostgresAdapter({ connectionString: url, schema });
    const listener = new pg.Client({ connectionString: url });
    try {
      await storage.initialize();
      await Promise.all([storage.createTopicTable(topic), storage.createTopicTable(other)]);
      await listener.connect();
      await listener.query(`LISTEN "eventhub_${schema}"`);
      const received: [string, string | undefined][] = [];
      let sentinel!: () => void;
      const sentinelArrived = new Promise<void>((resolve) => (sentinel = resolve));
      listener.on('notification', (message) => {
        received.push([message.channel, message.payload]);
        if (message.payload === other) sentinel();
      });
      const event = (i: number) => ({
        processedTimestamp: new Date(),
        originatedTimestamp: new Date(),
        eventData: String(i),
      });
      await storage.appendEvents(topic, [event(1), event(2), event(3)]);
      await storage.appendEvents(topic, [event(4)]);
      // Notifications of one session arrive in commit order: once this one is in, the others are too.
      await storage.appendEvents(other, [event(5)]);
      await sentinelArrived;
      const channel = `eventhub_${schema}`;
      expect(received).toEqual([
        [channel, topic],
        [channel, topic],
        [channel, other],
      ]);
    } finally {
      await listener.end();
      await storage.close();
    }
  });
});
