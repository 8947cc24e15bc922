import { Collector, eventually, randomTopic } from '@eventhub/adapter-tests';
import { HubClosedError, InvalidArgumentError, StorageError, createEventHub } from '@eventhub/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresAdapter, type PostgresAdapterOptions, type PostgresPool } from '../src/index.js';
import { backendsOf, createTestSchema, uniqueName, withApplicationName } from './support.js';

const url = inject('postgresUrl');
const unreachable = 'postgres://postgres@127.0.0.1:1/none';

describe('createPostgresAdapter without a server', () => {
  it('connects to nothing and runs no DDL until it is used; close() is then a no-op', async () => {
    const storage = createPostgresAdapter({ connectionString: unreachable });
    expect(storage.capabilities).toEqual({ wakeups: 'notify' });
    await storage.close();
    await storage.close();
    await expect(storage.initialize()).rejects.toBeInstanceOf(HubClosedError);
  });

  it('an unreachable server rejects with a StorageError naming the operation, with the driver error as cause', async () => {
    const storage = createPostgresAdapter({ connectionString: unreachable, connectTimeoutMs: 2000 });
    const error = await storage.initialize().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ operation: 'initialize', cause: expect.objectContaining({ code: 'ECONNREFUSED' }) });
    expect((error as Error).message).toMatch(/^\[eventhub\/postgres\] initialize failed/);
    await storage.close();
  });

  it('refuses bad options at once with an InvalidArgumentError', () => {
    const bad: unknown[] = [
      undefined,
      {},
      { connectionString: '' },
      { pool: {} },
      { connectionString: unreachable, schema: 'Events' },
      { connectionString: unreachable, schema: 'pg_events' },
      { connectionString: unreachable, schema: 'a'.repeat(55) },
      { connectionString: unreachable, schema: 'x"; DROP SCHEMA public; --' },
      { connectionString: unreachable, heartbeatIntervalMs: 0 },
      { connectionString: unreachable, reconnectMaxDelayMs: 1.5 },
      { connectionString: unreachable, listenConnectionString: 42 },
      // A pool without its settings cannot tell where to LISTEN.
      { pool: { query: async () => ({ rows: [], rowCount: 0 }), connect: async () => ({}) } },
    ];
    for (const options of bad) {
      expect(() => createPostgresAdapter(options as PostgresAdapterOptions)).toThrow(InvalidArgumentError);
    }
    expect(() => createPostgresAdapter({ connectionString: unreachable, schema: 'a'.repeat(54) })).not.toThrow();
  });
});

describe.skipIf(!url)('connection ownership', () => {
  let schema: string;
  let drop: () => Promise<void>;
  beforeAll(async () => ({ schema, drop } = await createTestSchema(url, 'eh_ownership')));
  afterAll(() => drop());

  it('leaves a pool passed in open for its owner, and listens with that pool’s settings', async () => {
    const topic = randomTopic();
    const pool = new pg.Pool({ connectionString: url, max: 3 });
    pool.on('error', () => {}); // the test's own pool; nothing is expected to fail on it
    const typed: PostgresPool = pool; // a pg.Pool fits the structural type
    const storage = createPostgresAdapter({ pool: typed, schema });
    const hub = createEventHub({ storage, flushIntervalMs: 60_000 });
    const otherStorage = createPostgresAdapter({ connectionString: url, schema });
    const other = createEventHub({ storage: otherStorage });
    try {
      await storage.createTopicTable(topic);
      await hub.registerTopic(topic, 10);
      await other.registerTopic(topic, 10);
      const c = new Collector();
      await hub.registerSubscription(topic, c.handler);
      // Published by another adapter: only the NOTIFY on the pool-configured listener can deliver it.
      const event = await other.publishEvent(topic, '{"id":1}');
      await c.waitFor(1);
      expect(c.ids()).toEqual([event.id]);
    } finally {
      await Promise.all([hub.close(), other.close()]);
    }
    await storage.close();
    expect(pool.ended).toBe(false);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}"."${topic}_events"`);
    expect(rows).toEqual([{ n: 1 }]);
    await pool.end();
  });

  it('ends the pool and the listening connection it opened itself, and refuses calls after close', async () => {
    const topic = randomTopic();
    const app = uniqueName('eh_own');
    const storage = createPostgresAdapter({ connectionString: withApplicationName(url, app), schema });
    const hub = createEventHub({ storage });
    await storage.createTopicTable(topic);
    await hub.registerTopic(topic, 10);
    await hub.publishEvent(topic, '{}');
    expect((await backendsOf(url, app)).length).toBeGreaterThanOrEqual(2);
    await hub.close();
    await storage.close();
    // A backend leaves pg_stat_activity just after its client has gone.
    await eventually(async () => (await backendsOf(url, app)).length === 0, 10_000, 'the adapter’s backends exiting');
    await expect(storage.readEvents(topic, 0, 10)).rejects.toBeInstanceOf(HubClosedError);
    await expect(storage.watch({ topics: () => [], wake() {}, wakeAll() {}, reportError() {} })).rejects.toBeInstanceOf(
      HubClosedError,
    );
  });
});
