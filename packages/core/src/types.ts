import type { Logger } from './logger.js';
import type { StorageAdapter } from './storage-adapter.js';

/** One persisted event. Events handed to subscribers are frozen: share them, don't mutate them. */
export interface Event {
  /** Strictly increasing per topic, in commit order. */
  id: number;
  topicName: string;
  /** When the hub persisted it (the publishing hub's clock, at the write transaction). */
  processedTimestamp: Date;
  /** When `publishEvent` was called, or the caller's own timestamp if given. */
  originatedTimestamp: Date;
  /** The payload exactly as given (JSON text by convention). */
  eventData: string;
}

export interface TopicState {
  topicName: string;
  /** Changes on every publish that wrote events (a v7 UUID where the adapter can make one); `''` before the first. */
  versionId: string;
  updatedAt: Date;
}

export interface PublishOptions {
  /** The time the event happened, if not now. */
  originatedTimestamp?: Date;
}

export type EventHandler = (events: Event[]) => void | Promise<void>;

/** Where a failure happened, for `onError` and the logger. */
export interface ErrorContext {
  topic?: string;
  /** `deliver` (a handler threw), `read`, `watch`, `cleanup`. */
  operation: string;
  /** The subscription whose batch failed, for `deliver` and `read`. */
  subscriptionId?: number;
  /** 1 for the first failure of this batch or read, then 2, 3, ... while it is retried. */
  attempt?: number;
}

export type ErrorListener = (error: unknown, context: ErrorContext) => void;

export interface SubscriptionOptions {
  /** Called when this subscription's handler throws (before the batch is retried). */
  onError?: ErrorListener;
}

export interface Subscription {
  readonly id: number;
  readonly topicName: string;
  /** The id of the last event this subscription has fully handled. */
  readonly position: number;
  /** Stops delivery; resolves once a batch in flight has settled. Idempotent. */
  unsubscribe(): Promise<void>;
}

export interface EventHubOptions {
  storage: StorageAdapter;
  /** Most events in one delivered batch. @default 100 */
  batchSize?: number;
  /** Safety poll: the longest an event waits for delivery when no wake-up arrives. @default 5000 */
  flushIntervalMs?: number;
  /** How often retention cleanup runs; 0 turns it off. @default 600000 */
  cleanupIntervalMs?: number;
  /** Events older than this (by processed timestamp) are deleted by retention cleanup. @default 3600000 */
  retentionPeriodMs?: number;
  /** First delay before a failed batch (or read) is retried; doubles per attempt. @default 100 */
  retryInitialDelayMs?: number;
  /** Cap on the retry delay. @default 30000 */
  retryMaxDelayMs?: number;
  /** Most events written in one append transaction (one group commit). @default 1000 */
  maxWriteBatch?: number;
  /** pino-compatible logger. @default silent */
  logger?: Logger;
  /** Called for every background failure (handler, read, watch, cleanup); it is also logged. */
  onError?: ErrorListener;
}

export interface EventHub {
  /** Creates `topic_states` if missing and starts the wake-ups. Idempotent; other calls run it if needed. */
  initialize(): Promise<void>;
  /** Registers a topic whose `{topic}_events` table exists. `queueSize`: most publishes waiting to be written. */
  registerTopic(topicName: string, queueSize: number): Promise<void>;
  /** Delivers every event committed after this call resolves, in id order, in batches. */
  registerSubscription(topicName: string, handler: EventHandler, options?: SubscriptionOptions): Promise<Subscription>;
  /** Resolves with the persisted event once its transaction has committed. */
  publishEvent(topicName: string, eventData: string, options?: PublishOptions | Date): Promise<Event>;
  getTopicState(topicName: string): Promise<TopicState>;
  /** Deletes events whose processed timestamp is in [from, to], from every topic in `topic_states`. */
  cleanUpEvents(from: Date, to: Date): Promise<number>;
  /** Writes or rejects every accepted publish, stops everything, closes the storage adapter. Idempotent. */
  close(): Promise<void>;
}
