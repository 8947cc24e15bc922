// `pnpm demo`: the quick start at scale. Publishes a few thousand events from many concurrent
// callers to an embedded SQLite file and prints what was delivered, the publish rate and the
// publish-to-delivery latency.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventHub, type Event } from '@eventhub/core';
import { createSqliteAdapter } from '@eventhub/sqlite';

const EVENTS = 5000; // burst: as fast as 64 concurrent publishers can go
const PUBLISHERS = 64;
const SUBSCRIBERS = 2;
const PACED = 1000; // then a steady 1,000 events/s, one at a time, for the latency of a quiet hub

const dir = mkdtempSync(join(tmpdir(), 'eventhub-demo-'));
const storage = createSqliteAdapter({ filename: join(dir, 'events.db') });
const hub = createEventHub({ storage, batchSize: 100 });

try {
  await storage.createTopicTable('orders');
  await hub.registerTopic('orders', 1000);

  const publishedAt = new Map<number, number>();
  const latencies: number[] = [];
  const delivered = Array.from({ length: SUBSCRIBERS }, () => 0);
  let lastId = Array.from({ length: SUBSCRIBERS }, () => 0);
  let inOrder = true;
  let target = EVENTS;
  let reached!: () => void;
  let delivery = new Promise<void>((resolve) => (reached = resolve));

  for (let s = 0; s < SUBSCRIBERS; s++) {
    await hub.registerSubscription('orders', (events: Event[]) => {
      const now = performance.now();
      for (const event of events) {
        if (event.id <= lastId[s]!) inOrder = false;
        lastId[s] = event.id;
        if (s === 0) latencies.push(now - publishedAt.get(Number(JSON.parse(event.eventData).n))!);
      }
      delivered[s]! += events.length;
      if (delivered.every((count) => count === target)) reached();
    });
  }

  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: PUBLISHERS }, async () => {
      while (next < EVENTS) {
        const n = next++;
        publishedAt.set(n, performance.now());
        await hub.publishEvent('orders', JSON.stringify({ n, kind: 'order.created', total: 42.5 }));
      }
    }),
  );
  const publishSeconds = (performance.now() - started) / 1000;
  await delivery;
  const burstLatencies = latencies.splice(0);
  target = EVENTS + PACED;
  delivery = new Promise<void>((resolve) => (reached = resolve));

  const pacedStart = performance.now();
  for (let i = 0; i < PACED; i++) {
    const due = pacedStart + i; // one event per millisecond
    while (performance.now() < due) await new Promise((resolve) => setImmediate(resolve));
    const n = next++;
    publishedAt.set(n, performance.now());
    void hub.publishEvent('orders', JSON.stringify({ n, kind: 'order.created', total: 42.5 }));
  }
  await delivery;

  const total = EVENTS + PACED;
  console.log(`published ${EVENTS} events from ${PUBLISHERS} concurrent publishers in ${publishSeconds.toFixed(3)} s`);
  console.log(`publish rate: ${Math.round(EVENTS / publishSeconds)} events/s`);
  console.log(`then ${PACED} more at a steady 1,000 events/s`);
  for (let s = 0; s < SUBSCRIBERS; s++) console.log(`subscriber ${s + 1}: delivered ${delivered[s]} of ${total}`);
  console.log(`delivered in id order, no duplicates: ${inOrder}`);
  console.log(`publish-to-delivery latency, burst:  ${summary(burstLatencies)}`);
  console.log(`publish-to-delivery latency, steady: ${summary(latencies)}`);
  if (!inOrder || delivered.some((count) => count !== total)) process.exitCode = 1;
} finally {
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(2);
  return `p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${pct(100)} ms`;
}
