import { Collector, randomTopic } from '@eventhub/adapter-tests';
import { createEventHub, type NewEvent } from '@eventhub/core';
import { describe, expect, it } from 'vitest';
import { createMysqlAdapter } from '../src/index.js';
import { mysqlUrl, payload, useDatabase } from './database.js';

describe.skipIf(!mysqlUrl)('several hub instances on one MySQL database', () => {
  const database = useDatabase();

  it('three hubs with their own pools publish thousands of events at once: every subscriber gets every event once, in id order', async () => {
    const topic = randomTopic();
    // A long safety poll: only the version poll carries events between the hubs.
    const hubs = [0, 1, 2].map(() =>
      createEventHub({ storage: createMysqlAdapter({ uri: database.url, pollIntervalMs: 20 }), flushIntervalMs: 60_000 }),
    );
    try {
      const setup = createMysqlAdapter({ uri: database.url });
      await setup.initialize();
      await setup.createTopicTable(topic);
      await setup.close();
      const collectors = hubs.map(() => new Collector());
      for (const [i, hub] of hubs.entries()) {
        await hub.registerTopic(topic, 10_000);
        await hub.registerSubscription(topic, collectors[i]!.handler);
      }

      const perHub = 2000;
      const published = await Promise.all(
        hubs.flatMap((hub, h) => Array.from({ length: perHub }, (_, i) => hub.publishEvent(topic, payload(h * perHub + i)))),
      );
      // One more event after all others: anything delivered twice would arrive before it.
      const last = await hubs[2]!.publishEvent(topic, payload(-1));
      const expected = [...published, last].sort((a, b) => a.id - b.id);
      expect(new Set(expected.map((e) => e.id)).size).toBe(3 * perHub + 1);
      expect(last.id).toBe(expected[expected.length - 1]!.id);

      await Promise.all(collectors.map((c) => c.waitFor(expected.length)));
      for (const c of collectors) {
        expect(c.ids()).toEqual(expected.map((e) => e.id));
        expect(c.events.map((e) => e.eventData)).toEqual(expected.map((e) => e.eventData));
      }
    } finally {
      await Promise.all(hubs.map((hub) => hub.close()));
    }
  });

  it('a reader tailing id > cursor never skips an event while three adapters append at once', async () => {
    const topic = randomTopic();
    const writers = [0, 1, 2].map(() => createMysqlAdapter({ uri: database.url }));
    const reader = createMysqlAdapter({ uri: database.url });
    try {
      await reader.initialize();
      await reader.createTopicTable(topic);
      await reader.openTopic(topic);
      const batches = 40;
      const appended: number[] = [];
      const appending = Promise.all(
        writers.map(async (writer, w) => {
          for (let b = 0; b < batches; b++) {
            const size = 1 + ((w * 7 + b * 13) % 50);
            const events: NewEvent[] = Array.from({ length: size }, (_, i) => ({
              processedTimestamp: new Date(),
              originatedTimestamp: new Date(),
              eventData: payload(i),
            }));
            for (const event of await writer.appendEvents(topic, events)) appended.push(event.id);
          }
        }),
      );
      let finished = false;
      void appending.then(() => (finished = true));
      // Tail as a dispatcher does, as fast as the database answers: an id skipped by the cursor never
      // comes back. Once the writers are done, read on until a page comes back empty.
      const seen: number[] = [];
      for (let cursor = 0; ; ) {
        const done = finished;
        const page = await reader.readEvents(topic, cursor, 1000);
        if (page.length === 0 && done) break;
        seen.push(...page.map((e) => e.id));
        if (page.length > 0) cursor = page[page.length - 1]!.id;
      }
      await appending;
      expect(seen).toEqual([...appended].sort((a, b) => a - b));
    } finally {
      await Promise.all([...writers, reader].map((adapter) => adapter.close()));
    }
  });
});
