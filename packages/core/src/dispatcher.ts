import { backoffDelay, delay } from './delay.js';
import { storageError } from './errors.js';
import type { StorageAdapter } from './storage-adapter.js';
import type { ErrorContext, Event, EventHandler, Subscription } from './types.js';

export interface DispatchSettings {
  adapter: StorageAdapter;
  batchSize: number;
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
  report(error: unknown, context: ErrorContext, onError?: (error: unknown, context: ErrorContext) => void): void;
}

/**
 * A topic's dispatcher tails the store by id. It holds no events of its own: each subscription
 * keeps its cursor (the id of the last event it handled) and has at most one batch in flight,
 * so a slow or failing handler only delays itself and memory stays bounded however far behind
 * it is. Wake-ups (a local commit, a NOTIFY, a changed version, the safety poll) mark every
 * subscription as possibly behind; a subscription that has read a short batch since the last
 * wake-up is caught up and sleeps.
 */
export class TopicDispatcher {
  /** Bumped by every wake-up; a read tells "caught up" only if none arrived while it ran. */
  generation = 0;
  private readonly runners = new Set<SubscriptionRunner>();
  /** Subscriptions at the same cursor share one query (fan-out costs one read per batch). */
  private readonly reads = new Map<number, { generation: number; events: Promise<readonly Event[]> }>();

  constructor(
    readonly topic: string,
    private readonly settings: DispatchSettings,
  ) {}

  wake(): void {
    this.generation++;
    for (const runner of this.runners) runner.notify();
  }

  subscribe(id: number, cursor: number, handler: EventHandler, onError?: SubscriptionRunner['onError']): Subscription {
    const runner = new SubscriptionRunner(this, this.settings, id, cursor, handler, onError);
    this.runners.add(runner);
    runner.start();
    const runners = this.runners;
    return {
      id,
      topicName: this.topic,
      get position() {
        return runner.cursor;
      },
      async unsubscribe() {
        runners.delete(runner);
        await runner.stop();
      },
    };
  }

  /** Stops every subscription; resolves once no handler or read of theirs is running. */
  async stop(): Promise<void> {
    const runners = [...this.runners];
    this.runners.clear();
    await Promise.all(runners.map((r) => r.stop()));
  }

  read(afterId: number): Promise<readonly Event[]> {
    const shared = this.reads.get(afterId);
    if (shared && shared.generation === this.generation) return shared.events;
    const events = this.settings.adapter.readEvents(this.topic, afterId, this.settings.batchSize).then(
      (rows) => {
        for (const row of rows) Object.freeze(row);
        return rows;
      },
      (error: unknown) => {
        throw storageError(this.settings.adapter.name, 'read', this.topic, error);
      },
    );
    const entry = { generation: this.generation, events };
    this.reads.set(afterId, entry);
    const forget = (): void => {
      if (this.reads.get(afterId) === entry) this.reads.delete(afterId);
    };
    events.then(forget, forget);
    return events;
  }
}

class SubscriptionRunner {
  private behind = true;
  private stopped = false;
  private readonly abort = new AbortController();
  private sleeping: (() => void) | undefined;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly dispatcher: TopicDispatcher,
    private readonly settings: DispatchSettings,
    readonly id: number,
    public cursor: number,
    private readonly handler: EventHandler,
    readonly onError?: (error: unknown, context: ErrorContext) => void,
  ) {}

  start(): void {
    this.done = this.run();
  }

  notify(): void {
    this.behind = true;
    this.sleeping?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.sleeping?.();
    await this.done;
  }

  private async run(): Promise<void> {
    let readFailures = 0;
    while (!this.stopped) {
      if (!this.behind) {
        await new Promise<void>((resolve) => (this.sleeping = resolve));
        this.sleeping = undefined;
        continue;
      }
      const generation = this.dispatcher.generation;
      let events: readonly Event[];
      try {
        events = await this.dispatcher.read(this.cursor);
        readFailures = 0;
      } catch (error) {
        readFailures++;
        if (this.stopped) return;
        this.report(error, 'read', readFailures);
        await delay(this.backoff(readFailures), this.abort.signal);
        continue;
      }
      if (events.length < this.settings.batchSize && this.dispatcher.generation === generation) {
        this.behind = false;
      }
      if (events.length === 0 || this.stopped) continue;
      if (!(await this.deliver(events))) return;
      this.cursor = events[events.length - 1]!.id;
    }
  }

  /** Hands the batch over until the handler succeeds; false if stopped first (batch not handled). */
  private async deliver(events: readonly Event[]): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.handler(events.slice());
        return true;
      } catch (error) {
        this.report(error, 'deliver', attempt);
        await delay(this.backoff(attempt), this.abort.signal);
        if (this.stopped) return false;
      }
    }
  }

  private backoff(attempt: number): number {
    return backoffDelay(attempt, this.settings.retryInitialDelayMs, this.settings.retryMaxDelayMs);
  }

  private report(error: unknown, operation: 'read' | 'deliver', attempt: number): void {
    this.settings.report(
      error,
      { topic: this.dispatcher.topic, operation, subscriptionId: this.id, attempt },
      this.onError,
    );
  }
}
