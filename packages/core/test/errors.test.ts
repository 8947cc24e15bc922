import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as esm from '../src/index.js';

// The CommonJS build, as a second copy of the package would load it (the dual-package hazard).
const cjs = createRequire(import.meta.url)('../dist/index.cjs') as typeof esm;

describe('errors', () => {
  it('isEventHubError and instanceof recognise errors from the other module copy', () => {
    const fromCjs = new cjs.QueueFullError('orders', 10);
    expect(fromCjs).not.toBe(esm.QueueFullError);
    expect(esm.isEventHubError(fromCjs)).toBe(true);
    expect(fromCjs).toBeInstanceOf(esm.QueueFullError);
    expect(fromCjs).toBeInstanceOf(esm.EventHubError);
    expect(fromCjs).not.toBeInstanceOf(esm.TopicNotFoundError);
    expect(new esm.TopicNotFoundError('orders')).toBeInstanceOf(cjs.TopicNotFoundError);
  });

  it('errors carry a name, the topic, the operation and the cause', () => {
    const cause = new Error('disk I/O error');
    const error = esm.storageError('sqlite', 'append', 'orders', cause);
    expect(error).toBeInstanceOf(esm.StorageError);
    expect(error).toMatchObject({ name: 'StorageError', topic: 'orders', operation: 'append', cause });
    expect(error.message).toBe('[eventhub/sqlite] append on "orders" failed: disk I/O error');
    expect(String(new esm.TopicTableMissingError('orders'))).toMatch(/^TopicTableMissingError: /);
  });

  it('bad arguments are TypeErrors that are also EventHub errors', () => {
    const error = new esm.InvalidArgumentError('eventData must be a string');
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toBeInstanceOf(esm.EventHubError);
    expect(esm.isEventHubError(error)).toBe(true);
    expect(esm.isEventHubError(new TypeError('x'))).toBe(false);
    expect(new esm.HubClosedError('close')).not.toBeInstanceOf(TypeError);
  });

  it('topic names are checked against the contract pattern', () => {
    expect(esm.isValidTopicName('orders_2026')).toBe(true);
    for (const bad of ['Orders', '_x', 'a'.repeat(49), 'a b', 'a;drop']) expect(esm.isValidTopicName(bad)).toBe(false);
    expect(() => esm.eventsTableName('x"y')).toThrow(esm.InvalidTopicNameError);
    expect(esm.processedIndexName('a'.repeat(48)).length).toBeLessThanOrEqual(63);
  });
});

describe('createEventHub', () => {
  it('refuses bad options with a TypeError', () => {
    expect(() => esm.createEventHub({} as never)).toThrow(TypeError);
    const storage = { appendEvents() {} } as unknown as esm.StorageAdapter;
    expect(() => esm.createEventHub({ storage, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => esm.createEventHub({ storage, flushIntervalMs: -1 })).toThrow(/flushIntervalMs/);
  });
});
