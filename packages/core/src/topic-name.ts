import { InvalidTopicNameError } from './errors.js';

/** A topic name becomes part of a table name, so it is checked before it reaches any SQL. */
export const TOPIC_NAME_PATTERN = /^[a-z][a-z0-9_]{0,47}$/;

export function isValidTopicName(name: unknown): name is string {
  return typeof name === 'string' && TOPIC_NAME_PATTERN.test(name);
}

/** Throws `InvalidTopicNameError` unless `name` is safe to use in an identifier. */
export function assertValidTopicName(name: unknown): asserts name is string {
  if (!isValidTopicName(name)) throw new InvalidTopicNameError(name);
}

/** The name of a topic's events table: `{topic}_events`. */
export function eventsTableName(topic: string): string {
  assertValidTopicName(topic);
  return `${topic}_events`;
}

/** The name of the index on `processed_timestamp` (≤ 63 characters, PostgreSQL's identifier limit). */
export function processedIndexName(topic: string): string {
  assertValidTopicName(topic);
  return `${topic}_events_pt_idx`;
}
