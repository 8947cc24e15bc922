import { describeConformance } from '@eventhub/adapter-tests';
import { describe, inject } from 'vitest';
import { postgresHarness } from './support.js';

const url = inject('postgresUrl');
describe.skipIf(!url)('postgres conformance', () => {
  describeConformance('postgres', postgresHarness(url), { multiInstance: true, wakeups: 'notify' });
});
