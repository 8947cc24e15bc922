import { describeConformance } from '@eventhub/adapter-tests';
import { describe } from 'vitest';
import { mysqlHarness, mysqlUrl } from './database.js';

describe.skipIf(!mysqlUrl)('conformance', () => {
  describeConformance('mysql', mysqlHarness, { multiInstance: true, wakeups: 'poll' });
});
