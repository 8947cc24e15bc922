import { randomBytes } from 'node:crypto';
import type { Event, StorageAdapter } from '@eventhub/core';

/** One fresh database for one test, owned by the suite: it closes adapters and calls `cleanup`. */
export interface AdapterHarness {
  /** An adapter on this harness's database. */
  adapter: StorageAdapter;
  /** Opens another adapter, with its own connections, on the same database (a second process). */
  connect(): StorageAdapter | Promise<StorageAdapter>;
  /** Drops a topic's events table behind the adapters' backs. */
  dropTopicTable(topicName: string): Promise<void>;
  /** Removes what the harness created (files, schemas); adapters are already closed. */
  cleanup(): Promise<void>;
}

export type HarnessFactory = () => Promise<AdapterHarness>;

/** Facts about the adapter under test; each one decides which tests apply. */
export interface ConformanceOptions {
  /** `connect()` reaches the same database, so hubs on two adapters must see each other's events. */
  multiInstance: boolean;
  /** The adapter's `capabilities.wakeups`; checked against the adapter. */
  wakeups: 'notify' | 'poll' | 'none';
}

/** A random valid topic name: `t_` and ten `[a-z0-9]`. */
export function randomTopic(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `t_${[...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

export function payload(i: number): string {
  return JSON.stringify({ i, kind: 'conformance', note: 'x'.repeat(32) });
}

/**
 * Records what a subscription receives and lets a test await a count: awaiting the events
 * themselves, never a sleep. A deadline turns a lost event into a clear failure, not a hang.
 */
export class Collector {
  readonly batches: Event[][] = [];
  readonly events: Event[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  readonly handler = (batch: Event[]): void => {
    this.batches.push(batch);
    this.events.push(...batch);
    this.waiters = this.waiters.filter((w) => {
      if (this.events.length < w.count) return true;
      w.resolve();
      return false;
    });
  };

  waitFor(count: number, timeoutMs = 20_000): Promise<void> {
    if (this.events.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`expected ${count} events, received ${this.events.length} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  ids(): number[] {
    return this.events.map((e) => e.id);
  }
}

/** Checks a condition until it holds, for state that changes without an event to await (retention). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves once the clock has moved past `time`, so the next write gets a later timestamp. */
export async function clockPast(time: Date): Promise<void> {
  while (Date.now() <= time.getTime()) await new Promise((resolve) => setTimeout(resolve, 1));
}

export function expectStrictlyIncreasing(ids: readonly number[]): boolean {
  for (let i = 1; i < ids.length; i++) if (!(ids[i]! > ids[i - 1]!)) return false;
  return true;
}
