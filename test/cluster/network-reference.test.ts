import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/cluster/network.js';
import { Simulator } from '../../src/engine/simulator.js';

interface Job {
  at: number;
  path: number[];
  bytes: number;
  maxRate: number;
}

/**
 * Reference: the textbook fair-share model, recomputed from scratch for every flow at every start
 * and end (piecewise-constant rates; a flow's rate = min(cap, min over its path of bw / flows)).
 */
function reference(bw: number[], jobs: Job[], latency: number): number[] {
  const done: number[] = jobs.map(() => NaN);
  const active = new Set<number>();
  const left = jobs.map((j) => j.bytes);
  const starts = jobs.map((j, i) => ({ t: j.at + latency, i })).sort((a, b) => a.t - b.t || a.i - b.i);
  let now = 0;
  let s = 0;
  const rates = (): number[] => {
    const count = bw.map(() => 0);
    for (const i of active) for (const r of jobs[i].path) count[r]++;
    return jobs.map((j, i) => (active.has(i) ? Math.min(j.maxRate, ...j.path.map((r) => bw[r] / count[r])) : 0));
  };
  while (s < starts.length || active.size > 0) {
    const rate = rates();
    let tEnd = Infinity;
    for (const i of active) tEnd = Math.min(tEnd, now + left[i] / rate[i]);
    const tStart = s < starts.length ? starts[s].t : Infinity;
    const t = Math.min(tEnd, tStart);
    for (const i of active) left[i] -= rate[i] * (t - now);
    now = t;
    for (const i of [...active]) {
      if (left[i] <= rate[i] * 1e-9) {
        active.delete(i);
        done[i] = now;
      }
    }
    while (s < starts.length && starts[s].t <= now) active.add(starts[s++].i);
  }
  return done;
}

describe('Network equals the from-scratch fair-share reference', () => {
  it('random transfers over shared resources finish at the same times (fp tolerance)', () => {
    const job = fc.record({
      at: fc.integer({ min: 0, max: 20 }).map((x) => x / 4),
      path: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
      bytes: fc.integer({ min: 1, max: 1000 }),
      maxRate: fc.constantFrom(Infinity, 40, 150),
    });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 50, max: 400 }), { minLength: 4, maxLength: 4 }), fc.array(job, { minLength: 1, maxLength: 12 }), (bw, jobs) => {
        const sim = new Simulator();
        const net = new Network(sim);
        const ids = bw.map((b) => net.addResource(b));
        const got: number[] = jobs.map(() => NaN);
        jobs.forEach((j, i) => sim.at(j.at, () => net.transfer(j.path.map((r) => ids[r]), j.bytes, 0.01, () => (got[i] = sim.now), j.maxRate)));
        sim.run();
        const want = reference(bw, jobs, 0.01);
        for (let i = 0; i < jobs.length; i++) expect(got[i]).toBeCloseTo(want[i], 6);
        expect(net.activeFlows).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
