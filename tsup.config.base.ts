import type { Options } from 'tsup';

// The one build config: every package spreads it, so a move to tsdown is a one-file change.
export const baseConfig: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: false,
};
