import {
  HubClosedError,
  InvalidArgumentError,
  TopicTableMissingError,
  assertValidTopicName,
  eventsTableName,
  startVersionPoller,
  type Event,
  type NewEvent,
  type StorageAdapter,
  type TopicState,
  type Unwatch,
  type WakeTarget,
} from '@eventhub/core';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { toSqliteError } from './errors.js';
import { TOPIC_STATES_DDL, quote, topicTableDdl } from './schema.js';

type SqliteDatabase = Database.Database;
type Statement<P extends unknown[] = unknown[]> = Database.Statement<P>;

interface SharedOptions {
  /**
   * How often `watch` reads `topic_states.version_id` to notice events written by other
   * processes on the same file.
   * @default 100
   */
  pollIntervalMs?: number;
  /**
   * How long a write waits for another connection's write lock before failing (only applied to
   * a database this adapter opens).
   * @default 5000
   */
  busyTimeoutMs?: number;
  /**
   * SQLite's `synchronous` setting for a database this adapter opens. `full` syncs the WAL on
   * every commit, so an acknowledged publish survives power loss; `normal` survives a crash of
   * the process but may lose the last commits on power loss, for more throughput.
   * @default 'full'
   */
  synchronous?: 'full' | 'normal';
}

export type SqliteAdapterOptions = SharedOptions &
  (
    | {
        /** Path of the database file (created if missing), or `:memory:` for a private in-memory database. */
        filename: string;
        database?: never;
      }
    | {
        /** An open better-sqlite3 database; it stays open when the adapter closes (its owner closes it). */
        database: SqliteDatabase;
        filename?: never;
      }
  );

interface TopicStatements {
  /** One BEGIN IMMEDIATE transaction: bump the version (row lock first), then insert the batch. */
  append: (events: readonly NewEvent[]) => Event[];
  read: Statement<[number, number]>;
  lastId: Statement<[]>;
  delete: Statement<[number, number, number]>;
}

interface EventRow {
  id: number;
  processed_timestamp: number;
  originated_timestamp: number;
  event_data: string;
}

/** The embedded default: one SQLite file, shared by every process that opens it. */
export function createSqliteAdapter(options: SqliteAdapterOptions): StorageAdapter {
  return new SqliteAdapter(options);
}

class SqliteAdapter implements StorageAdapter {
  readonly name = 'sqlite';
  readonly capabilities: StorageAdapter['capabilities'];
  private connection: SqliteDatabase | undefined;
  private readonly ownsDatabase: boolean;
  private readonly pollIntervalMs: number;
  private readonly topicStatements = new Map<string, TopicStatements>();
  private readonly watches = new Set<Unwatch>();
  private closed = false;

  constructor(private readonly options: SqliteAdapterOptions) {
    if (options.database === undefined && typeof options.filename !== 'string') {
      throw new InvalidArgumentError('createSqliteAdapter needs { filename } or { database }', { operation: 'createSqliteAdapter' });
    }
    this.ownsDatabase = options.database === undefined;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    if (!Number.isSafeInteger(this.pollIntervalMs) || this.pollIntervalMs < 1) {
      throw new InvalidArgumentError('createSqliteAdapter: pollIntervalMs must be a positive integer', {
        operation: 'createSqliteAdapter',
      });
    }
    const inMemory = options.database ? options.database.memory : options.filename === ':memory:' || options.filename === '';
    this.capabilities = { wakeups: inMemory ? 'none' : 'poll' };
  }

  async initialize(): Promise<void> {
    this.run('initialize', undefined, (db) => db.exec(TOPIC_STATES_DDL));
  }

  async createTopicTable(topicName: string): Promise<void> {
    assertValidTopicName(topicName);
    this.run('createTopicTable', topicName, (db) => {
      db.transaction(() => {
        for (const sql of topicTableDdl(topicName)) db.exec(sql);
      }).immediate();
    });
  }

  async openTopic(topicName: string): Promise<void> {
    assertValidTopicName(topicName);
    this.run('openTopic', topicName, (db) => {
      const exists = db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
        .get(eventsTableName(topicName));
      if (!exists) throw new TopicTableMissingError(topicName, { operation: 'registerTopic' });
      db.prepare(
        "INSERT INTO topic_states (topic_name, version_id, updated_at) VALUES (?, '', ?) ON CONFLICT (topic_name) DO NOTHING",
      ).run(topicName, Date.now());
    });
  }

  async appendEvents(topicName: string, events: readonly NewEvent[]): Promise<Event[]> {
    return this.run('append', topicName, () => this.statements(topicName).append(events));
  }

  async readEvents(topicName: string, afterId: number, limit: number): Promise<Event[]> {
    return this.run('read', topicName, () => {
      const rows = this.statements(topicName).read.all(afterId, limit) as EventRow[];
      return rows.map((row) => ({
        id: row.id,
        topicName,
        processedTimestamp: new Date(row.processed_timestamp),
        originatedTimestamp: new Date(row.originated_timestamp),
        eventData: row.event_data,
      }));
    });
  }

