import { eventually, randomTopic } from '@eventhub/adapter-tests';
import { StorageError, createEventHub, type NewEvent } from '@eventhub/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresAdapter } from '../src/index.js';
import { admin, createTestSchema, uniqueName, withApplicationName } from './support.js';

const url = inject('postgresUrl');

function newEvents(count: number, data: (i: number) => string = (i) => JSON.stringify({ i })): NewEvent[] {
  const at = new Date();
  return Array.from({ length: count }, (_, i) => ({ processedTimestamp: at, originatedTimestamp: at, eventData: data(i) }));
}

describe.skipIf(!url)('appendEvents on PostgreSQL', () => {
  let schema: string;
  let drop: () => Promise<void>;
  beforeAll(async () => ({ schema, drop } = await createTestSchema(url, 'eh_append')));
  afterAll(() => drop());

  it('a batch larger than one statement can bind (65535 parameters) is written whole, in order, in one transaction', async () => {
    const topic = randomTopic();
    const storage = createPostgresAdapter({ connectionString: url, schema });
    try {
      await storage.initialize();
      await storage.createTopicTable(topic);
      await storage.openTopic(topic);
      const written = await storage.appendEvents(topic, newEvents(50_000));
      expect(written.map((e) => JSON.parse(e.eventData).i)).toEqual(Array.from({ length: 50_000 }, (_, i) => i));
      for (let i = 1; i < written.length; i++) expect(written[i]!.id).toBeGreaterThan(written[i - 1]!.id);
      const stored = await storage.readEvents(topic, 0, 60_000);
      expect(stored.map((e) => e.id)).toEqual(written.map((e) => e.id));
    } finally {
      await storage.close();
    }
  });

  it('events of one batch with different processed timestamps keep each their own', async () => {
    const topic = randomTopic();
    const storage = createPostgresAdapter({ connectionString: url, schema });
    try {
      await storage.initialize();
      await storage.createTopicTable(topic);
      await storage.openTopic(topic);
      const base = Date.UTC(2026, 5, 1, 12, 0, 0, 1);
      const events = [2, 0, 1].map((k) => ({
        processedTimestamp: new Date(base + k),
        originatedTimestamp: new Date(base - k),
        eventData: String(k),
      }));
      const written = await storage.appendEvents(topic, events);
      const stored = await storage.readEvents(topic, 0, 10);
      expect(stored).toEqual(written);
      const offsets = stored.map((e) => [
        e.processedTimestamp.getTime() - base,
        base - e.originatedTimestamp.getTime(),
        e.eventData,
      ]);
      expect(offsets).toEqual([
        [2, 2, '2'],
        [0, 0, '0'],
        [1, 1, '1'],
      ]);
    } finally {
      await storage.close();
    }
  });

  it('a large batch that fails in a later chunk writes nothing and leaves the version alone', async () => {
    const topic = randomTopic();
    const storage = createPostgresAdapter({ connectionString: url, schema });
    try {
      await storage.initialize();
      await storage.createTopicTable(topic);
      await storage.openTopic(topic);
      const before = await storage.getTopicState(topic);
      // PostgreSQL's text cannot hold U+0000: the row in the third chunk fails the whole batch.
      const events = newEvents(50_000, (i) => (i === 45_000 ? 'nul \u0000 byte' : String(i)));
      const error = await storage.appendEvents(topic, events).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ topic, operation: 'append', cause: expect.objectContaining({ code: '22021' }) });
      expect(await storage.readEvents(topic, 0, 10)).toEqual([]);
      expect(await storage.getTopicState(topic)).toEqual(before);
      // The connection that failed was discarded, not returned to the pool mid-transaction.
      expect(await storage.appendEvents(topic, newEvents(1))).toHaveLength(1);
    } finally {
      await storage.close();
    }
  });

  it('a publish whose connection is terminated mid-transaction rejects with a StorageError with the cause; nothing is written', async () => {
    const topic = randomTopic();
    const app = uniqueName('eh_victim');
    const storage = createPostgresAdapter({ connectionString: withApplicationName(url, app), schema });
    const hub = createEventHub({ storage });
    const locker = new pg.Client({ connectionString: url });
    try {
      await storage.createTopicTable(topic);
      await hub.registerTopic(topic, 10);
      const version = (await hub.getTopicState(topic)).versionId;
      // Hold the topic's row lock, so the publish's transaction waits on it.
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query(`SELECT 1 FROM "${schema}".topic_states WHERE topic_name = $1 FOR UPDATE`, [topic]);
      const publishing = hub.publishEvent(topic, '{"id":1}').catch((e: unknown) => e);
      let blocked: number[] = [];
      await eventually(async () => {
        const rows = await admin<{ pid: number }>(
          url,
          "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
          [app],
        );
        blocked = rows.map((row) => row.pid);
        return blocked.length === 1;
      }, 10_000, 'the publish waiting for the row lock');
      await admin(url, 'SELECT pg_terminate_backend($1)', [blocked[0]]);
      const error = await publishing;
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ topic, operation: 'append', cause: expect.objectContaining({ code: '57P01' }) });
      expect((error as Error).message).toContain(topic);
      await locker.query('ROLLBACK');
      expect(await storage.readEvents(topic, 0, 10)).toEqual([]);
      expect((await hub.getTopicState(topic)).versionId).toBe(version);
      // The pool replaced the connection: the next publish goes through.
      await expect(hub.publishEvent(topic, '{"id":2}')).resolves.toMatchObject({ eventData: '{"id":2}' });
    } finally {
      await locker.end();
      await hub.close();
    }
  });
});
