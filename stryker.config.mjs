// Mutation testing of the policy code (npm run mutate; not in CI: it is slow). Scores: README.
// Narrow the run with e.g. `npx stryker run --mutate src/policies/least-kv.ts`.
import { methodRanges } from './test/tools/mutate-scope.mjs';

/**
 * Cluster methods under mutation: capacity rejection, prefill routing and admission, decode routing,
 * decode-side KV saving. Stryker takes line ranges only; they are computed from these names at
 * each run, so they follow the methods when cluster.ts moves.
 */
export const clusterMethods = ['submit', 'admit', 'admission', 'predictTtft', 'predictHandoff', 'onPrefilled', 'onFinished'];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'test/tools/mutate.vitest.config.ts' },
  mutate: ['src/policies/**/*.ts', 'src/cluster/plan.ts', ...methodRanges('src/cluster/cluster.ts', clusterMethods)],
  coverageAnalysis: 'perTest',
  // The machine is shared: one test process.
  concurrency: 1,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // Mutants that loop forever (heap and queue code) should fail fast.
  timeoutMS: 3000,
};
