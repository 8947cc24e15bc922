import { createEventHub, type EventHub, type EventHubOptions, type StorageAdapter } from '@eventhub/core';
import { afterEach, beforeEach } from 'vitest';
import type { AdapterHarness, HarnessFactory } from './harness.js';

export interface SuiteContext {
  readonly harness: AdapterHarness;
  /** The harness's adapter. */
  readonly adapter: StorageAdapter;
  /** A hub on the harness's adapter (or on `storage`), closed after the test. */
  hub(options?: Partial<EventHubOptions>): EventHub;
  /** Another adapter on the same database, closed after the test. */
  connect(): Promise<StorageAdapter>;
  /** Creates the topic's table and registers it on `hub`. */
  topic(hub: EventHub, name: string, queueSize?: number): Promise<string>;
}

/** Per test: a fresh harness; afterwards every hub and adapter it opened is closed. */
export function useHarness(factory: HarnessFactory): SuiteContext {
  let harness: AdapterHarness | undefined;
  let hubs: EventHub[] = [];
  let adapters: StorageAdapter[] = [];

  beforeEach(async () => {
    harness = await factory();
    adapters.push(harness.adapter);
  });

  afterEach(async () => {
    await Promise.all(hubs.map((h) => h.close()));
    await Promise.all(adapters.map((a) => a.close()));
    hubs = [];
    adapters = [];
    await harness?.cleanup();
    harness = undefined;
  });

  const current = (): AdapterHarness => {
    if (!harness) throw new Error('the harness is only available inside a test');
    return harness;
  };

  return {
    get harness() {
      return current();
    },
    get adapter() {
      return current().adapter;
    },
    hub(options = {}) {
      const hub = createEventHub({ storage: current().adapter, ...options });
      hubs.push(hub);
      return hub;
    },
    async connect() {
      const adapter = await current().connect();
      adapters.push(adapter);
      return adapter;
    },
    async topic(hub, name, queueSize = 10_000) {
      await current().adapter.createTopicTable(name);
      await hub.registerTopic(name, queueSize);
      return name;
    },
  };
}
