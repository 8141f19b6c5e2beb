// Mutation testing of the policy code (npm run mutate; not in CI: it is slow). Scores: README.
// Narrow the run with e.g. `npx stryker run --mutate src/policies/least-kv.ts`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'test/tools/mutate.vitest.config.ts' },
  mutate: [
    'src/policies/**/*.ts',
    'src/cluster/plan.ts',
    // Cluster: capacity rejection, prefill routing and admission, decode routing (submit .. onPrefilled),
    // decode-side KV saving (onFinished). Line ranges: keep them on those methods when cluster.ts moves.
    'src/cluster/cluster.ts:188-231',
    'src/cluster/cluster.ts:246-257',
  ],
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
