import { createEventHub, type Event } from '@eventhub/core';
import { createSqliteAdapter } from '@eventhub/sqlite';

const storage = createSqliteAdapter({ filename: 'events.db' });
const hub = createEventHub({ storage, batchSize: 100 });

await storage.createTopicTable('orders'); // once, like a migration
await hub.registerTopic('orders', 1000);

let delivered!: (events: Event[]) => void;
const firstBatch = new Promise<Event[]>((resolve) => (delivered = resolve));
const sub = await hub.registerSubscription('orders', async (events) => {
  for (const event of events) console.log('received', event.id, event.eventData);
  delivered(events);
});

const event = await hub.publishEvent('orders', JSON.stringify({ id: 1 }));
console.log('committed', event.id, event.processedTimestamp);

await firstBatch; // delivery is asynchronous: wait for it before closing
await sub.unsubscribe();
await hub.close();
