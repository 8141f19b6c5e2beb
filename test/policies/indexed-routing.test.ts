/**
 * Routers that keep indexes (least_kv, predicted_tbt, cache_aware, least_loaded) choose exactly
 * what a scan of every instance chooses: whole random clusters run both ways and every request
 * goes to the same instances at the same times. Pool statistics may differ in the last digits
 * only (a scan catches every decode instance up at every choice, so their analytic accounting is
 * summed in other chunks), hence the tolerance on the summary alone.
 */
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/metrics/request-record.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run.js';
import { expectDeepClose } from '../helpers/deep-close.js';

const BASE = fileURLToPath(new URL('../golden/base.yaml', import.meta.url));
/** Relative tolerance of a reordered floating-point sum (≈ 1e5 terms · 2^-53, with margin). */
const REL = 1e-9;


const TIMES = ['prefillStart', 'prefillEnd', 'transferStart', 'transferEnd', 'decodeStart', 'firstToken', 'finish'] as const;

describe('indexed routing equals scanning every instance', () => {
  it('random clusters, loads and decode routers: the same instance and timeline for every request', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          decodeNodes: fc.integer({ min: 1, max: 4 }),
          tp: fc.constantFrom(2, 4),
          maxNumSeqs: fc.integer({ min: 1, max: 32 }),
          router: fc.constantFrom('least_kv', 'predicted_tbt'),
          prefillRouter: fc.constantFrom('least_loaded', 'cache_aware'),
          rate: fc.double({ min: 0.5, max: 30, noNaN: true }),
          outputMean: fc.integer({ min: 1, max: 300 }),
          requests: fc.integer({ min: 1, max: 80 }),
        }),
        (c) => {
          const loaded = loadScenario(BASE, [
            `seed=${c.seed}`,
            `decode.nodes=${c.decodeNodes}`,
            `decode.tp=${c.tp}`,
            `decode.max_num_seqs=${c.maxNumSeqs}`,
            `decode.router=${c.router}`,
            `prefill.router=${c.prefillRouter}`,
            `workload.arrival.rate=${c.rate}`,
            `workload.output_tokens.mean=${c.outputMean}`,
            `workload.num_requests=${c.requests}`,
          ]);
          const scan = runScenario(loaded, { scanRouting: true });
          const indexed = runScenario(loaded);
          const ra: readonly RequestRecord[] = scan.metrics.records;
          const rb: readonly RequestRecord[] = indexed.metrics.records;
          expect(rb.length).toBe(ra.length);
          for (let i = 0; i < ra.length; i++) {
            expect(rb[i].prefillInstance, `request ${i} prefill`).toBe(ra[i].prefillInstance);
            expect(rb[i].decodeInstance, `request ${i} decode`).toBe(ra[i].decodeInstance);
            for (const k of TIMES) expect(rb[i][k], `request ${i}.${k}`).toBe(ra[i][k]);
          }
          const { sim: _a, ...a } = scan.summary;
          const { sim: _b, ...b } = indexed.summary;
          expectDeepClose(b, a, REL, 'summary');
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);
});
