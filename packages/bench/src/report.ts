import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ResultRow {
  scenario: string;
  target: string;
  case: string;
  /** What the number is: `events/s`, `ms`, `MB`... */
  unit: string;
  median: number;
  min?: number;
  max?: number;
  runs?: number[];
  /** Extra values: p50/p99/max for latencies, ratios. */
  extra?: Record<string, number | string | number[]>;
  /** The formatted value as printed. */
  text: string;
}

export class Report {
  readonly rows: ResultRow[] = [];
  readonly ratios: { target: string; what: string; value: string; goal?: string }[] = [];
  readonly notes: string[] = [];

  add(row: ResultRow): void {
    this.rows.push(row);
    console.log(`  ${row.target.padEnd(9)} ${row.scenario.padEnd(12)} ${row.case.padEnd(46)} ${row.text} ${row.unit}`);
  }

  ratio(target: string, what: string, value: string, goal?: string): void {
    this.ratios.push({ target, what, value, goal });
    console.log(`  ${target.padEnd(9)} ratio        ${what.padEnd(46)} ${value}${goal ? `   (goal ${goal})` : ''}`);
  }

  note(text: string): void {
    this.notes.push(text);
    console.log(`  note: ${text}`);
  }

  write(dir: string, meta: Record<string, unknown>): { json: string; markdown: string } {
    mkdirSync(dir, { recursive: true });
    const json = join(dir, 'latest.json');
    const markdown = join(dir, 'latest.md');
    writeFileSync(json, JSON.stringify({ meta, rows: this.rows, ratios: this.ratios, notes: this.notes }, null, 2));
    writeFileSync(markdown, this.markdown(meta));
    return { json, markdown };
  }

  markdown(meta: Record<string, unknown>): string {
    const lines = ['# EventHub benchmark run', ''];
    for (const [k, v] of Object.entries(meta)) lines.push(`- **${k}**: ${String(v)}`);
    lines.push('', '## Results', '', '| target | scenario | case | value | unit |', '| --- | --- | --- | --- | --- |');
    for (const r of this.rows) lines.push(`| ${r.target} | ${r.scenario} | ${r.case} | ${r.text} | ${r.unit} |`);
    lines.push('', '## Ratios', '', '| target | ratio | value | goal |', '| --- | --- | --- | --- |');
    for (const r of this.ratios) lines.push(`| ${r.target} | ${r.what} | ${r.value} | ${r.goal ?? ''} |`);
    if (this.notes.length) lines.push('', '## Notes', '', ...this.notes.map((n) => `- ${n}`));
    return `${lines.join('\n')}\n`;
  }
}
