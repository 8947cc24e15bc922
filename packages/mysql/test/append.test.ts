import { randomTopic } from '@eventhub/adapter-tests';
import { StorageError, type NewEvent, type StorageAdapter } from '@eventhub/core';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlAdapter } from '../src/index.js';
import { eventually, mysqlUrl, sql, useDatabase } from './database.js';

function newEvents(data: readonly string[]): NewEvent[] {
  const now = new Date();
  return data.map((eventData) => ({ processedTimestamp: now, originatedTimestamp: now, eventData }));
}

describe.skipIf(!mysqlUrl)('appendEvents on MySQL', () => {
  const database = useDatabase();
  let adapter: StorageAdapter;

  beforeAll(async () => {
    adapter = createMysqlAdapter({ uri: database.url });
    await adapter.initialize();
  });
  afterAll(async () => {
    await adapter?.close();
  });

  const newTopic = async (): Promise<string> => {
    const topic = randomTopic();
    await adapter.createTopicTable(topic);
    await adapter.openTopic(topic);
    return topic;
  };

  const maxAllowedPacket = async (): Promise<number> => Number((await sql(database.url, 'SELECT @@max_allowed_packet'))[0]![0]);

  it('a batch too big for one statement is split into several INSERTs: ids increase in input order', async () => {
    const topic = await newTopic();
    // About 2 MiB per row once hex-encoded: each INSERT (at most 4 MiB) holds one or two rows.
    const data = Array.from({ length: 8 }, (_, i) => JSON.stringify({ i, blob: String(i).repeat(1024 * 1024) }));
    const before = await adapter.getTopicState(topic);
    const written = await adapter.appendEvents(topic, newEvents(data));
    expect(written.map((e) => e.eventData)).toEqual(data);
    for (let i = 1; i < written.length; i++) expect(written[i]!.id).toBeGreaterThan(written[i - 1]!.id);
    expect(await adapter.readEvents(topic, 0, 100)).toEqual(written);
    expect((await adapter.getTopicState(topic))!.versionId).not.toBe(before!.versionId);
  });

  it('an event too big for max_allowed_packet rejects with a clear error, and nothing of its batch is written', async () => {
    const topic = await newTopic();
    const tooBig = 'y'.repeat(Math.ceil((await maxAllowedPacket()) / 2) + 1);
    const before = await adapter.getTopicState(topic);
    const error = await adapter.appendEvents(topic, newEvents(['{"small":true}', tooBig])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ topic, operation: 'append' });
    expect((error as Error).message).toContain('max_allowed_packet');
    expect((error as Error).cause).toBeInstanceOf(RangeError);
    expect(await adapter.readEvents(topic, 0, 10)).toEqual([]);
    expect(await adapter.getTopicState(topic)).toEqual(before);
  });

  it('a timestamp outside DATETIME years 1000-9999 rejects its batch with a RangeError cause, writing nothing', async () => {
    const topic = await newTopic();
    const before = await adapter.getTopicState(topic);
    const now = new Date();
    const error = await adapter
      .appendEvents(topic, [
        { processedTimestamp: now, originatedTimestamp: now, eventData: '{}' },
        { processedTimestamp: now, originatedTimestamp: new Date(Date.UTC(10000, 0, 1)), eventData: '{}' },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).cause).toBeInstanceOf(RangeError);
    expect((error as Error).message).toContain('DATETIME');
    expect(await adapter.readEvents(topic, 0, 10)).toEqual([]);
    expect(await adapter.getTopicState(topic)).toEqual(before);
  });

  it('payloads survive byte for byte, also on a pool whose sessions use NO_BACKSLASH_ESCAPES', async () => {
    const pool = mysql.createPool({ uri: database.url, connectionLimit: 1 });
    pool.on('connection', (connection) => {
      connection.query("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')");
    });
    const own = createMysqlAdapter({ pool });
    try {
      const topic = await newTopic();
      const data = [
        `'); DROP TABLE topic_states; --`,
        `\\'); DROP TABLE topic_states; --`,
        'back\\slash \\n \\0 "double" \'single\' `tick`',
        'nul \u0000 and ctrl-z \u001a and \r\n',
        'ünïcödé ✓ 🚀 𝄞 中文',
        '',
        JSON.stringify({ nested: JSON.stringify({ quote: '"\\' }) }),
      ];
      const written = await own.appendEvents(topic, newEvents(data));
      expect(written.map((e) => e.eventData)).toEqual(data);
      expect((await own.readEvents(topic, 0, 100)).map((e) => e.eventData)).toEqual(data);
      expect((await adapter.readEvents(topic, 0, 100)).map((e) => e.eventData)).toEqual(data);
      expect(await adapter.listTopics()).toContain(topic);
    } finally {
      await own.close();
      await pool.end();
    }
  });

  it('an empty batch writes nothing and keeps the version', async () => {
    const topic = await newTopic();
    const before = await adapter.getTopicState(topic);
    expect(await adapter.appendEvents(topic, [])).toEqual([]);
    expect(await adapter.getTopicState(topic)).toEqual(before);
  });

  it('deleteEvents takes the oldest processed timestamps first, then the lowest ids', async () => {
    const topic = await newTopic();
    const at = (ms: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ms));
    // Ids follow commit order; processed timestamps may not (instances stamp a batch before they get the row lock).
    const stamps = [3, 1, 2, 1];
    const ids: number[] = [];
    for (const ms of stamps) {
      const [event] = await adapter.appendEvents(topic, [{ processedTimestamp: at(ms), originatedTimestamp: at(ms), eventData: '{}' }]);
      ids.push(event!.id);
    }
    expect(await adapter.deleteEvents(topic, at(0), at(9), 2)).toBe(2);
    expect((await adapter.readEvents(topic, 0, 10)).map((e) => e.id)).toEqual([ids[0], ids[2]]);
    expect(await adapter.deleteEvents(topic, at(0), at(2), 5)).toBe(1);
    expect((await adapter.readEvents(topic, 0, 10)).map((e) => e.id)).toEqual([ids[0]]);
  });

  describe('when the connection dies before COMMIT', () => {
    /** Holds the topic's topic_states row lock, so that appends wait inside their transaction. */
    const holdRowLock = async (topic: string) => {
      const holder = await mysql.createConnection(database.url);
      await holder.query('START TRANSACTION');
      await holder.query('SELECT * FROM topic_states WHERE topic_name = ? FOR UPDATE', [topic]);
      return {
        release: async () => {
          await holder.query('ROLLBACK');
          await holder.end();
        },
      };
    };
    /** Server threads of appends waiting for the row lock. */
    const waitingAppends = async (): Promise<number[]> =>
      (
        await sql(
          mysqlUrl,
          `SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '${database.name}' AND INFO LIKE 'UPDATE topic_states%'`,
        )
      ).map((row) => Number(row[0]));
    /** Kills the waiting append's connection and resolves with its thread id. */
    const killWaitingAppend = async (killed: readonly number[]): Promise<number> => {
      let thread: number | undefined;
      await eventually(async () => {
        thread = (await waitingAppends()).find((id) => !killed.includes(id));
        return thread !== undefined;
      }, 'an append waiting for the row lock');
      await sql(mysqlUrl, `KILL CONNECTION ${thread}`);
      return thread!;
    };

    it('the append runs again on a new connection and is written once', async () => {
      const topic = await newTopic();
      const lock = await holdRowLock(topic);
      const appending = adapter.appendEvents(topic, newEvents(['{"a":1}', '{"a":2}']));
      const killed = [await killWaitingAppend([])];
      // The second attempt waits for the lock again, on another connection.
      await eventually(async () => (await waitingAppends()).some((id) => !killed.includes(id)), 'the retried append');
      await lock.release();
      const written = await appending;
      expect(written.map((e) => e.eventData)).toEqual(['{"a":1}', '{"a":2}']);
      expect(await adapter.readEvents(topic, 0, 10)).toEqual(written);
    });

    it('an append that loses its connection on every attempt rejects with the driver error as cause, writing nothing', async () => {
      const topic = await newTopic();
      const before = await adapter.getTopicState(topic);
      const lock = await holdRowLock(topic);
      const appending = adapter.appendEvents(topic, newEvents(['{"b":1}'])).catch((e: unknown) => e);
      const killed: number[] = [];
      for (let attempt = 0; attempt < 3; attempt++) killed.push(await killWaitingAppend(killed));
      const error = await appending;
      await lock.release();
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ topic, operation: 'append' });
      expect((error as Error).cause).toBeInstanceOf(Error);
      expect(await adapter.readEvents(topic, 0, 10)).toEqual([]);
      expect(await adapter.getTopicState(topic)).toEqual(before);
    });
  });
});
