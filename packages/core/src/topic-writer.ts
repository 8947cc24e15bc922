import { QueueFullError, storageError } from './errors.js';
import type { NewEvent, StorageAdapter } from './storage-adapter.js';
import type { Event } from './types.js';

interface PendingPublish {
  originatedTimestamp: Date;
  eventData: string;
  resolve(event: Event): void;
  reject(error: unknown): void;
}

/**
 * A topic's write queue with group commit: publishes wait here (at most `queueSize`), and one
 * writer drains them, up to `maxBatch` per `appendEvents` transaction. While a transaction is
 * in flight the next group gathers, so throughput grows with concurrency at unchanged
 * durability. Each caller's promise settles with its own persisted event, or with the error of
 * the transaction that would have written it (then nothing of that group was written).
 */
export class TopicWriter {
  private waiting: PendingPublish[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly topic: string,
    private readonly queueSize: number,
    private readonly maxBatch: number,
    private readonly adapter: StorageAdapter,
    private readonly onCommitted: () => void,
  ) {}

  publish(eventData: string, originatedTimestamp: Date): Promise<Event> {
    if (this.waiting.length >= this.queueSize) {
      return Promise.reject(new QueueFullError(this.topic, this.queueSize));
    }
    return new Promise<Event>((resolve, reject) => {
      this.waiting.push({ originatedTimestamp, eventData, resolve, reject });
      this.running ??= this.writeAll();
    });
  }

  /** Resolves once every accepted publish has been written or rejected. */
  drained(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async writeAll(): Promise<void> {
    // Let every publish issued in this turn of the event loop join the first transaction.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.waiting.length > 0) {
      const group = this.waiting.length <= this.maxBatch ? this.waiting : this.waiting.slice(0, this.maxBatch);
      this.waiting = group === this.waiting ? [] : this.waiting.slice(group.length);
      await this.writeGroup(group);
    }
    this.running = undefined;
  }

  private async writeGroup(group: PendingPublish[]): Promise<void> {
    const processedTimestamp = new Date();
    const rows: NewEvent[] = group.map((p) => ({
      processedTimestamp,
      originatedTimestamp: p.originatedTimestamp,
      eventData: p.eventData,
    }));
    let events: Event[];
    try {
      events = await this.adapter.appendEvents(this.topic, rows);
      if (events.length !== group.length) {
        throw new Error(`appendEvents returned ${events.length} events for ${group.length} rows`);
      }
    } catch (error) {
      const failure = storageError(this.adapter.name, 'append', this.topic, error);
      for (const p of group) p.reject(failure);
      return;
    }
    for (let i = 0; i < group.length; i++) group[i]!.resolve(events[i]!);
    this.onCommitted();
  }
}
