import type { ResultRow } from './report.js';

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function summarize(runs: number[]): Summary {
  const sorted = [...runs].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), min: sorted[0] ?? NaN, max: sorted[sorted.length - 1] ?? NaN, runs };
}

/** `sorted` ascending; nearest-rank percentile. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export interface LatencySummary {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

export function latencySummary(values: number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN, count: sorted.length };
}

/** Several runs of one latency case: the median run's p50 and p99, the largest max. */
export interface LatencyRuns extends LatencySummary {
  p50Runs: Summary;
  p99Runs: Summary;
}

export function combineLatencyRuns(runs: readonly LatencySummary[]): LatencyRuns {
  const p50Runs = summarize(runs.map((run) => run.p50));
  const p99Runs = summarize(runs.map((run) => run.p99));
  return {
    p50: p50Runs.median,
    p99: p99Runs.median,
    max: Math.max(...runs.map((run) => run.max)),
    count: runs.reduce((sum, run) => sum + run.count, 0),
    p50Runs,
    p99Runs,
  };
}

/** A latency result row: the median run's p50 and p99 (with their range over runs) and the largest max. */
export function latencyRow(target: string, scenario: string, label: string, s: LatencyRuns): ResultRow {
  return {
    scenario,
    target,
    case: label,
    unit: 'ms',
    median: s.p50,
    extra: { p50: s.p50, p99: s.p99, max: s.max, count: s.count, p50Runs: s.p50Runs.runs, p99Runs: s.p99Runs.runs },
    text: `p50 ${fmtSummary(s.p50Runs, 2)} / p99 ${fmtSummary(s.p99Runs, 2)} / max ${fmt(s.max, 2)}`,
  };
}

export const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a';

/** `median (min–max)` of a rate. */
export const fmtSummary = (s: Summary, digits = 0): string =>
  s.runs.length > 1 ? `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})` : fmt(s.median, digits);

export const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
