import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

/**
 * The tests `npm run mutate` (StrykerJS) runs against each mutant: the in-process tests of the
 * mutated code. Golden snapshots are left out on purpose (the score measures the behavioural
 * tests), and so are CLI tests (they run dist/, which mutants do not reach).
 */
export default defineConfig({
  test: {
    ...base.test,
    include: ['test/policies/**/*.test.ts', 'test/cluster/**/*.test.ts', 'test/colocated/**/*.test.ts', 'test/physics/**/*.test.ts'],
  },
});
