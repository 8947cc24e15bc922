import { describe } from 'vitest';
import { closeTests } from './close-tests.js';
import { useHarness } from './context.js';
import { orderingTests } from './delivery-tests.js';
import { errorTests } from './error-tests.js';
import type { ConformanceOptions, HarnessFactory } from './harness.js';
import { multiInstanceTests } from './multi-instance-tests.js';
import { publishTests } from './publish-tests.js';
import { retentionTests } from './retention-tests.js';
import { describeStorageAdapter } from './storage-adapter-tests.js';

export { closeTests, describeStorageAdapter, errorTests, multiInstanceTests, orderingTests, publishTests, retentionTests, useHarness };
export { Collector, clockPast, eventually, expectStrictlyIncreasing, payload, randomTopic } from './harness.js';
export type { AdapterHarness, ConformanceOptions, HarnessFactory } from './harness.js';
export type { SuiteContext } from './context.js';

/** The contract's behaviours, through `createEventHub`, on the adapter the factory makes. */
export function describeHubBehaviour(name: string, factory: HarnessFactory, options: ConformanceOptions): void {
  describe(`${name}: hub behaviour`, () => {
    const ctx = useHarness(factory);
    publishTests(ctx);
    orderingTests(ctx);
    errorTests(ctx);
    retentionTests(ctx);
    closeTests(ctx);
    if (options.multiInstance) {
      multiInstanceTests(ctx);
    } else {
      describe.skip('several hub instances on one database (the adapter cannot share its database)', () => {});
    }
  });
}

/** Both layers of the conformance suite: what an adapter's `test/conformance.test.ts` calls. */
export function describeConformance(name: string, factory: HarnessFactory, options: ConformanceOptions): void {
  describeStorageAdapter(name, factory, options);
  describeHubBehaviour(name, factory, options);
}
