import { randomTopic } from '@eventhub/adapter-tests';
import { describe, expect, it } from 'vitest';
import { createMysqlAdapter } from '../src/index.js';
import { mysqlUrl, sql, useDatabase } from './database.js';

describe.skipIf(!mysqlUrl)('schema and DDL', () => {
  const database = useDatabase();

  const columns = async (table: string) =>
    sql(
      database.url,
      `SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, EXTRA FROM information_schema.COLUMNS
       WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}' ORDER BY ORDINAL_POSITION`,
    );
  const indexes = async (table: string) =>
    sql(
      database.url,
      `SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS
       WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}' ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
    );

  it('initialize and createTopicTable from several adapters at once all succeed and create each table once', async () => {
    const adapters = Array.from({ length: 6 }, () => createMysqlAdapter({ uri: database.url }));
    const topics = [randomTopic(), randomTopic(), randomTopic()];
    try {
      await Promise.all(
        adapters.map(async (adapter) => {
          await adapter.initialize();
          await Promise.all(topics.map((topic) => adapter.createTopicTable(topic)));
          await Promise.all(topics.map((topic) => adapter.openTopic(topic)));
        }),
      );
      const tables = await sql(
        database.url,
        `SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME`,
      );
      expect(tables.map((row) => String(row[0])).sort()).toEqual(['topic_states', ...topics.map((t) => `${t}_events`)].sort());
      expect(await adapters[0]!.listTopics()).toEqual([...topics].sort());
      for (const topic of topics) {
        expect(await indexes(`${topic}_events`)).toEqual([
          ['PRIMARY', 'id'],
          [`${topic}_events_pt_idx`, 'processed_timestamp'],
        ]);
      }
    } finally {
      await Promise.all(adapters.map((adapter) => adapter.close()));
    }
  });

  it('creates InnoDB utf8mb4 tables: BIGINT AUTO_INCREMENT ids, DATETIME(3) timestamps, LONGTEXT payloads', async () => {
    const adapter = createMysqlAdapter({ uri: database.url });
    const topic = randomTopic();
    try {
      await adapter.initialize();
      await adapter.createTopicTable(topic);
      const engines = await sql(
        database.url,
        `SELECT TABLE_NAME, ENGINE, TABLE_COLLATION FROM information_schema.TABLES
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('topic_states', '${topic}_events') ORDER BY TABLE_NAME`,
      );
      expect(engines.sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1))).toEqual([
        [`${topic}_events`, 'InnoDB', 'utf8mb4_bin'],
        ['topic_states', 'InnoDB', 'utf8mb4_bin'],
      ]);
      const events = (await columns(`${topic}_events`)).map(([name, type, nullable, extra]) => [
        name,
        String(type).replace('bigint(20)', 'bigint'), // MariaDB shows a display width, MySQL 8 does not
        nullable,
        extra,
      ]);
      expect(events).toEqual([
        ['id', 'bigint', 'NO', 'auto_increment'],
        ['processed_timestamp', 'datetime(3)', 'NO', ''],
        ['originated_timestamp', 'datetime(3)', 'NO', ''],
        ['event_data', 'longtext', 'NO', ''],
      ]);
      expect((await columns('topic_states')).map(([name, type]) => [name, type])).toEqual([
        ['topic_name', 'varchar(64)'],
        ['version_id', 'varchar(64)'],
        ['updated_at', 'datetime(3)'],
      ]);
    } finally {
      await adapter.close();
    }
  });

  it('createTopicTable adds the processed_timestamp index to an existing table that lacks it', async () => {
    const adapter = createMysqlAdapter({ uri: database.url });
    const topic = randomTopic();
    try {
      await sql(
        database.url,
        `CREATE TABLE \`${topic}_events\` (id BIGINT AUTO_INCREMENT PRIMARY KEY, processed_timestamp DATETIME(3) NOT NULL,
         originated_timestamp DATETIME(3) NOT NULL, event_data LONGTEXT NOT NULL) ENGINE=InnoDB`,
      );
      await adapter.createTopicTable(topic);
      await adapter.createTopicTable(topic);
      expect(await indexes(`${topic}_events`)).toEqual([
        ['PRIMARY', 'id'],
        [`${topic}_events_pt_idx`, 'processed_timestamp'],
      ]);
    } finally {
      await adapter.close();
    }
  });

  it('openTopic before initialize fails with a StorageError about topic_states, not TopicTableMissingError', async () => {
    const adapter = createMysqlAdapter({ uri: database.url });
    const topic = randomTopic();
    try {
      await adapter.createTopicTable(topic);
      await sql(database.url, 'DROP TABLE IF EXISTS topic_states');
      const error = await adapter.openTopic(topic).catch((e: unknown) => e);
      expect((error as Error).name).toBe('StorageError');
      expect((error as Error).message).toContain('topic_states');
    } finally {
      await adapter.close();
    }
  });
});
