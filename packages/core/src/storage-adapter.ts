import type { Event, TopicState } from './types.js';

/** An event as the hub hands it to `appendEvents`: everything but the id. */
export interface NewEvent {
  processedTimestamp: Date;
  originatedTimestamp: Date;
  eventData: string;
}

export interface StorageCapabilities {
  /**
   * How `watch` learns of commits by other hub instances: `notify` pushes (PostgreSQL
   * LISTEN/NOTIFY), `poll` reads `topic_states.version_id` on a timer, `none` cannot see
   * other instances (e.g. an in-memory SQLite database).
   */
  wakeups: 'notify' | 'poll' | 'none';
}

/** What `watch` reports to. The hub implements it. */
export interface WakeTarget {
  /** The topics registered on this hub; a poller reads their versions. */
  topics(): readonly string[];
  /** New events may have been committed to `topic`, by any instance. */
  wake(topic: string): void;
  /** Wake-ups may have been missed (after a reconnect): every topic may have new events. */
  wakeAll(): void;
  /** A watch failure the adapter is recovering from by itself (it keeps retrying). */
  reportError(error: unknown): void;
}

/** Stops a watch; resolves once no timer, listener or query of it is left running. */
export type Unwatch = () => Promise<void>;

/**
 * Storage for the hub: each member does one atomic thing in SQL. Core owns validation,
 * queueing, group commit, dispatch and retries; an adapter owns only SQL and connections.
 *
 * Rules for every member: topic names are valid (`^[a-z][a-z0-9_]{0,47}$`) and identifiers
 * are quoted; times are absolute `Date`s with at least millisecond precision; a driver error
 * rejects with an EventHub error naming the topic and operation, with the driver error as
 * `cause` (`storageError` builds one); a missing `{topic}_events` table rejects with
 * `TopicTableMissingError`.
 */
export interface StorageAdapter {
  /** Short name used in error messages, e.g. `sqlite`. */
  readonly name: string;
  readonly capabilities: StorageCapabilities;

  /** Creates `topic_states` if missing. Idempotent; safe when several instances start at once. */
  initialize(): Promise<void>;

  /** Creates `{topic}_events` and its `processed_timestamp` index if missing. Idempotent. */
  createTopicTable(topicName: string): Promise<void>;

  /**
   * Prepares a topic for use: rejects with `TopicTableMissingError` if `{topic}_events` does
   * not exist, and inserts the topic's `topic_states` row (version `''`) if it has none.
   * Never creates the events table.
   */
  openTopic(topicName: string): Promise<void>;

  /**
   * Appends events in ONE transaction: first lock the topic's `topic_states` row by setting a
   * new `version_id` and `updated_at` (creating the row if missing), then insert every event.
   * Taking the row lock before any id is drawn makes ids visible in increasing order across
   * concurrent writers. Resolves with the persisted events, in input order, ids increasing.
   * All or nothing: on failure nothing is written and the version is unchanged.
   */
  appendEvents(topicName: string, events: readonly NewEvent[]): Promise<Event[]>;

  /** Up to `limit` committed events with `id > afterId`, in id order. */
  readEvents(topicName: string, afterId: number, limit: number): Promise<Event[]>;

  /** The largest committed event id of the topic, or 0 if it has none. */
  getLastEventId(topicName: string): Promise<number>;

  /** The topic's `topic_states` row, or `undefined` if it has none. */
  getTopicState(topicName: string): Promise<TopicState | undefined>;

  /** Every topic name in `topic_states`. */
  listTopics(): Promise<string[]>;

  /**
   * Deletes at most `limit` of the topic's events whose processed timestamp is within
   * [from, to] (inclusive), oldest first, in one short transaction; resolves with the
   * number deleted. The hub calls it repeatedly, so cleanup never holds a lock for long; each
   * call must cost O(limit), not O(rows in range): walk the `processed_timestamp` index, no sort.
   * Does not change `version_id`.
   */
  deleteEvents(topicName: string, from: Date, to: Date, limit: number): Promise<number>;

  /**
   * Starts reporting commits by any instance to `target` (see `capabilities.wakeups`).
   * Resolves with a function that stops it. An adapter with `wakeups: 'none'` returns a no-op.
   */
  watch(target: WakeTarget): Promise<Unwatch>;

  /** Closes what the adapter opened itself (never a pool or database passed in). Idempotent. */
  close(): Promise<void>;
}