  async getLastEventId(topicName: string): Promise<number> {
    return this.run('getLastEventId', topicName, () => {
      const row = this.statements(topicName).lastId.get() as { id: number | null };
      return row.id ?? 0;
    });
  }

  async getTopicState(topicName: string): Promise<TopicState | undefined> {
    assertValidTopicName(topicName);
    return this.run('getTopicState', topicName, (db) => {
      const row = db
        .prepare('SELECT topic_name, version_id, updated_at FROM topic_states WHERE topic_name = ?')
        .get(topicName) as { topic_name: string; version_id: string; updated_at: number } | undefined;
      return row && { topicName: row.topic_name, versionId: row.version_id, updatedAt: new Date(row.updated_at) };
    });
  }

  async listTopics(): Promise<string[]> {
    return this.run('listTopics', undefined, (db) =>
      (db.prepare('SELECT topic_name FROM topic_states ORDER BY topic_name').pluck().all() as string[]),
    );
  }

  async deleteEvents(topicName: string, from: Date, to: Date, limit: number): Promise<number> {
    return this.run('cleanup', topicName, () => {
      return this.statements(topicName).delete.run(from.getTime(), to.getTime(), limit).changes;
    });
  }

  async watch(target: WakeTarget): Promise<Unwatch> {
    if (this.capabilities.wakeups === 'none') return async () => {};
    const db = this.db('watch', undefined);
    const versions = db.prepare(
      'SELECT topic_name, version_id FROM topic_states WHERE topic_name IN (SELECT value FROM json_each(?))',
    );
    const stop = startVersionPoller({
      intervalMs: this.pollIntervalMs,
      target,
      readVersions: async (topics) =>
        this.run('watch', undefined, () => {
          const rows = versions.raw().all(JSON.stringify(topics)) as [string, string][];
          return new Map(rows);
        }),
    });
    const unwatch: Unwatch = async () => {
      this.watches.delete(unwatch);
      await stop();
    };
    this.watches.add(unwatch);
    return unwatch;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.watches].map((unwatch) => unwatch()));
    this.topicStatements.clear();
    if (this.ownsDatabase) this.connection?.close();
    this.connection = undefined;
  }

  /** Runs a synchronous better-sqlite3 call, mapping its errors to the contract's. */
  private run<T>(operation: string, topic: string | undefined, work: (db: SqliteDatabase) => T): T {
    const db = this.db(operation, topic);
    try {
      return work(db);
    } catch (error) {
      throw toSqliteError(operation, topic, error);
    }
  }

  private db(operation: string, topic: string | undefined): SqliteDatabase {
    if (this.closed) throw new HubClosedError(operation, topic, 'eventhub/sqlite');
    if (this.connection) return this.connection;
    if (this.options.database) {
      this.connection = this.options.database;
      return this.connection;
    }
    try {
      const db = new Database(this.options.filename);
      db.pragma('journal_mode = WAL');
      db.pragma(`busy_timeout = ${Math.trunc(this.options.busyTimeoutMs ?? 5000)}`);
      db.pragma(`synchronous = ${this.options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
      this.connection = db;
      return db;
    } catch (error) {
      throw toSqliteError('open', topic, error);
    }
  }

  private statements(topicName: string): TopicStatements {
    let statements = this.topicStatements.get(topicName);
    if (statements) return statements;
    const db = this.db('prepare', topicName);
    const table = quote(eventsTableName(topicName));
    const bumpVersion = db.prepare<[string, string, number]>(
      `INSERT INTO topic_states (topic_name, version_id, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (topic_name) DO UPDATE SET version_id = excluded.version_id, updated_at = excluded.updated_at`,
    );
    const insert = db.prepare<[number, number, string]>(
      `INSERT INTO ${table} (processed_timestamp, originated_timestamp, event_data) VALUES (?, ?, ?)`,
    );
    // BEGIN IMMEDIATE takes SQLite's single write lock before anything else, so commits (and
    // with them ids) are serialized across every connection to the file.
    const append = db.transaction((events: readonly NewEvent[]): Event[] => {
      bumpVersion.run(topicName, uuidv7(), Date.now());
      return events.map((event) => {
        const processed = event.processedTimestamp.getTime();
        const originated = event.originatedTimestamp.getTime();
        const { lastInsertRowid } = insert.run(processed, originated, event.eventData);
        return {
          id: Number(lastInsertRowid),
          topicName,
          processedTimestamp: new Date(processed),
          originatedTimestamp: new Date(originated),
          eventData: event.eventData,
        };
      });
    }).immediate;
    statements = {
      append,
      read: db.prepare(
        `SELECT id, processed_timestamp, originated_timestamp, event_data FROM ${table} WHERE id > ? ORDER BY id LIMIT ?`,
      ),
      lastId: db.prepare(`SELECT MAX(id) AS id FROM ${table}`),
      delete: db.prepare(
        `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE processed_timestamp BETWEEN ? AND ? ORDER BY processed_timestamp LIMIT ?)`,
      ),
    };
    this.topicStatements.set(topicName, statements);
    return statements;
  }
}
