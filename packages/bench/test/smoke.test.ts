import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

// CI does not run the benchmark (it is not a test); it checks that `pnpm bench --quick` completes
// on every database the environment provides, and writes its report.
it('pnpm bench --quick completes and writes its report', async () => {
  const out = mkdtempSync(join(tmpdir(), 'eventhub-bench-smoke-'));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--quick', `--out=${out}`], {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    // Stack lines left out: vitest chokes on tsx's inline source maps when it formats them.
    expect(code, output.replace(/^\s+at .*$/gm, '')).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as { rows: { target: string }[] };
    expect(result.rows.some((r) => r.target === 'sqlite')).toBe(true);
    if (process.env.EVENTHUB_TEST_POSTGRES_URL) expect(result.rows.some((r) => r.target === 'postgres')).toBe(true);
    if (process.env.EVENTHUB_TEST_MYSQL_URL) expect(result.rows.some((r) => r.target === 'mysql')).toBe(true);
    expect(readFileSync(join(out, 'latest.md'), 'utf8')).toContain('| sqlite | throughput |');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 600_000);
