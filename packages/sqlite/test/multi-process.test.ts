import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventHub, type Event } from '@eventhub/core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createSqliteAdapter } from '../src/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'eventhub-sqlite-mp-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// A second OS process publishing to the same file, through the built package.
const publisher = `
const { createEventHub } = require('@eventhub/core');
const { createSqliteAdapter } = require('@eventhub/sqlite');
(async () => {
  const hub = createEventHub({ storage: createSqliteAdapter({ filename: process.argv[1] }) });
  await hub.registerTopic('shared', 1000);
  await Promise.all(Array.from({ length: 500 }, (_, i) => hub.publishEvent('shared', JSON.stringify({ i }))));
  await hub.close();
})().catch((error) => { console.error(error); process.exit(1); });
`;

it('a subscriber receives what another process publishes to the same file, in order', async () => {
  const filename = join(dir, 'shared.db');
  const storage = createSqliteAdapter({ filename, pollIntervalMs: 20 });
  const hub = createEventHub({ storage, flushIntervalMs: 600_000 });
  try {
    await storage.createTopicTable('shared');
    await hub.registerTopic('shared', 10);
    const events: Event[] = [];
    let allReceived!: () => void;
    const done = new Promise<void>((resolve) => (allReceived = resolve));
    await hub.registerSubscription('shared', (batch) => {
      events.push(...batch);
      if (events.length >= 500) allReceived();
    });
    const child = spawn(process.execPath, ['-e', publisher, filename], { stdio: ['ignore', 'inherit', 'inherit'] });
    const exitCode = await new Promise((resolve) => child.on('exit', resolve));
    expect(exitCode).toBe(0);
    await done;
    expect(events.map((e) => JSON.parse(e.eventData).i)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  } finally {
    await hub.close();
  }
});
