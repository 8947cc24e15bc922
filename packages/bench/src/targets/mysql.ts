import { createMysqlAdapter } from '@eventhub/mysql';
import mysql from 'mysql2/promise';
import { callsPerSecond } from '../pacing.js';
import { payload } from '../payload.js';
import type { BenchTarget } from './target.js';

export async function mysqlTarget(uri: string): Promise<BenchTarget> {
  const pool = mysql.createPool({ uri, connectionLimit: 10, timezone: 'Z', dateStrings: false });
  const setup = createMysqlAdapter({ pool });
  const table = (topic: string) => `\`${topic}_events\``;

  return {
    name: 'mysql',
    async version() {
      const [rows] = await pool.query('SELECT VERSION() AS v');
      return `${(rows as { v: string }[])[0]!.v} (mysql2)`;
    },
    createAdapter: () => createMysqlAdapter({ uri }),
    async resetTopic(topic) {
      await setup.initialize();
      await pool.query(`DROP TABLE IF EXISTS ${table(topic)}`);
      await pool.query('DELETE FROM topic_states WHERE topic_name = ?', [topic]);
      await setup.createTopicTable(topic);
      await setup.openTopic(topic);
    },
    async rawInsert(topic, count, batch) {
      const conn = await pool.getConnection();
      try {
        const started = performance.now();
        for (let done = 0; done < count; done += batch) {
          const n = Math.min(batch, count - done);
          const now = new Date();
          const rows = Array.from({ length: n }, (_, i) => [now, now, payload(done + i)]);
          await conn.beginTransaction();
          await conn.query('UPDATE topic_states SET version_id = ?, updated_at = ? WHERE topic_name = ?', [
            crypto.randomUUID(),
            now,
            topic,
          ]);
          await conn.query(`INSERT INTO ${table(topic)} (processed_timestamp, originated_timestamp, event_data) VALUES ?`, [rows]);
          await conn.commit();
        }
        return count / ((performance.now() - started) / 1000);
      } finally {
        conn.release();
      }
    },
    naivePublish(topic, count, concurrency) {
      return callsPerSecond(count, concurrency, async (n) => {
        const now = new Date();
        await pool.query(`INSERT INTO ${table(topic)} (processed_timestamp, originated_timestamp, event_data) VALUES (?, ?, ?)`, [
          now,
          now,
          payload(n),
        ]);
        await pool.query('UPDATE topic_states SET version_id = ?, updated_at = ? WHERE topic_name = ?', [
          crypto.randomUUID(),
          now,
          topic,
        ]);
      });
    },
    async rawRead(topic, batch) {
      let rows = 0;
      const started = performance.now();
      for (let cursor = 0; ; ) {
        const [page] = await pool.execute(
          `SELECT id, processed_timestamp, originated_timestamp, event_data FROM ${table(topic)} WHERE id > ? ORDER BY id LIMIT ${Number(batch)}`,
          [cursor],
        );
        const list = page as { id: number }[];
        if (list.length === 0) break;
        rows += list.length;
        cursor = Number(list[list.length - 1]!.id);
      }
      return rows / ((performance.now() - started) / 1000);
    },
    async fill(topic, count, at) {
      const when = new Date(at);
      for (let done = 0; done < count; done += 5000) {
        const n = Math.min(5000, count - done);
        const rows = Array.from({ length: n }, (_, i) => [when, when, payload(done + i)]);
        await pool.query(`INSERT INTO ${table(topic)} (processed_timestamp, originated_timestamp, event_data) VALUES ?`, [rows]);
      }
    },
    async close() {
      await setup.close();
      await pool.end();
    },
  };
}
