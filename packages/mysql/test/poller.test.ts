import { Collector, randomTopic } from '@eventhub/adapter-tests';
import { createEventHub, type ErrorContext } from '@eventhub/core';
import { describe, expect, it } from 'vitest';
import { createMysqlAdapter } from '../src/index.js';
import { eventually, mysqlUrl, payload, sql, useDatabase } from './database.js';

describe.skipIf(!mysqlUrl)('the version poll', () => {
  const database = useDatabase();

  /** Server threads whose default database is the test database (our admin connections use another). */
  const threads = async (): Promise<number[]> =>
    (await sql(mysqlUrl, `SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '${database.name}'`)).map((row) =>
      Number(row[0]),
    );

  it("keeps delivering another instance's events after every connection to the database is killed", async () => {
    const topic = randomTopic();
    const contexts: ErrorContext[] = [];
    const receiving = createEventHub({
      storage: createMysqlAdapter({ uri: database.url, pollIntervalMs: 20 }),
      flushIntervalMs: 60_000,
      onError: (_error, context) => contexts.push(context),
    });
    const publishing = createEventHub({ storage: createMysqlAdapter({ uri: database.url, pollIntervalMs: 20 }) });
    try {
      const setup = createMysqlAdapter({ uri: database.url });
      await setup.initialize();
      await setup.createTopicTable(topic);
      await setup.close();
      const c = new Collector();
      await receiving.registerTopic(topic, 100);
      await publishing.registerTopic(topic, 100);
      await receiving.registerSubscription(topic, c.handler);
      const first = await publishing.publishEvent(topic, payload(1));
      await c.waitFor(1);

      const killed = await threads();
      expect(killed.length).toBeGreaterThan(0);
      for (const thread of killed) await sql(mysqlUrl, `KILL CONNECTION ${thread}`);
      await eventually(async () => (await threads()).every((id) => !killed.includes(id)), 'the killed connections ending');

      const second = await publishing.publishEvent(topic, payload(2));
      await c.waitFor(2);
      expect(c.ids()).toEqual([first.id, second.id]);
      // Whatever was reported on the way is the poll's recovery, not a delivery failure.
      expect(contexts.every((context) => context.operation === 'watch')).toBe(true);
    } finally {
      await Promise.all([receiving.close(), publishing.close()]);
    }
  });
});
