export { createPostgresAdapter } from './postgres-adapter.js';
export type {
  PostgresAdapterOptions,
  PostgresPool,
  PostgresPoolClient,
  PostgresQueryConfig,
  PostgresQueryResult,
} from './postgres-adapter.js';
