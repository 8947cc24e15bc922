import mysql from 'mysql2/promise';

/** The per-query options the adapter sets (mysql2's `QueryOptions`). */
export interface MysqlQueryOptions {
  sql: string;
  values?: unknown[];
  rowsAsArray?: boolean;
  typeCast?: boolean;
  nestTables?: boolean;
  namedPlaceholders?: boolean;
}

/** What the adapter uses of a mysql2 promise connection checked out of a pool. */
export interface MysqlPoolConnection {
  query(options: MysqlQueryOptions): Promise<[unknown, unknown]>;
  release(): void;
  destroy(): void;
}

/**
 * A mysql2 promise pool (`createPool` from `mysql2/promise`), typed by what the adapter uses. We
 * don't use the type from `mysql2` here so that a pool from your own copy of mysql2 fits without a
 * second copy or a cast.
 */
export interface MysqlPool {
  getConnection(): Promise<MysqlPoolConnection>;
  query(options: MysqlQueryOptions): Promise<[unknown, unknown]>;
}

/** A pool the adapter owns: it also ends it. */
export interface OwnedPool extends MysqlPool {
  end(): Promise<void>;
}

/**
 * Opens the adapter's own pool. Every setting comes from the URI, query string included
 * (`?connectionLimit=20`), as mysql2 parses it. Connections open on first use, not here.
 *
 * A pooled connection that fails while idle (server restart, `KILL`, network) emits `'error'`;
 * mysql2 drops it from the pool, and the next query opens a new one. The listener passes the error
 * on (to the hub's logger, through `watch`) instead of letting an unhandled `'error'` end the process.
 */
export function openPool(uri: string, onConnectionError: (error: unknown) => void): OwnedPool {
  const pool = mysql.createPool(uri);
  pool.on('connection', (connection) => {
    connection.on('error', onConnectionError);
  });
  return pool;
}
