export { createEventHub } from './event-hub.js';
export {
  EventHubError,
  HubClosedError,
  InvalidArgumentError,
  InvalidQueueSizeError,
  InvalidTopicNameError,
  QueueFullError,
  StorageError,
  TopicAlreadyExistsError,
  TopicNotFoundError,
  TopicTableMissingError,
  isEventHubError,
  storageError,
} from './errors.js';
export type { EventHubErrorOptions } from './errors.js';
export { silentLogger } from './logger.js';
export type { Logger } from './logger.js';
export type {
  NewEvent,
  StorageAdapter,
  StorageCapabilities,
  Unwatch,
  WakeTarget,
} from './storage-adapter.js';
export {
  TOPIC_NAME_PATTERN,
  assertValidTopicName,
  eventsTableName,
  isValidTopicName,
  processedIndexName,
} from './topic-name.js';
export type {
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
export { startVersionPoller } from './version-poller.js';
export type { VersionPollerOptions } from './version-poller.js';
