import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

/**
 * The tests `npm run mutate` (StrykerJS) runs against each mutant: the in-process tests of the
 * mutated code. Golden snapshots are left out on purpose (the score measures the behavioural
 * tests), and so are CLI tests (they run dist/, which mutants do not reach) and the simulated
 * prefill-router pairs (*.sim.test.ts: seconds each, and every mutant would rerun them).
 */
export default defineConfig({
  test: {
    ...base.test,
    include: ['test/policies/**/*.test.ts', 'test/cluster/**/*.test.ts'],
    exclude: ['**/*.sim.test.ts', '**/node_modules/**'],
  },
});
