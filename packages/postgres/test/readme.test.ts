import { createEventHub } from '@eventhub/core';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createPostgresAdapter } from '../src/index.js';
import { createTestSchema } from './support.js';

const url = inject('postgresUrl');

describe.skipIf(!url)('README', () => {
  let schema: string;
  let drop: () => Promise<void>;
  beforeAll(async () => ({ schema, drop } = await createTestSchema(url, 'eh_readme')));
  afterAll(() => drop());

  it('the quick start runs as written', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      // The README's code, with the test database's URL and this file's schema.
      const storage = createPostgresAdapter({ connectionString: url, schema });
      const hub = createEventHub({ storage });
      await storage.createTopicTable('orders');
      await hub.registerTopic('orders', 1000);

      let delivered!: () => void;
      const received = new Promise<void>((resolve) => (delivered = resolve));
      await hub.registerSubscription('orders', (events) => {
        console.log(events.length);
        delivered();
      });
      await hub.publishEvent('orders', JSON.stringify({ id: 1 }));
      await received; // close() does not wait for deliveries that have not started
      await hub.close(); // closes the adapter too, and the pool it opened
      expect(log).toHaveBeenCalledWith(1);
    } finally {
      log.mockRestore();
    }
  });
});
