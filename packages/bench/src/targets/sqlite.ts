import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteAdapter } from '@eventhub/sqlite';
import Database from 'better-sqlite3';
import { payload } from '../payload.js';
import type { BenchTarget } from './target.js';

export function sqliteTarget(): BenchTarget {
  const dir = mkdtempSync(join(tmpdir(), 'eventhub-bench-'));
  const filename = join(dir, 'bench.db');
  // The same settings the adapter uses on a file it opens: WAL, synchronous=FULL.
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  const setup = createSqliteAdapter({ database: db });

  const table = (topic: string) => `"${topic}_events"`;

  return {
    name: 'sqlite',
    async version() {
      return `SQLite ${(db.prepare('select sqlite_version() as v').get() as { v: string }).v} (better-sqlite3)`;
    },
    createAdapter: () => createSqliteAdapter({ filename }),
    async resetTopic(topic) {
      await setup.initialize();
      db.exec(`DROP TABLE IF EXISTS ${table(topic)}`);
      db.prepare('DELETE FROM topic_states WHERE topic_name = ?').run(topic);
      await setup.createTopicTable(topic);
      await setup.openTopic(topic);
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
    async rawInsert(topic, count, batch) {
      const bump = db.prepare('UPDATE topic_states SET version_id = ?, updated_at = ? WHERE topic_name = ?');
      const insert = db.prepare(
        `INSERT INTO ${table(topic)} (processed_timestamp, originated_timestamp, event_data) VALUES (?, ?, ?)`,
      );
      const write = db.transaction((from: number, n: number) => {
        const now = Date.now();
        bump.run(crypto.randomUUID(), now, topic);
        for (let i = 0; i < n; i++) insert.run(now, now, payload(from + i));
      }).immediate;
      const started = performance.now();
      for (let done = 0; done < count; done += batch) write(done, Math.min(batch, count - done));
      return count / ((performance.now() - started) / 1000);
    },
    async naivePublish(topic, count) {
      // better-sqlite3 is synchronous: concurrency cannot change anything, calls run one by one.
      const insert = db.prepare(
        `INSERT INTO ${table(topic)} (processed_timestamp, originated_timestamp, event_data) VALUES (?, ?, ?)`,
      );
      const bump = db.prepare('UPDATE topic_states SET version_id = ?, updated_at = ? WHERE topic_name = ?');
      const started = performance.now();
      for (let i = 0; i < count; i++) {
        const now = Date.now();
        insert.run(now, now, payload(i));
        bump.run(crypto.randomUUID(), now, topic);
      }
      return count / ((performance.now() - started) / 1000);
    },
    async rawRead(topic, batch) {
      const read = db.prepare(
        `SELECT id, processed_timestamp, originated_timestamp, event_data FROM ${table(topic)} WHERE id > ? ORDER BY id LIMIT ?`,
      );
      let rows = 0;
      const started = performance.now();
      for (let cursor = 0; ; ) {
        const page = read.all(cursor, batch) as { id: number }[];
        if (page.length === 0) break;
        rows += page.length;
        cursor = page[page.length - 1]!.id;
      }
      return rows / ((performance.now() - started) / 1000);
    },
    async fill(topic, count, at) {
      const insert = db.prepare(
        `INSERT INTO ${table(topic)} (processed_timestamp, originated_timestamp, event_data) VALUES (?, ?, ?)`,
      );
      const write = db.transaction((from: number, n: number) => {
        for (let i = 0; i < n; i++) insert.run(at, at, payload(from + i));
      });
      for (let done = 0; done < count; done += 10_000) write(done, Math.min(10_000, count - done));
    },
    async close() {
      await setup.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
