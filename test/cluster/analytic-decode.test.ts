/**
 * Exactness of analytic decode stepping (one event per batch change) against the reference of one
 * event per decode step, over whole random small clusters and workloads: every summary number and
 * every request's timeline agree to floating-point tolerance; only the event count differs.
 * The tolerance covers summation order only (pool statistics and the gap histogram's sum are
 * accumulated across instances in a different order); step boundaries are the same sums.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run.js';
import { expectSameRuns, GOLDEN_BASE, SUM_ORDER_REL } from '../helpers/run-comparison.js';

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
          const loaded = loadScenario(GOLDEN_BASE, sets);
          const stepped = runScenario(loaded, { steppedDecode: true });
          const analytic = runScenario(loaded);
          expect(analytic.summary.sim.events).toBeLessThanOrEqual(stepped.summary.sim.events + stepped.summary.requests.total);
          expectSameRuns(stepped, analytic, SUM_ORDER_REL);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
