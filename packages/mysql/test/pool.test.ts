import { randomTopic } from '@eventhub/adapter-tests';
import { HubClosedError, InvalidArgumentError, StorageError, createEventHub, isEventHubError } from '@eventhub/core';
import mysql from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { createMysqlAdapter, type MysqlAdapterOptions } from '../src/index.js';
import { eventually, mysqlUrl, payload, sql, useDatabase } from './database.js';

describe.skipIf(!mysqlUrl)('pools and connections', () => {
  const database = useDatabase();

  /** Server connections whose default database is the test database. */
  const connectionsOnDatabase = async (): Promise<number> =>
    Number((await sql(mysqlUrl, `SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '${database.name}'`))[0]![0]);

  it('a passed-in pool stays open after close(), for its owner to use and end', async () => {
    const pool = mysql.createPool({ uri: database.url, connectionLimit: 2 });
    try {
      const adapter = createMysqlAdapter({ pool });
      const hub = createEventHub({ storage: adapter });
      const topic = randomTopic();
      await adapter.initialize();
      await adapter.createTopicTable(topic);
      await hub.registerTopic(topic, 10);
      await hub.publishEvent(topic, payload(1));
      await hub.close();
      await adapter.close();
      const [rows] = await pool.query({ sql: `SELECT COUNT(*) FROM \`${topic}_events\``, rowsAsArray: true });
      expect((rows as unknown[][])[0]![0]).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it('createMysqlAdapter opens no connection and runs no DDL; close() of an unused adapter resolves', async () => {
    const pool = mysql.createPool({ uri: database.url, connectionLimit: 2 });
    let acquired = 0;
    pool.on('acquire', () => acquired++);
    try {
      const passedIn = createMysqlAdapter({ pool });
      createEventHub({ storage: passedIn });
      const before = await connectionsOnDatabase();
      const own = createMysqlAdapter({ uri: database.url });
      createEventHub({ storage: own });
      expect(await connectionsOnDatabase()).toBe(before);
      expect(acquired).toBe(0);
      await own.close();
      await passedIn.close();
      expect(acquired).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it("close() ends the adapter's own pool: its connections leave the server", async () => {
    const before = await connectionsOnDatabase();
    const adapter = createMysqlAdapter({ uri: database.url });
    const topic = randomTopic();
    await adapter.initialize();
    await adapter.createTopicTable(topic);
    await adapter.openTopic(topic);
    await Promise.all(Array.from({ length: 5 }, () => adapter.readEvents(topic, 0, 10)));
    expect(await connectionsOnDatabase()).toBeGreaterThan(before);
    await adapter.close();
    await eventually(async () => (await connectionsOnDatabase()) === before, 'the pool connections closing');
  });

  it('after close() every call rejects with HubClosedError and uses no connection', async () => {
    const pool = mysql.createPool({ uri: database.url, connectionLimit: 2 });
    let acquired = 0;
    pool.on('acquire', () => acquired++);
    try {
      const adapter = createMysqlAdapter({ pool });
      const topic = randomTopic();
      await adapter.initialize();
      await adapter.createTopicTable(topic);
      await adapter.close();
      const used = acquired;
      const now = new Date();
      const calls = [
        adapter.initialize(),
        adapter.createTopicTable(topic),
        adapter.openTopic(topic),
        adapter.appendEvents(topic, [{ processedTimestamp: now, originatedTimestamp: now, eventData: '{}' }]),
        adapter.readEvents(topic, 0, 10),
        adapter.getLastEventId(topic),
        adapter.getTopicState(topic),
        adapter.listTopics(),
        adapter.deleteEvents(topic, now, now, 10),
        adapter.watch({ topics: () => [topic], wake: () => {}, wakeAll: () => {}, reportError: () => {} }),
      ];
      for (const result of await Promise.allSettled(calls)) {
        expect(result.status).toBe('rejected');
        expect((result as PromiseRejectedResult).reason).toBeInstanceOf(HubClosedError);
      }
      expect(acquired).toBe(used);
      await adapter.close();
    } finally {
      await pool.end();
    }
  });

  it('an unreachable server: calls reject with a StorageError naming the operation, the driver error as cause', async () => {
    const adapter = createMysqlAdapter({ uri: 'mysql://root@127.0.0.1:1/eventhub' });
    try {
      const error = await adapter.initialize().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect(isEventHubError(error)).toBe(true);
      expect(error).toMatchObject({ operation: 'initialize' });
      expect((error as Error).message).toMatch(/^\[eventhub\/mysql\] initialize failed/);
      expect((error as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await adapter.close();
    }
  });

  it('a URI without a database: initialize rejects with a StorageError that says so', async () => {
    const url = new URL(mysqlUrl);
    url.pathname = '/';
    const adapter = createMysqlAdapter({ uri: url.toString() });
    try {
      const error = await adapter.initialize().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as Error).message).toMatch(/no database selected/i);
      expect((error as Error).cause).toMatchObject({ errno: 1046 }); // ER_NO_DB_ERROR
    } finally {
      await adapter.close();
    }
  });

  it('refuses bad options at once', () => {
    const bad = [
      undefined,
      {},
      { uri: '' },
      { uri: database.url, pool: { getConnection: () => {}, query: () => {} } },
      { pool: {} },
      { uri: database.url, pollIntervalMs: 0 },
      { uri: database.url, pollIntervalMs: 1.5 },
    ];
    for (const options of bad) {
      expect(() => createMysqlAdapter(options as unknown as MysqlAdapterOptions)).toThrow(InvalidArgumentError);
    }
  });
});
