import { TopicDispatcher, type DispatchSettings } from './dispatcher.js';
import {
  HubClosedError,
  InvalidArgumentError,
  InvalidQueueSizeError,
  TopicAlreadyExistsError,
  TopicNotFoundError,
  TopicTableMissingError,
  storageError,
} from './errors.js';
import { silentLogger, type Logger } from './logger.js';
import type { StorageAdapter, Unwatch, WakeTarget } from './storage-adapter.js';
import { assertValidTopicName } from './topic-name.js';
import { TopicWriter } from './topic-writer.js';
import type {
  ErrorContext,
  ErrorListener,
  Event,
  EventHandler,
  EventHub,
  EventHubOptions,
  PublishOptions,
  Subscription,
  SubscriptionOptions,
  TopicState,
} from './types.js';

/** Rows deleted per cleanup transaction: short enough never to hold up publishing for long. */
const CLEANUP_CHUNK = 1000;

interface Topic {
  writer: TopicWriter;
  dispatcher: TopicDispatcher;
}

interface Settings {
  batchSize: number;
  flushIntervalMs: number;
  cleanupIntervalMs: number;
  retentionPeriodMs: number;
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
  maxWriteBatch: number;
}

/** Creates a hub over a storage adapter. Nothing touches the database until `initialize()`. */
export function createEventHub(options: EventHubOptions): EventHub {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('createEventHub needs an options object with a `storage` adapter');
  }
  const storage = options.storage as StorageAdapter | undefined;
  if (!storage || typeof storage.appendEvents !== 'function') {
    throw new InvalidArgumentError('createEventHub: `storage` must be a StorageAdapter, e.g. createSqliteAdapter(...)');
  }
  const settings: Settings = {
    batchSize: positiveInteger('batchSize', options.batchSize, 100),
    flushIntervalMs: positiveInteger('flushIntervalMs', options.flushIntervalMs, 5000),
    cleanupIntervalMs: nonNegativeInteger('cleanupIntervalMs', options.cleanupIntervalMs, 600_000),
    retentionPeriodMs: nonNegativeInteger('retentionPeriodMs', options.retentionPeriodMs, 3_600_000),
    retryInitialDelayMs: positiveInteger('retryInitialDelayMs', options.retryInitialDelayMs, 100),
    retryMaxDelayMs: positiveInteger('retryMaxDelayMs', options.retryMaxDelayMs, 30_000),
    maxWriteBatch: positiveInteger('maxWriteBatch', options.maxWriteBatch, 1000),
  };
  return new Hub(storage, settings, options.logger ?? silentLogger, options.onError);
}

