import { createEventHub, type Event, type EventHub } from '@eventhub/core';
import { callsPerSecond, sendAtRate } from './pacing.js';
import { payload } from './payload.js';
import { latencySummary, type LatencySummary } from './stats.js';
import type { BenchTarget } from './targets/target.js';

const TOPIC = 'bench';
export { TOPIC };

export async function openHub(target: BenchTarget, options: { flushIntervalMs?: number } = {}): Promise<EventHub> {
  const hub = createEventHub({ storage: target.createAdapter(), cleanupIntervalMs: 0, ...options });
  await hub.registerTopic(TOPIC, 10_000);
  return hub;
}

/** `publishers` concurrent callers, each awaiting its publish before the next, until `count` are acknowledged. Events/s. */
export function publishConcurrently(hub: EventHub, count: number, publishers: number): Promise<number> {
  return callsPerSecond(count, publishers, (n) => hub.publishEvent(TOPIC, payload(n)));
}

/** Resolves when `subscribers` subscriptions have each received `count` events; returns delivered events/s overall. */
export async function deliveredRate(
  hub: EventHub,
  subscribers: number,
  count: number,
  publish: () => Promise<unknown>,
): Promise<number> {
  let finished = 0;
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const subs = [];
  for (let s = 0; s < subscribers; s++) {
    let received = 0;
    subs.push(
      await hub.registerSubscription(TOPIC, (events: Event[]) => {
        received += events.length;
        if (received === count && ++finished === subscribers) allDone();
      }),
    );
  }
  const started = performance.now();
  await publish();
  await done;
  const rate = (subscribers * count) / ((performance.now() - started) / 1000);
  await Promise.all(subs.map((s) => s.unsubscribe()));
  return rate;
}

/**
 * Offered load: publishes at `rate` events/s for `seconds`, one call per event, and measures
 * publish→handler latency on `receiver` (the same hub, or another instance on the database).
 * The first 10% are warm-up and not counted.
 */
export async function deliveryLatency(
  publisher: EventHub,
  receiver: EventHub,
  rate: number,
  seconds: number,
): Promise<LatencySummary> {
  const total = Math.round(rate * seconds);
  const sentAt = new Float64Array(total);
  const latencies: number[] = [];
  let received = 0;
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const sub = await receiver.registerSubscription(TOPIC, (events: Event[]) => {
    const now = performance.now();
    for (const event of events) {
      const n = Number(JSON.parse(event.eventData).n);
      if (n >= total / 10) latencies.push(now - sentAt[n]!);
    }
    received += events.length;
    if (received >= total) allDone();
  });
  const failures: unknown[] = [];
  await sendAtRate(rate, sentAt, (n) => {
    publisher.publishEvent(TOPIC, payload(n)).catch((error: unknown) => failures.push(error));
  });
  await done;
  await sub.unsubscribe();
  if (failures.length) throw new Error(`${failures.length} publishes failed`, { cause: failures[0] });
  return latencySummary(latencies);
}
