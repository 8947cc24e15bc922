import { createEventHub } from '@eventhub/core';
import { createSqliteAdapter } from '@eventhub/sqlite';

const storage = createSqliteAdapter({ filename: 'events.db' });
const hub = createEventHub({ storage, batchSize: 100 });

await storage.createTopicTable('orders'); // once, like a migration
await hub.registerTopic('orders', 1000);

const sub = await hub.registerSubscription('orders', async (events) => {
  for (const event of events) console.log(event.id, event.eventData);
});

const event = await hub.publishEvent('orders', JSON.stringify({ id: 1 }));
console.log('committed', event.id, event.processedTimestamp);

await sub.unsubscribe();
await hub.close();
