/**
 * Exactness of analytic decode stepping (one event per batch change) against the reference of one
 * event per decode step, over whole random small clusters and workloads: every summary number and
 * every request's timeline agree to floating-point tolerance; only the event count differs.
 * The tolerance covers summation order only (pool statistics and the gap histogram's sum are
 * accumulated across instances in a different order); step boundaries are the same sums.
 */
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/metrics/request-record.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run.js';
import { expectDeepClose } from '../helpers/deep-close.js';

const BASE = fileURLToPath(new URL('../golden/base.yaml', import.meta.url));
/** Relative tolerance of a reordered floating-point sum of at most ~1e5 terms (≈ 1e5 · 2^-53, with margin). */
const REL = 1e-9;


const TIMES = ['prefillStart', 'prefillEnd', 'transferStart', 'transferEnd', 'decodeStart', 'firstToken', 'finish'] as const;

describe('analytic decode equals one event per step', () => {
  it('random clusters, routers and loads: every metric and every request timeline', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          decodeNodes: fc.integer({ min: 1, max: 2 }),
          maxNumSeqs: fc.integer({ min: 1, max: 16 }),
          router: fc.constantFrom('round_robin', 'least_loaded', 'least_kv', 'predicted_tbt'),
          rate: fc.double({ min: 0.5, max: 20, noNaN: true }),
          outputMean: fc.integer({ min: 1, max: 200 }),
          requests: fc.integer({ min: 1, max: 60 }),
          admission: fc.boolean(),
        }),
        (c) => {
          const sets = [
            `seed=${c.seed}`,
            `decode.nodes=${c.decodeNodes}`,
            `decode.max_num_seqs=${c.maxNumSeqs}`,
            `decode.router=${c.router}`,
            `workload.arrival.rate=${c.rate}`,
            `workload.output_tokens.mean=${c.outputMean}`,
            `workload.num_requests=${c.requests}`,
            // tbt admission asks every decode instance for its predicted step time mid-run
            ...(c.admission ? ['admission.enabled=true', 'admission.tbt_limit=0.05'] : []),
          ];
          const loaded = loadScenario(BASE, sets);
          const stepped = runScenario(loaded, { steppedDecode: true });
          const analytic = runScenario(loaded);
          const { sim: s1, ...a } = stepped.summary;
          const { sim: s2, ...b } = analytic.summary;
          expect(s2.events).toBeLessThanOrEqual(s1.events + stepped.summary.requests.total);
          expectDeepClose(b, a, REL, 'summary');
          const ra: readonly RequestRecord[] = stepped.metrics.records;
          const rb: readonly RequestRecord[] = analytic.metrics.records;
          expect(rb.length).toBe(ra.length);
          for (let i = 0; i < ra.length; i++) {
            expect(rb[i].decodeInstance).toBe(ra[i].decodeInstance);
            for (const k of TIMES) expectDeepClose(rb[i][k], ra[i][k], REL, `request ${i}.${k}`);
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
