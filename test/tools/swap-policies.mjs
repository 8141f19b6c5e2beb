#!/usr/bin/env node
/**
 * Proves the test suite notices when a registered policy is replaced by another one under the same
 * name, without the golden snapshots: for every registry (prefill routers, decode routers, eviction
 * policies) and every ordered pair (name, other), runs the in-process tests (test/golden and the
 * CLI tests excluded) with entry <name> building <other>'s policy, and expects a failure.
 *
 *   node test/tools/swap-policies.mjs            # every pair; exit 1 if any swap went unnoticed
 *   node test/tools/swap-policies.mjs prefill    # one registry
 *   node test/tools/swap-policies.mjs --full     # run every in-process test file per swap (slow)
 *
 * By default a swap is tried against test/policies first (seconds) and, only if nothing there
 * fails, against every other in-process test file; --full runs them all and reports how many fail.
 *
 * Needs dist/ (npm run build) to list the registries.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const full = args.includes('--full');
const only = args.filter((a) => !a.startsWith('--'));
const { PREFILL_ROUTERS, DECODE_ROUTERS } = await import(new URL('dist/policies/registry.js', `file://${root}`).href);
const { EVICTION_POLICIES } = await import(new URL('dist/policies/eviction/registry.js', `file://${root}`).href);
const registries = { prefill: PREFILL_ROUTERS, decode: DECODE_ROUTERS, eviction: EVICTION_POLICIES };

/** Runs vitest with the swap; `files` filters test files (empty: all in-process tests). */
function vitest(spec, files) {
  return spawnSync('npx', ['vitest', 'run', '--config', 'test/tools/swap.vitest.config.ts', ...(full ? [] : ['--bail=1']), '--reporter=dot', ...files], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, KVSIM_SWAP_POLICY: spec, NO_COLOR: '1' },
  });
}

const unnoticed = [];
let swaps = 0;
for (const [kind, registry] of Object.entries(registries)) {
  if (only.length && !only.includes(kind)) continue;
  const names = Object.keys(registry);
  for (const name of names) {
    for (const other of names) {
      if (other === name) continue;
      swaps++;
      const spec = `${kind}:${name}=${other}`;
      const stages = full ? [[]] : [['test/policies'], []];
      let verdict = 'UNNOTICED: every non-golden test passed';
      for (const files of stages) {
        const r = vitest(spec, files);
        if (r.status !== 0) {
          const failed = /Tests\s+(\d+) failed/.exec(r.stdout)?.[1] ?? '?';
          verdict = `caught: ${failed} failing test(s) in ${files.length ? files.join(' ') : 'the in-process suite'}`;
          break;
        }
      }
      if (verdict.startsWith('UNNOTICED')) unnoticed.push(spec);
      process.stdout.write(`${spec.padEnd(40)} ${verdict}\n`);
    }
  }
}
process.stdout.write(`${swaps} swaps, ${swaps - unnoticed.length} caught, ${unnoticed.length} unnoticed\n`);
process.exit(unnoticed.length ? 1 : 0);