class Hub implements EventHub {
  private readonly topics = new Map<string, Topic>();
  /** Names whose registration is under way, so a concurrent duplicate is refused at once. */
  private readonly registering = new Set<string>();
  /** Calls that use the adapter outside writers and dispatchers; close() waits for them. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly dispatch: DispatchSettings;
  private nextSubscriptionId = 1;
  private closing = false;
  private initializing: Promise<void> | undefined;
  private closed: Promise<void> | undefined;
  private unwatch: Unwatch | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private cleanupTimer: NodeJS.Timeout | undefined;
  private cleanupRun: Promise<unknown> | undefined;

  constructor(
    private readonly adapter: StorageAdapter,
    private readonly settings: Settings,
    private readonly logger: Logger,
    private readonly onError: ErrorListener | undefined,
  ) {
    this.dispatch = {
      adapter,
      batchSize: settings.batchSize,
      retryInitialDelayMs: settings.retryInitialDelayMs,
      retryMaxDelayMs: settings.retryMaxDelayMs,
      report: (error, context, onError) => this.report(error, context, onError),
    };
  }

  initialize(): Promise<void> {
    if (this.closing) return Promise.reject(new HubClosedError('initialize'));
    this.initializing ??= this.start().catch((error: unknown) => {
      this.initializing = undefined; // a failed start may be retried
      throw storageError(this.adapter.name, 'initialize', undefined, error);
    });
    return this.initializing;
  }

  private async start(): Promise<void> {
    await this.adapter.initialize();
    const target: WakeTarget = {
      topics: () => [...this.topics.keys()],
      wake: (topic) => this.topics.get(topic)?.dispatcher.wake(),
      wakeAll: () => this.wakeAll(),
      reportError: (error) => this.report(error, { operation: 'watch' }),
    };
    this.unwatch = await this.adapter.watch(target);
    if (this.closing) return; // close() is waiting for us and stops the watch
    this.flushTimer = setInterval(() => this.wakeAll(), this.settings.flushIntervalMs);
    if (this.settings.cleanupIntervalMs > 0) {
      this.cleanupTimer = setInterval(() => this.runRetention(), this.settings.cleanupIntervalMs);
    }
    this.logger.info({ adapter: this.adapter.name }, 'eventhub initialized');
  }

  registerTopic(topicName: string, queueSize: number): Promise<void> {
    return this.track(async () => {
      this.assertOpen('registerTopic', topicName);
      assertValidTopicName(topicName);
      if (!Number.isSafeInteger(queueSize) || queueSize < 1) throw new InvalidQueueSizeError(queueSize, topicName);
      if (this.topics.has(topicName) || this.registering.has(topicName)) throw new TopicAlreadyExistsError(topicName);
      this.registering.add(topicName);
      try {
        await this.initialize();
        await this.adapter.openTopic(topicName).catch((error: unknown) => {
          throw storageError(this.adapter.name, 'registerTopic', topicName, error);
        });
        this.assertOpen('registerTopic', topicName);
        const dispatcher = new TopicDispatcher(topicName, this.dispatch);
        const writer = new TopicWriter(topicName, queueSize, this.settings.maxWriteBatch, this.adapter, () =>
          dispatcher.wake(),
        );
        this.topics.set(topicName, { writer, dispatcher });
      } finally {
        this.registering.delete(topicName);
      }
      this.logger.info({ topic: topicName, queueSize }, 'eventhub topic registered');
    });
  }

  registerSubscription(topicName: string, handler: EventHandler, options: SubscriptionOptions = {}): Promise<Subscription> {
    return this.track(async () => {
      this.assertOpen('registerSubscription', topicName);
      const topic = this.topicOrThrow(topicName, 'registerSubscription');
      if (typeof handler !== 'function') {
        throw new InvalidArgumentError('registerSubscription: handler must be a function', {
          topic: topicName,
          operation: 'registerSubscription',
        });
      }
      if (options.onError !== undefined && typeof options.onError !== 'function') {
        throw new InvalidArgumentError('registerSubscription: onError must be a function', {
          topic: topicName,
          operation: 'registerSubscription',
        });
      }
      // Start after the newest committed event: the subscription gets what is committed from now on.
      const cursor = await this.adapter.getLastEventId(topicName).catch((error: unknown) => {
        throw storageError(this.adapter.name, 'registerSubscription', topicName, error);
      });
      this.assertOpen('registerSubscription', topicName);
      const id = this.nextSubscriptionId++;
      this.logger.debug({ topic: topicName, subscriptionId: id, cursor }, 'eventhub subscription registered');
      return topic.dispatcher.subscribe(id, cursor, handler, options.onError);
    });
  }

  publishEvent(topicName: string, eventData: string, options?: PublishOptions | Date): Promise<Event> {
    // Not async: this is the hot path, and every failure still arrives as a rejection.
    if (this.closing) return Promise.reject(new HubClosedError('publishEvent', topicName));
    const topic = this.topics.get(topicName);
    if (topic === undefined) return Promise.reject(new TopicNotFoundError(String(topicName), 'publish'));
    if (typeof eventData !== 'string') {
      return Promise.reject(
        new InvalidArgumentError(`publishEvent: eventData must be a string (JSON text), got ${typeof eventData}`, {
          topic: topicName,
          operation: 'publish',
        }),
      );
    }
    // PostgreSQL text cannot hold U+0000 and would fail the whole group commit beside it; JSON
    // text never contains a raw NUL (JSON.stringify escapes it), so refuse it here on every adapter.
    if (eventData.includes('\u0000')) {
      return Promise.reject(
        new InvalidArgumentError('publishEvent: eventData must not contain the NUL character (U+0000)', {
          topic: topicName,
          operation: 'publish',
        }),
      );
    }
    const originated = options instanceof Date ? options : options?.originatedTimestamp;
    if (originated !== undefined && !isStorableDate(originated)) {
      return Promise.reject(
        new InvalidArgumentError('publishEvent: originatedTimestamp must be a valid Date between the years 1000 and 9999', {
          topic: topicName,
          operation: 'publish',
        }),
      );
    }
    return topic.writer.publish(eventData, originated ?? new Date());
  }

  getTopicState(topicName: string): Promise<TopicState> {
    return this.track(async () => {
      this.assertOpen('getTopicState', topicName);
      assertValidTopicName(topicName);
      await this.initialize();
      const state = await this.adapter.getTopicState(topicName).catch((error: unknown) => {
        throw storageError(this.adapter.name, 'getTopicState', topicName, error);
      });
      if (state === undefined) throw new TopicNotFoundError(topicName, 'getTopicState');
      return state;
    });
  }

  cleanUpEvents(from: Date, to: Date): Promise<number> {
    return this.track(async () => {
      this.assertOpen('cleanUpEvents');
      for (const [name, value] of [['from', from], ['to', to]] as const) {
        if (!(value instanceof Date) || !Number.isFinite(value.getTime())) {
          throw new InvalidArgumentError(`cleanUpEvents: \`${name}\` must be a valid Date`, { operation: 'cleanup' });
        }
      }
      if (from.getTime() > to.getTime()) {
        throw new InvalidArgumentError('cleanUpEvents: `from` is after `to`', { operation: 'cleanup' });
      }
      await this.initialize();
      const topics = await this.adapter.listTopics().catch((error: unknown) => {
        throw storageError(this.adapter.name, 'cleanup', undefined, error);
      });
      let deleted = 0;
      for (const topic of topics) deleted += await this.cleanUpTopic(topic, from, to);
      return deleted;
    });
  }

  close(): Promise<void> {
    this.closed ??= this.shutDown();
    return this.closed;
  }

  private async shutDown(): Promise<void> {
    this.closing = true;
    clearInterval(this.flushTimer);
    clearInterval(this.cleanupTimer);
    await settled(this.initializing);
    // Every accepted publish is written (or rejected) before anything stops.
    await Promise.all([...this.topics.values()].map((t) => t.writer.drained()));
    await Promise.allSettled([...this.inFlight]);
    await this.unwatch?.();
    await Promise.all([...this.topics.values()].map((t) => t.dispatcher.stop()));
    await settled(this.cleanupRun);
    await this.adapter.close();
    this.logger.info({ adapter: this.adapter.name }, 'eventhub closed');
  }

  private async cleanUpTopic(topic: string, from: Date, to: Date): Promise<number> {
    let deleted = 0;
    for (;;) {
      let count: number;
      try {
        count = await this.adapter.deleteEvents(topic, from, to, CLEANUP_CHUNK);
      } catch (error) {
        if (error instanceof TopicTableMissingError) {
          // In topic_states but its table is gone: nothing of it to delete.
          this.logger.warn({ topic }, 'eventhub cleanup skipped a topic whose events table is missing');
          return deleted;
        }
        throw storageError(this.adapter.name, 'cleanup', topic, error);
      }
      deleted += count;
      if (count < CLEANUP_CHUNK || this.closing) return deleted;
      // Let publishes and deliveries run between chunks.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private runRetention(): void {
    if (this.cleanupRun || this.closing) return;
    const to = new Date(Date.now() - this.settings.retentionPeriodMs);
    this.cleanupRun = this.cleanUpEvents(new Date(0), to)
      .then(
        (deleted) => this.logger.debug({ deleted, before: to.toISOString() }, 'eventhub retention cleanup'),
        (error: unknown) => {
          if (!(error instanceof HubClosedError)) this.report(error, { operation: 'cleanup' });
        },
      )
      .finally(() => (this.cleanupRun = undefined));
  }

  private wakeAll(): void {
    for (const topic of this.topics.values()) topic.dispatcher.wake();
  }

  private topicOrThrow(topicName: string, operation: string): Topic {
    const topic = this.topics.get(topicName);
    if (topic === undefined) throw new TopicNotFoundError(String(topicName), operation);
    return topic;
  }

  private assertOpen(operation: string, topic?: string): void {
    if (this.closing) throw new HubClosedError(operation, topic);
  }

  private track<T>(work: () => Promise<T>): Promise<T> {
    const promise = work();
    this.inFlight.add(promise);
    const forget = (): void => void this.inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  private report(error: unknown, context: ErrorContext, subscriptionOnError?: ErrorListener): void {
    this.logger.error({ err: error, ...context }, `eventhub ${context.operation} failed`);
    for (const listener of [subscriptionOnError, this.onError]) {
      if (!listener) continue;
      try {
        listener(error, context);
      } catch (listenerError) {
        this.logger.error({ err: listenerError, ...context }, 'eventhub onError listener threw');
      }
    }
  }
}

const EARLIEST = Date.UTC(1000, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * A date every adapter can store (MySQL's DATETIME spans the years 1000–9999). Checked per
 * publish, so one bad timestamp is refused alone instead of failing its whole group commit.
 */
function isStorableDate(value: unknown): value is Date {
  if (!(value instanceof Date)) return false;
  const time = value.getTime();
  return time >= EARLIEST && time <= LATEST;
}

/** Waits for a promise whose failure its own caller has already seen. */
async function settled(promise: Promise<unknown> | undefined): Promise<void> {
  if (promise) await Promise.allSettled([promise]);
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`createEventHub: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function nonNegativeInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(`createEventHub: ${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

