// The suite tests itself against the embedded adapter, on real SQLite files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteAdapter } from '@eventhub/sqlite';
import Database from 'better-sqlite3';
import { adapterSelected } from '../src/database.js';
import { describeConformance } from '../src/index.js';
import { describe } from 'vitest';

describe.skipIf(!adapterSelected('sqlite'))('conformance', () =>
describeConformance(
  'sqlite',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eventhub-conformance-'));
    const filename = join(dir, 'events.db');
    const connect = () => createSqliteAdapter({ filename, pollIntervalMs: 20 });
    return {
      adapter: connect(),
      connect,
      async dropTopicTable(topic) {
        const db = new Database(filename);
        db.exec(`DROP TABLE "${topic}_events"`);
        db.close();
      },
      async cleanup() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  { multiInstance: true, wakeups: 'poll' },
));
