/**
 * Analytic decode's closed forms against their per-step definitions: StepTimeModel.decodeLine is
 * `step` of a decode-only batch as a line in the summed context, PoolStats.addDecodeSteps is a run
 * of `addStep`s, LogHistogram.addLinear a run of `add`s. Equal up to rounding (relative 1e-9).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEVICES } from '../../src/cluster/catalog/hardware.js';
import { MODELS } from '../../src/cluster/catalog/models.js';
import { emptyBatch, StepTimeModel } from '../../src/cluster/step-time.js';
import { PoolStats } from '../../src/metrics/collector.js';
import { LogHistogram } from '../../src/metrics/log-histogram.js';
import { arbShape } from './arbitraries.js';


const near = (a: number, b: number, what: string) => {
  if (!(Math.abs(a - b) <= 1e-9 * Math.max(1e-12, Math.abs(a), Math.abs(b)))) expect.fail(`${what}: ${a} vs ${b}`);
};

describe('decode closed forms equal their per-step sums', () => {
  it('decodeLine matches step() for any batch and context; addDecodeSteps matches addStep per step', () => {
    fc.assert(
      fc.property(
        arbShape,
        fc.integer({ min: 1, max: 512 }),
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0, max: 1.5, noNaN: true }),
        (s, b, c0, n, memoryActivity) => {
          const model = new StepTimeModel({ model: MODELS[s.model], device: DEVICES[s.device], tp: s.tp, weightDtype: s.weightDtype, kvDtype: s.kvDtype });
          const line = model.decodeLine(b);
          const batch = emptyBatch();
          const perStep = new PoolStats();
          const closed = new PoolStats();
          for (const p of [perStep, closed]) {
            p.batchCapacity = 512;
            p.memoryActivity = memoryActivity;
          }
          for (let j = 0; j < n; j++) {
            batch.decodeSeqs = batch.sampledSeqs = b;
            batch.decodeContextTokens = c0 + b * j;
            const cost = model.step(batch);
            const ctx = batch.decodeContextTokens;
            near(line.computeBase + line.computePerToken * ctx, cost.compute, 'compute');
            near(line.memoryBase + line.memoryPerToken * ctx, cost.memory, 'memory');
            near(line.comm, cost.comm, 'comm');
            near(line.overhead, cost.overhead, 'overhead');
            near(line.flopsBase + line.flopsPerToken * ctx, cost.flops, 'flops');
            near(line.bytesBase + line.bytesPerToken * ctx, cost.bytes, 'bytes');
            perStep.addStep(cost, b);
          }
          const time = closed.addDecodeSteps(line, c0, b, n);
          near(time, perStep.busyTime, 'time');
          for (const k of ['busyTime', 'computeBoundTime', 'memoryBoundTime', 'commTime', 'overheadTime', 'activeTime', 'steps', 'tokens', 'flops', 'bytes'] as const) {
            near(closed[k], perStep[k], k);
          }
          const a = closed.batchOccupancy.distribution();
          const e = perStep.batchOccupancy.distribution();
          for (const k of Object.keys(e) as (keyof typeof e)[]) near(a[k], e[k], `occupancy ${k}`);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('LogHistogram.addLinear puts every value in the bucket add() would', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1e-5, noNaN: true }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 8 }),
        (first, step, n, weight) => {
          const one = new LogHistogram();
          const run = new LogHistogram();
          for (let j = 0; j < n; j++) one.add(first + step * j, weight);
          run.addLinear(first, step, n, weight);
          expect(run.quantiles([0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1])).toEqual(one.quantiles([0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1]));
          const a = run.distribution();
          const e = one.distribution();
          for (const k of Object.keys(e) as (keyof typeof e)[]) near(a[k], e[k], k);
        },
      ),
      { numRuns: 300 },
    );
  });
});
