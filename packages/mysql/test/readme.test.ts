import { createEventHub } from '@eventhub/core';
import { describe, expect, it, vi } from 'vitest';
import { createMysqlAdapter } from '../src/index.js';
import { mysqlUrl, useDatabase } from './database.js';

describe.skipIf(!mysqlUrl)('README', () => {
  const database = useDatabase();

  it('the quick start runs as written', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      // The README's code, with the test database's URI.
      const storage = createMysqlAdapter({ uri: database.url });
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
      await hub.close();
      expect(log).toHaveBeenCalledWith(1);
    } finally {
      log.mockRestore();
    }
  });
});
