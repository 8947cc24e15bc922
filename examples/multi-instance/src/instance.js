// @ts-check
// One hub instance, as one replica of a service would run it. Started by start.js, which tells it
// when every instance has subscribed (so that none misses another's first events).
import { createEventHub } from '@eventhub/core';
import { createPostgresAdapter } from '@eventhub/postgres';

const name = process.argv[2] ?? `pid-${process.pid}`;
const instances = Number(process.argv[3] ?? 1);
const perInstance = 5;
const connectionString =
  process.env.DATABASE_URL ?? process.env.EVENTHUB_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const storage = createPostgresAdapter({ connectionString, schema: 'eventhub_example' });
const hub = createEventHub({ storage });

// Idempotent and safe when every instance runs it at once: the DDL is serialized by an advisory lock.
await storage.initialize();
await storage.createTopicTable('greetings');
await hub.registerTopic('greetings', 100);

let received = 0;
/** @type {() => void} */
let allReceived = () => {};
const done = new Promise((resolve) => (allReceived = () => resolve(undefined)));
await hub.registerSubscription('greetings', (events) => {
  for (const event of events) {
    const { from, n } = JSON.parse(event.eventData);
    console.log(`[${name}] received #${event.id}: greeting ${n} from ${from}`);
  }
  received += events.length;
  if (received >= instances * perInstance) allReceived();
});

await new Promise((resolve) => {
  process.once('message', resolve); // 'go' from start.js once every instance is subscribed
  process.send?.('ready');
});

for (let n = 1; n <= perInstance; n++) {
  await hub.publishEvent('greetings', JSON.stringify({ from: name, n }));
  await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
}
await done;
console.log(`[${name}] received all ${received} greetings; closing`);
await hub.close();
