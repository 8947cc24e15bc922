import { randomTopic } from '@eventhub/adapter-tests';
import mysql from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { createMysqlAdapter } from '../src/index.js';
import { mysqlUrl, sql, useDatabase } from './database.js';

describe.skipIf(!mysqlUrl)('time zones', () => {
  const database = useDatabase();

  it('timestamps round-trip exactly under a non-UTC session time zone and driver timezone', async () => {
    // A pool as a user might set it up: session time zone and mysql2's Date conversion both not UTC.
    const pool = mysql.createPool({ uri: database.url, connectionLimit: 2, timezone: '+05:30', dateStrings: true });
    pool.on('connection', (connection) => {
      connection.query("SET time_zone = '-07:00'");
    });
    const local = createMysqlAdapter({ pool });
    const utc = createMysqlAdapter({ uri: database.url });
    try {
      const topic = randomTopic();
      await local.initialize();
      await local.createTopicTable(topic);
      await local.openTopic(topic);
      const processed = new Date(Date.UTC(2026, 2, 29, 1, 30, 0, 123));
      const originated = new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999));
      const before = Date.now();
      const [written] = await local.appendEvents(topic, [
        { processedTimestamp: processed, originatedTimestamp: originated, eventData: '{}' },
      ]);
      const after = Date.now();

      for (const adapter of [local, utc]) {
        const [read] = await adapter.readEvents(topic, 0, 1);
        expect(read!.processedTimestamp.getTime()).toBe(processed.getTime());
        expect(read!.originatedTimestamp.getTime()).toBe(originated.getTime());
        expect(read).toEqual(written);
        const state = await adapter.getTopicState(topic);
        expect(state!.updatedAt.getTime()).toBeGreaterThanOrEqual(before);
        expect(state!.updatedAt.getTime()).toBeLessThanOrEqual(after);
      }
      // Stored as UTC wall-clock time, whatever the session's zone was.
      const [row] = await sql(
        database.url,
        "SET time_zone = '+09:00'",
        `SELECT CAST(processed_timestamp AS CHAR), CAST(originated_timestamp AS CHAR) FROM \`${topic}_events\``,
      );
      expect(row).toEqual(['2026-03-29 01:30:00.123', '1999-12-31 23:59:59.999']);

      // Retention ranges are instants too.
      expect(await local.deleteEvents(topic, new Date(processed.getTime() + 1), new Date(8.64e15), 10)).toBe(0);
      expect(await local.deleteEvents(topic, processed, processed, 10)).toBe(1);
    } finally {
      await Promise.all([local.close(), utc.close()]);
      await pool.end();
    }
  });
});
