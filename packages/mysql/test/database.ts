import { randomBytes } from 'node:crypto';
import type { HarnessFactory } from '@eventhub/adapter-tests';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, inject } from 'vitest';
import { createMysqlAdapter } from '../src/index.js';

/** The server the tests run against (from global-setup.ts); `''` when they are skipped. */
export const mysqlUrl = inject('mysqlUrl');

/** The same server with another default database. */
export function urlFor(database: string): string {
  const url = new URL(mysqlUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs statements on a throwaway connection to `url` and returns the last one's rows. */
export async function sql(url: string, ...statements: string[]): Promise<unknown[][]> {
  const connection = await mysql.createConnection({ uri: url, rowsAsArray: true });
  try {
    let rows: unknown = [];
    for (const statement of statements) [rows] = await connection.query(statement);
    return rows as unknown[][];
  } finally {
    await connection.end();
  }
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** A new empty database with a random name, so runs and files never collide. */
export async function createDatabase(): Promise<TestDatabase> {
  const name = `eventhub_test_${randomBytes(6).toString('hex')}`;
  await sql(mysqlUrl, `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  return { name, url: urlFor(name), drop: async () => void (await sql(mysqlUrl, `DROP DATABASE IF EXISTS \`${name}\``)) };
}

/** One database for the whole test file: created before its tests, dropped after them. */
export function useDatabase(): TestDatabase {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    if (mysqlUrl) database = await createDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });
  const current = (): TestDatabase => {
    if (!database) throw new Error('the test database exists only while the file runs');
    return database;
  };
  return {
    get name() {
      return current().name;
    },
    get url() {
      return current().url;
    },
    drop: () => current().drop(),
  };
}

/** The conformance harness: a fresh database per test, adapters polling every 20 ms. */
export const mysqlHarness: HarnessFactory = async () => {
  const database = await createDatabase();
  const connect = () => createMysqlAdapter({ uri: database.url, pollIntervalMs: 20 });
  return {
    adapter: connect(),
    connect,
    async dropTopicTable(topic) {
      await sql(database.url, `DROP TABLE \`${topic}_events\``);
    },
    cleanup: () => database.drop(),
  };
};

/** A payload with some bulk, numbered so order can be checked. */
export function payload(i: number): string {
  return JSON.stringify({ i, kind: 'mysql-test', note: 'x'.repeat(48) });
}

/** Checks a condition until it holds, for server state that changes with no event to await. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
