import { randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { HarnessFactory } from '@eventhub/adapter-tests';
import pg from 'pg';
import { createPostgresAdapter } from '../src/index.js';

/** `prefix` and ten random `[a-z0-9]`: a schema or application name no other run uses. */
export function uniqueName(prefix: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `${prefix}_${[...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

/** The URL with `application_name` set, so that one adapter's connections can be found (and killed). */
export function withApplicationName(url: string, applicationName: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('application_name', applicationName);
  return parsed.toString();
}

/** Runs SQL on a connection of its own, outside every adapter. */
export async function admin<T = Record<string, unknown>>(url: string, text: string, values?: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {}); // a failure also rejects the query below, which is what the test sees
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A schema for one test file: created at once, dropped with everything in it by `drop`. */
export async function createTestSchema(url: string, prefix: string): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = uniqueName(prefix);
  await admin(url, `CREATE SCHEMA "${schema}"`);
  return { schema, drop: async () => void (await admin(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`)) };
}

/** The backends of one application name (the adapter's pool and its listener). */
export async function backendsOf(url: string, applicationName: string): Promise<number[]> {
  const rows = await admin<{ pid: number }>(
    url,
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
    [applicationName],
  );
  return rows.map((row) => row.pid);
}

/** The conformance harness: every test gets a schema of its own, dropped in `cleanup`. */
export function postgresHarness(url: string): HarnessFactory {
  return async () => {
    const schema = uniqueName('eh_conformance');
    const connect = () => createPostgresAdapter({ connectionString: url, schema });
    return {
      adapter: connect(),
      connect,
      async dropTopicTable(topic) {
        await admin(url, `DROP TABLE "${schema}"."${topic}_events"`);
      },
      async cleanup() {
        await admin(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      },
    };
  };
}

/**
 * A TCP proxy in front of the server whose open connections can be frozen: bytes stop flowing
 * both ways while both sockets stay open, as when a network path dies without a FIN or RST.
 * New connections pass through normally.
 */
export async function startFreezableProxy(url: string): Promise<{ url: string; freeze(): void; close(): Promise<void> }> {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  const pairs: [Socket, Socket][] = [];
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy()); // the other side's close ends the pair
    }
    client.pipe(upstream).pipe(client);
    pairs.push([client, upstream]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String((server.address() as AddressInfo).port);
  return {
    url: proxied.toString(),
    freeze() {
      for (const [client, upstream] of pairs.splice(0)) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
