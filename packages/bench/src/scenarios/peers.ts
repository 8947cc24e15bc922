// Peers on the same PostgreSQL, same ~200-byte payload: pg-boss and graphile-worker. Every run
// starts from a fresh schema (their throughput drops badly once old rows pile up).
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { callsPerSecond, sendAtRate } from '../pacing.js';
import { payload } from '../payload.js';
import type { Report } from '../report.js';
import { combineLatencyRuns, fmtSummary, latencyRow, latencySummary, ratio, summarize, type LatencySummary } from '../stats.js';
import type { Settings } from '../settings.js';

// Read from the bench package's own node_modules: graphile-worker's exports map hides its package.json.
const versionOf = (name: string): string =>
  (JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { version: string })
    .version;

interface Peer {
  name: string;
  /** Fresh schema, started; returns the API. */
  open(): Promise<PeerApi>;
}

interface PeerApi {
  sendOne(n: number): Promise<unknown>;
  sendBatch(from: number, count: number): Promise<unknown>;
  /** Starts a worker calling `onJob(n)` per job, at the peer's fastest setting. */
  work(onJob: (n: number) => void): Promise<void>;
  close(): Promise<void>;
}

async function dropSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

function pgBoss(connectionString: string): Peer {
  const schema = 'eventhub_bench_pgboss';
  const queue = 'bench';
  return {
    name: `pg-boss ${versionOf('pg-boss')}`,
    async open() {
      await dropSchema(connectionString, schema);
      const { PgBoss } = await import('pg-boss');
      const boss = new PgBoss({ connectionString, schema, useListenNotify: true, max: 10 });
      boss.on('error', (error: unknown) => console.error('pg-boss error', error));
      await boss.start();
      await boss.createQueue(queue, { notify: true } as never);
      return {
        sendOne: (n) => boss.send(queue, { payload: payload(n), n }),
        sendBatch: (from, count) =>
          boss.insert(queue, Array.from({ length: count }, (_, i) => ({ data: { payload: payload(from + i), n: from + i } }))),
        async work(onJob) {
          await boss.work<{ n: number }>(
            queue,
            { batchSize: 100, pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5 },
            async (jobs) => {
              for (const job of jobs) onJob(job.data.n);
            },
          );
        },
        close: () => boss.stop({ graceful: false, wait: true } as never),
      };
    },
  };
}

function graphileWorker(connectionString: string): Peer {
  const schema = 'eventhub_bench_graphile';
  return {
    name: `graphile-worker ${versionOf('graphile-worker')}`,
    async open() {
      await dropSchema(connectionString, schema);
      const gw = await import('graphile-worker');
      const utils = await gw.makeWorkerUtils({ connectionString, schema });
      await utils.migrate();
      let runner: Awaited<ReturnType<typeof gw.run>> | undefined;
      return {
        sendOne: (n) => utils.addJob('bench', { payload: payload(n), n }),
        sendBatch: (from, count) =>
          utils.addJobs(Array.from({ length: count }, (_, i) => ({ identifier: 'bench', payload: { payload: payload(from + i), n: from + i } }))),
        async work(onJob) {
          runner = await gw.run({
            connectionString,
            schema,
            concurrency: 10,
            pollInterval: 500,
            noHandleSignals: true,
            logger: new gw.Logger(() => () => {}),
            taskList: {
              bench: async (job: unknown) => {
                onJob((job as { n: number }).n);
              },
            },
          });
        },
        async close() {
          await runner?.stop();
          await utils.release();
        },
      };
    },
  };
}

async function batchRate(api: PeerApi, count: number): Promise<number> {
  const started = performance.now();
  for (let done = 0; done < count; done += 1000) await api.sendBatch(done, Math.min(1000, count - done));
  return count / ((performance.now() - started) / 1000);
}

async function jobLatency(api: PeerApi, rate: number, total: number): Promise<LatencySummary> {
  const sentAt = new Float64Array(total);
  const latencies: number[] = [];
  let received = 0;
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  await api.work((n) => {
    if (n >= total / 10) latencies.push(performance.now() - sentAt[n]!);
    if (++received >= total) allDone();
  });
  await sendAtRate(rate, sentAt, (n) => {
    void api.sendOne(n).catch((error: unknown) => console.error('peer send failed', error));
  });
  await done;
  return latencySummary(latencies);
}

/** The hub's own PostgreSQL results from the same run, to set beside each peer's. */
export interface HubOnPostgres {
  /** Median events/s with 256 concurrent publishers. */
  publishRate?: number;
  /** Publish→handler across two hub instances at 1,000 events/s. */
  crossInstanceLatency?: LatencySummary;
}

/**
 * Peers' throughput (one-job API, 1 and 8 callers; batch API) and send→handler latency, each
 * followed by the hub's ratio to it.
 */
export async function peers(connectionString: string, settings: Settings, report: Report, hub: HubOnPostgres): Promise<void> {
  for (const peer of [pgBoss(connectionString), graphileWorker(connectionString)]) {
    console.log(`  -- ${peer.name}`);
    const repeat = async (label: string, run: (api: PeerApi) => Promise<number>): Promise<number> => {
      const runs: number[] = [];
      for (let r = 0; r < settings.reps; r++) {
        const api = await peer.open();
        try {
          runs.push(await run(api));
        } finally {
          await api.close();
        }
      }
      const s = summarize(runs);
      report.add({ scenario: 'peers', target: 'postgres', case: `${peer.name}: ${label}`, unit: 'jobs/s', ...s, text: fmtSummary(s) });
      return s.median;
    };
    await repeat('one job per call, 1 caller', (api) => callsPerSecond(Math.round(settings.peerJobs / 3), 1, (n) => api.sendOne(n)));
    const oneByOne = await repeat('one job per call, 8 callers', (api) => callsPerSecond(settings.peerJobs, 8, (n) => api.sendOne(n)));
    const batched = await repeat('batch API, 1000 per call', (api) => batchRate(api, settings.peerJobs * 5));
    if (hub.publishRate !== undefined) {
      report.ratio('postgres', `hub (256 publishers) / ${peer.name} one job per call`, ratio(hub.publishRate, oneByOne), '≥ 20×');
      report.ratio('postgres', `hub (256 publishers) / ${peer.name} batch API`, ratio(hub.publishRate, batched), '≥ 1.5×');
    }

    const rate = 200;
    const runs: LatencySummary[] = [];
    for (let r = 0; r < settings.reps; r++) {
      const api = await peer.open();
      try {
        runs.push(await jobLatency(api, rate, Math.max(100, Math.round(rate * settings.latencySeconds))));
      } finally {
        await api.close();
      }
    }
    const s = combineLatencyRuns(runs);
    report.add(latencyRow('postgres', 'peers', `${peer.name}: send→handler, ${rate} jobs/s`, s));
    const own = hub.crossInstanceLatency;
    if (own !== undefined) {
      // The hub's figure is across two instances at 1,000 events/s: five times the peers' load.
      report.ratio(
        'postgres',
        `latency, hub across instances at 1k/s / ${peer.name} at ${rate}/s`,
        `p50 ${ratio(own.p50, s.p50)}, p99 ${ratio(own.p99, s.p99)}`,
        '< 1×',
      );
    }
  }
}
