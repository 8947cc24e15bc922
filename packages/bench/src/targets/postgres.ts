import { createPostgresAdapter } from '@eventhub/postgres';
import pg from 'pg';
import { callsPerSecond } from '../pacing.js';
import { payload } from '../payload.js';
import type { BenchTarget } from './target.js';

export async function postgresTarget(connectionString: string): Promise<BenchTarget> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  pool.on('error', (error) => console.error('bench pool error', error));
  const setup = createPostgresAdapter({ pool });
  const table = (topic: string) => `"${topic}_events"`;

  /** The limit: one round trip per batch, the state-row update first, then a VALUES list. */
  const batchSql = (topic: string, rows: number): string => {
    const values = Array.from({ length: rows }, (_, i) => `($1::timestamptz, $1::timestamptz, $${i + 3})`).join(',');
    return `WITH s AS (UPDATE topic_states SET version_id = $2, updated_at = $1 WHERE topic_name = '${topic}' RETURNING 1)
      INSERT INTO ${table(topic)} (processed_timestamp, originated_timestamp, event_data)
      SELECT v.p, v.o, v.d FROM s, (VALUES ${values}) AS v(p, o, d)`;
  };

  return {
    name: 'postgres',
    async version() {
      const { rows } = await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
      return `PostgreSQL ${rows[0]!.v} (pg ${(await import('pg/package.json', { with: { type: 'json' } })).default.version})`;
    },
    createAdapter: () => createPostgresAdapter({ connectionString }),
    async resetTopic(topic) {
      await setup.initialize();
      await pool.query(`DROP TABLE IF EXISTS ${table(topic)}`);
      await pool.query('DELETE FROM topic_states WHERE topic_name = $1', [topic]);
      await setup.createTopicTable(topic);
      await setup.openTopic(topic);
      await pool.query(`VACUUM ANALYZE topic_states`);
    },
    async rawInsert(topic, count, batch) {
      const client = await pool.connect();
      try {
        const started = performance.now();
        for (let done = 0; done < count; done += batch) {
          const n = Math.min(batch, count - done);
          const params: unknown[] = [new Date(), crypto.randomUUID()];
          for (let i = 0; i < n; i++) params.push(payload(done + i));
          await client.query({ text: batchSql(topic, n), values: params });
        }
        return count / ((performance.now() - started) / 1000);
      } finally {
        client.release();
      }
    },
    naivePublish(topic, count, concurrency) {
      return callsPerSecond(count, concurrency, async (n) => {
        const now = new Date();
        await pool.query(
          `INSERT INTO ${table(topic)} (processed_timestamp, originated_timestamp, event_data) VALUES ($1, $1, $2)`,
          [now, payload(n)],
        );
        await pool.query('UPDATE topic_states SET version_id = $1, updated_at = $2 WHERE topic_name = $3', [
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
        const page = await pool.query<{ id: string }>({
          name: `bench-read-${topic}`,
          text: `SELECT id, processed_timestamp, originated_timestamp, event_data FROM ${table(topic)} WHERE id > $1 ORDER BY id LIMIT $2`,
          values: [cursor, batch],
        });
        if (page.rows.length === 0) break;
        rows += page.rows.length;
        cursor = Number(page.rows[page.rows.length - 1]!.id);
      }
      return rows / ((performance.now() - started) / 1000);
    },
    async fill(topic, count, at) {
      await pool.query(
        `INSERT INTO ${table(topic)} (processed_timestamp, originated_timestamp, event_data)
         SELECT to_timestamp($1 / 1000.0), to_timestamp($1 / 1000.0), $2 FROM generate_series(1, $3)`,
        [at, payload(0), count],
      );
      await pool.query(`VACUUM ANALYZE ${table(topic)}`);
    },
    async close() {
      await setup.close();
      await pool.end();
    },
  };
}
