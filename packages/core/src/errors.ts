/**
 * The error tree of the contract. Every error carries a brand so that `isEventHubError`
 * and `instanceof` keep working when both the ESM and the CJS copy of this package are
 * loaded (Node's dual-package hazard): a plain prototype check would fail across copies.
 */
const BRAND = Symbol.for('eventhub.error');

export interface EventHubErrorOptions {
  cause?: unknown;
  /** The topic the failed call was about, when there is one. */
  topic?: string;
  /** What was being done: `publish`, `append`, `read`, `registerTopic`, ... */
  operation?: string;
}

/** True for every error this project throws, whichever copy of the package created it. */
export function isEventHubError(error: unknown): error is EventHubError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

function brand(error: Error, options: EventHubErrorOptions): void {
  Object.defineProperty(error, BRAND, { value: true });
  if (options.topic !== undefined) (error as { topic?: string }).topic = options.topic;
  if (options.operation !== undefined) (error as { operation?: string }).operation = options.operation;
}

/**
 * Sets the class's `name` on its prototype (bundlers may rename classes, so names are explicit)
 * and lets `instanceof` match by that name, so it works across the ESM and CJS copies.
 */
function nameClass(ctor: { prototype: Error }, name: string): void {
  Object.defineProperty(ctor.prototype, 'name', { value: name, writable: true, configurable: true });
}

function matches(ctor: { prototype: Error }, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(ctor, value)) return true;
  if (!isEventHubError(value)) return false;
  const wanted = ctor.prototype.name;
  if (wanted === 'EventHubError') return true;
  for (let proto = Object.getPrototypeOf(value); proto; proto = Object.getPrototypeOf(proto)) {
    if (Object.prototype.hasOwnProperty.call(proto, 'name') && proto.name === wanted) return true;
  }
  return false;
}

export class EventHubError extends Error {
  readonly topic?: string;
  readonly operation?: string;

  constructor(message: string, options: EventHubErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    brand(this, options);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return matches(this, value);
  }
}

export class TopicNotFoundError extends EventHubError {
  constructor(topic: string, operation?: string) {
    super(`[eventhub] topic "${topic}" is not registered on this hub`, { topic, operation });
  }
}

export class TopicAlreadyExistsError extends EventHubError {
  constructor(topic: string) {
    super(`[eventhub] topic "${topic}" is already registered on this hub`, { topic, operation: 'registerTopic' });
  }
}

export class TopicTableMissingError extends EventHubError {
  constructor(topic: string, options: { operation?: string; cause?: unknown } = {}) {
    super(
      `[eventhub] the events table for topic "${topic}" ("${topic}_events") does not exist; ` +
        'create it with adapter.createTopicTable(topic) or a migration',
      { topic, ...options },
    );
  }
}

export class InvalidQueueSizeError extends EventHubError {
  constructor(queueSize: unknown, topic?: string) {
    super(`[eventhub] queueSize must be a positive integer, got ${describe(queueSize)}`, {
      topic,
      operation: 'registerTopic',
    });
  }
}

export class InvalidTopicNameError extends EventHubError {
  constructor(name: unknown) {
    super(
      `[eventhub] invalid topic name ${describe(name)}: it must match ^[a-z][a-z0-9_]{0,47}$ ` +
        '(it becomes part of a table name)',
      { operation: 'validateTopicName' },
    );
  }
}

export class QueueFullError extends EventHubError {
  constructor(topic: string, queueSize: number) {
    super(`[eventhub] publish to "${topic}" rejected: ${queueSize} publishes are already waiting to be written`, {
      topic,
      operation: 'publish',
    });
  }
}

export class HubClosedError extends EventHubError {
  /** `source`: who was closed, for the message prefix (`eventhub`, `eventhub/sqlite`, ...). */
  constructor(operation: string, topic?: string, source = 'eventhub') {
    super(`[${source}] ${operation} called after close()`, { operation, topic });
  }
}

/** A database call failed. The driver's error is `cause`. */
export class StorageError extends EventHubError {}

/**
 * Bad input that is neither a topic name nor a queue size: a non-string `eventData`, a bad
 * option, a handler that is not a function. It is a `TypeError` (the contract's "TypeError-style
 * error") and still an EventHubError through the brand.
 */
export class InvalidArgumentError extends TypeError {
  readonly topic?: string;
  readonly operation?: string;

  constructor(message: string, options: EventHubErrorOptions = {}) {
    super(`[eventhub] ${message}`);
    brand(this, options);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return matches(this, value);
  }
}

/**
 * For adapters: wrap a driver error so that the caller learns the adapter, topic and operation,
 * keeping the driver's error as `cause`. Errors that are already EventHub errors pass through.
 */
export function storageError(adapter: string, operation: string, topic: string | undefined, cause: unknown): Error {
  if (isEventHubError(cause)) return cause as Error;
  const what = topic === undefined ? operation : `${operation} on "${topic}"`;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new StorageError(`[eventhub/${adapter}] ${what} failed: ${detail}`, { topic, operation, cause });
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return `a value of type ${typeof value}`;
}

nameClass(EventHubError, 'EventHubError');
nameClass(TopicNotFoundError, 'TopicNotFoundError');
nameClass(TopicAlreadyExistsError, 'TopicAlreadyExistsError');
nameClass(TopicTableMissingError, 'TopicTableMissingError');
nameClass(InvalidQueueSizeError, 'InvalidQueueSizeError');
nameClass(InvalidTopicNameError, 'InvalidTopicNameError');
nameClass(QueueFullError, 'QueueFullError');
nameClass(HubClosedError, 'HubClosedError');
nameClass(StorageError, 'StorageError');
nameClass(InvalidArgumentError, 'InvalidArgumentError');
