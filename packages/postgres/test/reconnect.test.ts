import { Collector, eventually, randomTopic } from '@eventhub/adapter-tests';
import { StorageError, createEventHub, type ErrorContext, type Event, type EventHub } from '@eventhub/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresAdapter } from '../src/index.js';
import {
  admin,
  backendsOf,
  createTestSchema,
  startFreezableProxy,
  uniqueName,
  withApplicationName,
} from './support.js';

const url = inject('postgresUrl');

/** An onError listener that resolves `lost` once the listening connection is reported lost. */
function listenerLoss(): { lost: Promise<unknown>; onError: (error: unknown, context: ErrorContext) => void } {
  let resolve!: (error: unknown) => void;
  const lost = new Promise<unknown>((r) => (resolve = r));
  return {
    lost,
    onError: (error) => {
      if ((error as { operation?: string }).operation === 'listen') resolve(error);
    },
  };
}

function publishMany(hub: EventHub, topic: string, from: number, count: number): Promise<Event[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => hub.publishEvent(topic, JSON.stringify({ i: from + i }))));
}

describe.skipIf(!url)('the listening connection', () => {
  let schema: string;
  let drop: () => Promise<void>;
  beforeAll(async () => ({ schema, drop } = await createTestSchema(url, 'eh_reconnect')));
  afterAll(() => drop());

  it('after all of a reader’s connections are terminated, it reconnects by itself and receives what was published meanwhile, once each', async () => {
    const topic = randomTopic();
    const app = uniqueName('eh_reader');
    const { lost, onError } = listenerLoss();
    // The first reconnect waits ~2 s, so the events below are committed while the reader has no connection at all.
    const reader = createEventHub({
      storage: createPostgresAdapter({
        connectionString: withApplicationName(url, app),
        schema,
        reconnectInitialDelayMs: 2000,
      }),
      flushIntervalMs: 60_000,
      onError,
    });
    const writerStorage = createPostgresAdapter({ connectionString: url, schema });
    const writer = createEventHub({ storage: writerStorage, flushIntervalMs: 60_000 });
    try {
      await writerStorage.createTopicTable(topic);
      await Promise.all([reader.registerTopic(topic, 1000), writer.registerTopic(topic, 1000)]);
      const c = new Collector();
      await reader.registerSubscription(topic, c.handler);
      const before = await publishMany(writer, topic, 0, 100);
      await c.waitFor(100);

      const pids = await backendsOf(url, app);
      expect(pids.length).toBeGreaterThanOrEqual(2); // the listener and at least one pooled connection
      await admin(url, 'SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
      expect(await lost).toBeInstanceOf(StorageError);
      // A terminated backend leaves pg_stat_activity a moment after its client has seen the error.
      await eventually(async () => (await backendsOf(url, app)).length === 0, 10_000, 'the killed backends exiting');

      const meanwhile = await publishMany(writer, topic, 100, 100);
      // Committed while the reader had no connection at all (its first reconnect waits ~2 s).
      expect(await backendsOf(url, app)).toEqual([]);

      await c.waitFor(200);
      // And NOTIFY works again on the new connection.
      const after = await publishMany(writer, topic, 200, 1);
      await c.waitFor(201);
      expect(c.ids()).toEqual([...before, ...meanwhile, ...after].map((e) => e.id));
    } finally {
      await Promise.all([reader.close(), writer.close()]);
    }
  });

  it('a listening connection that stops answering is detected by the heartbeat and replaced; nothing is missed', async () => {
    const topic = randomTopic();
    const proxy = await startFreezableProxy(url);
    const { lost, onError } = listenerLoss();
    // Queries go straight to the server; only LISTEN goes through the proxy (as it would past PgBouncer).
    const reader = createEventHub({
      storage: createPostgresAdapter({
        connectionString: url,
        listenConnectionString: proxy.url,
        schema,
        heartbeatIntervalMs: 50,
        heartbeatTimeoutMs: 200,
        reconnectInitialDelayMs: 10,
      }),
      flushIntervalMs: 60_000,
      onError,
    });
    const writerStorage = createPostgresAdapter({ connectionString: url, schema });
    const writer = createEventHub({ storage: writerStorage, flushIntervalMs: 60_000 });
    try {
      await writerStorage.createTopicTable(topic);
      await Promise.all([reader.registerTopic(topic, 1000), writer.registerTopic(topic, 1000)]);
      const c = new Collector();
      await reader.registerSubscription(topic, c.handler);
      const before = await publishMany(writer, topic, 0, 10);
      await c.waitFor(10);

      proxy.freeze(); // no FIN, no RST: only a query that goes unanswered can tell
      const meanwhile = await publishMany(writer, topic, 10, 10);
      expect((await lost) as Error).toMatchObject({ message: expect.stringMatching(/heartbeat/) });
      await c.waitFor(20);
      expect(c.ids()).toEqual([...before, ...meanwhile].map((e) => e.id));
    } finally {
      await Promise.all([reader.close(), writer.close()]);
      await proxy.close();
    }
  });

  it('closing while the listener waits to reconnect stops the reconnect loop at once', async () => {
    const app = uniqueName('eh_closing');
    const timersBefore = activeTimers();
    const storage = createPostgresAdapter({
      connectionString: withApplicationName(url, app),
      schema,
      reconnectInitialDelayMs: 60_000,
    });
    const reported: unknown[] = [];
    let lost!: () => void;
    const lostReported = new Promise<void>((resolve) => (lost = resolve));
    const unwatch = await storage.watch({
      topics: () => [],
      wake: () => {},
      wakeAll: () => {},
      reportError: (error) => {
        reported.push(error);
        lost();
      },
    });
    await admin(url, 'SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [await backendsOf(url, app)]);
    await lostReported;
    const started = Date.now();
    await unwatch();
    await storage.close();
    expect(Date.now() - started).toBeLessThan(1000);
    // The 60 s reconnect timer is gone with everything else the watch started.
    expect(activeTimers()).toBe(timersBefore);
    expect(reported).toHaveLength(1);
    expect(await backendsOf(url, app)).toEqual([]);
  });

  it('a listening connection that cannot be opened makes initialize reject, naming the operation, with the cause', async () => {
    const storage = createPostgresAdapter({
      connectionString: url,
      schema,
      listenConnectionString: 'postgres://postgres@127.0.0.1:1/none',
    });
    const hub = createEventHub({ storage });
    const error = await hub.initialize().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ operation: 'watch', cause: expect.objectContaining({ code: 'ECONNREFUSED' }) });
    expect((error as Error).message).toMatch(/^\[eventhub\/postgres\] watch failed/);
    await hub.close();
  });
});

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}
