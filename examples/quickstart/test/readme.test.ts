import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

// The README's quick start is this example, verbatim, so the type-checked file and the
// documentation cannot drift apart.
it('the README quick start is examples/quickstart/src/quickstart.ts', () => {
  const example = readFileSync(new URL('../src/quickstart.ts', import.meta.url), 'utf8').trim();
  for (const readme of ['../../../README.md', '../../../packages/core/README.md']) {
    const text = readFileSync(new URL(readme, import.meta.url), 'utf8');
    expect(text, readme).toContain('```ts\n' + example + '\n```');
  }
});
