import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.config.js';

/** The project's test config plus the policy-swapping setup (test/tools/swap-policies.mjs). */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      setupFiles: ['test/tools/swap-setup.ts'],
      // Snapshots are set aside on purpose; the CLI tests run dist/ in child processes, which the swap does not reach.
      exclude: ['test/golden/**', 'test/e2e/**', 'test/bad-inputs/**', 'node_modules/**'],
    },
  }),
);
