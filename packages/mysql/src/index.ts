export { createMysqlAdapter } from './mysql-adapter.js';
export type { MysqlAdapterOptions } from './mysql-adapter.js';
export type { MysqlPool, MysqlPoolConnection, MysqlQueryOptions } from './pool.js';
