import { eventually, randomTopic } from '@eventhub/adapter-tests';
import { StorageError, TopicTableMissingError } from '@eventhub/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresAdapter } from '../src/index.js';
import { ddlLockKeys } from '../src/schema.js';
import { admin, uniqueName, withApplicationName } from './support.js';

const url = inject('postgresUrl');

describe.skipIf(!url)('DDL on PostgreSQL', () => {
  // Not created here: the adapters create it, which is part of what is tested.
  const schema = uniqueName('eh_ddl');
  beforeAll(() => admin(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  afterAll(() => admin(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`));

  it('eight adapters starting at once on a missing schema all create it, topic_states and the same tables without error', async () => {
    const topics = [randomTopic(), randomTopic(), randomTopic()];
    const adapters = Array.from({ length: 8 }, () =>
      createPostgresAdapter({ connectionString: url, schema, maxConnections: 2 }),
    );
    try {
      await Promise.all(
        adapters.map(async (adapter) => {
          await adapter.initialize();
          await Promise.all(topics.map((topic) => adapter.createTopicTable(topic)));
          for (const topic of topics) await adapter.openTopic(topic);
        }),
      );
      expect(await adapters[0]!.listTopics()).toEqual([...topics].sort());
    } finally {
      await Promise.all(adapters.map((adapter) => adapter.close()));
    }
  });

  it('creates the documented tables, column types and index', async () => {
    const topic = randomTopic();
    const storage = createPostgresAdapter({ connectionString: url, schema });
    try {
      await storage.initialize();
      await storage.createTopicTable(topic);
    } finally {
      await storage.close();
    }
    const columns = await admin(
      url,
      `SELECT table_name, column_name, data_type, is_nullable, is_identity, identity_generation
       FROM information_schema.columns WHERE table_schema = $1 AND table_name = ANY($2)
       ORDER BY table_name, ordinal_position`,
      [schema, ['topic_states', `${topic}_events`]],
    );
    const column = (table: string, name: string, type: string, nullable = 'NO', identity: string | null = null) => ({
      table_name: table,
      column_name: name,
      data_type: type,
      is_nullable: nullable,
      is_identity: identity ? 'YES' : 'NO',
      identity_generation: identity,
    });
    expect(columns).toEqual([
      column(`${topic}_events`, 'id', 'bigint', 'NO', 'ALWAYS'),
      column(`${topic}_events`, 'processed_timestamp', 'timestamp with time zone'),
      column(`${topic}_events`, 'originated_timestamp', 'timestamp with time zone'),
      column(`${topic}_events`, 'event_data', 'text'),
      column('topic_states', 'topic_name', 'text'),
      column('topic_states', 'version_id', 'text'),
      column('topic_states', 'updated_at', 'timestamp with time zone'),
    ]);
    const indexes = await admin<{ indexdef: string }>(
      url,
      'SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = $2',
      [schema, `${topic}_events_pt_idx`],
    );
    expect(indexes).toHaveLength(1);
    expect(indexes[0]!.indexdef).toContain('(processed_timestamp)');
  });

  it('DDL waits for the schema’s advisory lock, and skips it when everything already exists', async () => {
    const [existing, fresh] = [randomTopic(), randomTopic()];
    const app = uniqueName('eh_ddl_app');
    const storage = createPostgresAdapter({ connectionString: withApplicationName(url, app), schema });
    const holder = new pg.Client({ connectionString: url });
    try {
      await storage.initialize();
      await storage.createTopicTable(existing);
      await holder.connect();
      await holder.query('SELECT pg_advisory_lock($1, $2)', ddlLockKeys(schema));
      // Nothing missing: no lock needed (so a role without CREATE privilege can run them after a migration).
      await storage.initialize();
      await storage.createTopicTable(existing);
      let created = false;
      const creating = storage.createTopicTable(fresh).then(() => (created = true));
      const waitingForLock = "SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event = 'advisory'";
      await eventually(
        async () => (await admin(url, waitingForLock, [app])).length === 1,
        10_000,
        'createTopicTable waiting for the advisory lock',
      );
      expect(created).toBe(false);
      await holder.query('SELECT pg_advisory_unlock($1, $2)', ddlLockKeys(schema));
      await creating;
      await storage.openTopic(fresh);
    } finally {
      await holder.end();
      await storage.close();
    }
  });

  it('before initialize has created topic_states, calls reject with a StorageError that names it, not TopicTableMissingError', async () => {
    const storage = createPostgresAdapter({ connectionString: url, schema: uniqueName('eh_never_initialized') });
    try {
      for (const call of [() => storage.openTopic('orders'), () => storage.listTopics()]) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StorageError);
        expect(error).not.toBeInstanceOf(TopicTableMissingError);
        expect((error as Error).message).toContain('topic_states');
        expect((error as Error).cause).toMatchObject({ code: '42P01' });
      }
    } finally {
      await storage.close();
    }
  });
});
