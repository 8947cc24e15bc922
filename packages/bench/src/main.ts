// `pnpm bench [--quick] [--reps=N] [--only=sqlite,postgres,mysql] [--scenarios=throughput,latency,fanout,scale,memory,peers]`
//
// Runs the SQLite set with no setup; adds PostgreSQL and MySQL when EVENTHUB_BENCH_POSTGRES_URL /
// EVENTHUB_BENCH_MYSQL_URL (or the EVENTHUB_TEST_* URLs) are set. Prints a line per result and
// writes bench/results/latest.json and latest.md at the repository root.
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Report } from './report.js';
import { fanout } from './scenarios/fanout.js';
import { latency } from './scenarios/latency.js';
import { memory } from './scenarios/memory.js';
import { scale } from './scenarios/scale.js';
import { throughput } from './scenarios/throughput.js';
import { settingsFor } from './settings.js';
import { sqliteTarget } from './targets/sqlite.js';
import type { BenchTarget } from './targets/target.js';

const args = new Map(
  process.argv.slice(2).filter((a) => a.startsWith('--')).map((a) => {
    const [k, v] = a.slice(2).split('=');
    return [k!, v ?? 'true'] as const;
  }),
);
const quick = args.has('quick');
const reps = args.has('reps') ? Number(args.get('reps')) : undefined;
const only = args.get('only')?.split(',');
const scenarios = new Set(args.get('scenarios')?.split(',') ?? ['throughput', 'latency', 'fanout', 'scale', 'memory', 'peers']);
const outDir = args.get('out') ?? fileURLToPath(new URL('../../../bench/results/', import.meta.url));

const postgresUrl = process.env.EVENTHUB_BENCH_POSTGRES_URL ?? process.env.EVENTHUB_TEST_POSTGRES_URL;
const mysqlUrl = process.env.EVENTHUB_BENCH_MYSQL_URL ?? process.env.EVENTHUB_TEST_MYSQL_URL;

async function targets(): Promise<(() => Promise<BenchTarget>)[]> {
  const list: (() => Promise<BenchTarget>)[] = [];
  const wanted = (name: string) => !only || only.includes(name);
  if (wanted('sqlite')) list.push(async () => sqliteTarget());
  if (wanted('postgres')) {
    if (postgresUrl) list.push(async () => (await import('./targets/postgres.js')).postgresTarget(postgresUrl));
    else console.log('postgres: skipped (set EVENTHUB_BENCH_POSTGRES_URL)');
  }
  if (wanted('mysql')) {
    if (mysqlUrl) list.push(async () => (await import('./targets/mysql.js')).mysqlTarget(mysqlUrl));
    else console.log('mysql: skipped (set EVENTHUB_BENCH_MYSQL_URL)');
  }
  return list;
}

const report = new Report();
const versions: Record<string, string> = {};
const started = Date.now();
console.log(`eventhub bench${quick ? ' --quick' : ''}: node ${process.version}, ${cpus().length} cores`);
for (const open of await targets()) {
  const target = await open();
  try {
    versions[target.name] = await target.version();
    const settings = settingsFor(quick, target.name, reps);
    console.log(`\n== ${target.name}: ${versions[target.name]} (${settings.reps} repetition${settings.reps > 1 ? 's' : ''} per case)`);
    const publishRates = scenarios.has('throughput') ? await throughput(target, settings, report) : {};
    const latencies = scenarios.has('latency') ? await latency(target, settings, report) : {};
    if (scenarios.has('fanout')) await fanout(target, settings, report);
    if (scenarios.has('scale')) await scale(target, settings, report);
    if (scenarios.has('memory')) await memory(target, settings, report);
    if (scenarios.has('peers') && target.name === 'postgres') {
      const { peers } = await import('./scenarios/peers.js');
      await peers(postgresUrl!, settings, report, {
        publishRate: publishRates['hub publishEvent, 256 publishers']?.median,
        crossInstanceLatency: latencies['two instances, 1,000 events/s'],
      });
    }
  } finally {
    await target.close();
  }
}
const meta = {
  date: new Date().toISOString(),
  command: `pnpm bench ${process.argv.slice(2).join(' ')}`.trim(),
  node: process.version,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  memory: `${Math.round(totalmem() / 1024 ** 3)} GiB`,
  durationSeconds: Math.round((Date.now() - started) / 1000),
  ...versions,
};
const files = report.write(outDir, meta);
console.log(`\nwrote ${files.json} and ${files.markdown}`);
