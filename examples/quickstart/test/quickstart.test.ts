import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const tsx = createRequire(import.meta.url).resolve('tsx/cli');

it('the quick start runs: it commits an event, receives it, and exits', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'eventhub-quickstart-'));
  try {
    const script = join(import.meta.dirname, '../src/quickstart.ts');
    const run = spawnSync(process.execPath, [tsx, script], { cwd, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^committed \d+ /m);
    expect(run.stdout).toMatch(/^received \d+ \{"id":1\}$/m);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
