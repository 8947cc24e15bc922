import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventHub, type Event } from '@eventhub/core';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteAdapter } from '../src/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'eventhub-sqlite-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('createSqliteAdapter', () => {
  it('leaves a database passed in open for its owner', async () => {
    const database = new Database(join(dir, 'owned.db'));
    const storage = createSqliteAdapter({ database });
    const hub = createEventHub({ storage });
    await storage.createTopicTable('orders');
    await hub.registerTopic('orders', 10);
    await hub.publishEvent('orders', '{"id":1}');
    await hub.close();
    await storage.close();
    expect(database.open).toBe(true);
    expect(database.prepare('SELECT COUNT(*) AS n FROM orders_events').get()).toEqual({ n: 1 });
    database.close();
  });

  it('closes the database it opened itself', async () => {
    const filename = join(dir, 'events.db');
    const storage = createSqliteAdapter({ filename });
    await storage.initialize();
    await storage.close();
    await expect(storage.initialize()).rejects.toThrow(/after close/);
    // The file is free again: another connection can take the write lock at once.
    const db = new Database(filename, { timeout: 0 });
    db.exec('BEGIN IMMEDIATE; COMMIT');
    db.close();
  });

  it('opens nothing until first used', () => {
    const filename = join(dir, 'lazy.db');
    createSqliteAdapter({ filename });
    expect(() => new Database(filename, { fileMustExist: true })).toThrow();
  });

  it('uses WAL and full sync on a file it opens', async () => {
    const filename = join(dir, 'wal.db');
    const storage = createSqliteAdapter({ filename });
    await storage.initialize();
    const db = new Database(filename);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    await storage.close();
  });

  it('an in-memory database works for one hub and declares it cannot wake other instances', async () => {
    const storage = createSqliteAdapter({ filename: ':memory:' });
    expect(storage.capabilities.wakeups).toBe('none');
    const hub = createEventHub({ storage });
    await storage.createTopicTable('memo');
    await hub.registerTopic('memo', 10);
    const received = new Promise<Event[]>((resolve) => void hub.registerSubscription('memo', resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const sent = await hub.publishEvent('memo', '"hello"');
    expect(await received).toEqual([sent]);
    await hub.close();
  });

  it('rejects options that make no sense', () => {
    expect(() => createSqliteAdapter({} as never)).toThrow(TypeError);
    expect(() => createSqliteAdapter({ filename: 'x.db', pollIntervalMs: 0 })).toThrow(TypeError);
  });
});
