import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { RoundRobinRouter } from '../../src/policies/round-robin.js';
import { LeastLoadedRouter } from '../../src/policies/least-loaded.js';
import { DECODE_ROUTERS, DECODE_ROUTER_NAMES, PREFILL_ROUTERS, PREFILL_ROUTER_NAMES } from '../../src/policies/registry.js';
import { RandomRouter } from '../../src/policies/random.js';
import { rngStream } from '../../src/engine/rng.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run.js';
import type { DecodeView, InstanceView, PrefillView } from '../../src/policies/router.js';
import { CacheAwareRouter } from '../../src/policies/cache-aware.js';
import { KvBalanceRouter } from '../../src/policies/kv-balance.js';
import { LeastKvRouter } from '../../src/policies/least-kv.js';
import { PredictedTbtRouter } from '../../src/policies/predicted-tbt.js';
import type { Request } from '../../src/workload/request.js';

const R: Request = { id: 0, arrival: 0, inputTokens: 1, outputTokens: 1, blockHashes: [0] };

/** Fake instances whose loads the test sets directly. */
function views(loads: number[]): { views: InstanceView[]; loads: number[] } {
  return { views: loads.map((_, i) => ({ index: i, load: () => loads[i] })), loads };
}

describe('RoundRobinRouter', () => {
  it('cycles 0, 1, 2, 0, ... regardless of load', () => {
    const r = new RoundRobinRouter();
    const { views: v } = views([5, 0, 9]);
    expect(Array.from({ length: 7 }, () => r.route(R, v))).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(r.name).toBe('round_robin');
  });

  it('returns the instance index field', () => {
    const r = new RoundRobinRouter();
    const v: InstanceView[] = [10, 11].map((index) => ({ index, load: () => 0 }));
    expect([r.route(R, v), r.route(R, v), r.route(R, v)]).toEqual([10, 11, 10]);
  });
});

describe('LeastLoadedRouter', () => {
  it('picks the instance with the minimum load', () => {
    const r = new LeastLoadedRouter();
    const { views: v, loads } = views([3, 1, 2]);
    expect(r.route(R, v)).toBe(1);
    loads[1] = 5; // now [3, 5, 2]
    r.loadChanged(1, 5); // the cluster reports every load change
    expect(r.route(R, v)).toBe(2);
    loads.splice(0, 3, 0, 5, 2); // [0, 5, 2]
    r.loadChanged(0, 0);
    expect(r.route(R, v)).toBe(0);
    expect(r.name).toBe('least_loaded');
  });

  it('its load index picks exactly what a scan of every instance picks (random loads and changes)', () => {
    // Reference: the plain scan from last+1, cyclically, first strict minimum.
    const scan = (loads: number[], last: number): number => {
      let best = -1;
      for (let k = 1; k <= loads.length; k++) {
        const i = (last + k) % loads.length;
        if (best < 0 || loads[i] < loads[best]) best = i;
      }
      return best;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 6 })), { maxLength: 200 }),
        (n, changes) => {
          const loads = Array.from({ length: n }, (_, i) => i % 3);
          const v: InstanceView[] = loads.map((_, i) => ({ index: i, load: () => loads[i] }));
          const r = new LeastLoadedRouter();
          let last = -1;
          for (const [at, load] of changes) {
            const got = r.route(R, v);
            expect(got).toBe(scan(loads, last));
            last = got;
            loads[at % n] = load;
            r.loadChanged(at % n, load);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('breaks ties round-robin starting after its last choice', () => {
    const r = new LeastLoadedRouter();
    const { views: v } = views([0, 0, 0]);
    // last = -1 -> scan 0, 1, 2 -> 0; then scan from 1 -> 1; from 2 -> 2; from 0 -> 0
    expect([r.route(R, v), r.route(R, v), r.route(R, v), r.route(R, v)]).toEqual([0, 1, 2, 0]);
  });

  it('ties among some instances only: rotates among the least loaded ones', () => {
    const r = new LeastLoadedRouter();
    const { views: v } = views([1, 0, 0, 1]);
    // first: scan 0..3 -> 1 (first minimum); next scan 2, 3, 0, 1 -> 2; next scan 3, 0, 1, 2 -> 1
    expect([r.route(R, v), r.route(R, v), r.route(R, v)]).toEqual([1, 2, 1]);
  });

  it('when the load follows its choices it spreads requests evenly', () => {
    const r = new LeastLoadedRouter();
    const { views: v, loads } = views([0, 0, 0, 0]);
    const picks: number[] = [];
    for (let k = 0; k < 8; k++) {
      const i = r.route(R, v);
      picks.push(i);
      loads[i]++;
    }
    expect(picks).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    expect(loads).toEqual([2, 2, 2, 2]);
  });
});

describe('router registry', () => {
  it('builds each registered router under its own name, fresh each time', () => {
    for (const [names, registry] of [
      [PREFILL_ROUTER_NAMES, PREFILL_ROUTERS],
      [DECODE_ROUTER_NAMES, DECODE_ROUTERS],
    ] as const) {
      expect(names).toEqual(Object.keys(registry));
      for (const name of names) {
        const a = registry[name](rngStream(1, 'test'));
        expect(a.name).toBe(name);
        expect(registry[name](rngStream(1, 'test'))).not.toBe(a);
      }
    }
  });

  it('every registered router is a valid scenario value (the schema reads the registry)', () => {
    for (const name of PREFILL_ROUTER_NAMES) expect(loadScenario('test/fixtures/scenarios/tiny-8b.yaml', [`prefill.router=${name}`]).scenario.prefill.router).toBe(name);
    for (const name of DECODE_ROUTER_NAMES) expect(loadScenario('test/fixtures/scenarios/tiny-8b.yaml', [`decode.router=${name}`]).scenario.decode.router).toBe(name);
  });
});

describe('random router', () => {
  it('maps each draw to an instance: floor(u · n)', () => {
    // draws 0.0, 0.24, 0.25, 0.99 over 4 instances → floor(0), floor(0.96), floor(1.0), floor(3.96) = 0, 0, 1, 3
    const draws = [0, 0.24, 0.25, 0.99];
    const r = new RandomRouter(() => draws.shift()!);
    const v = [0, 1, 2, 3].map((index) => ({ index, load: () => 0 }));
    expect([1, 2, 3, 4].map(() => r.route(R, v))).toEqual([0, 0, 1, 3]);
  });

  it('follows the scenario seed through the registry-provided stream', () => {
    // A trace workload does not depend on the seed, so only the router's draws can change.
    const picks = (seed: number) =>
      runScenario(loadScenario('test/fixtures/scenarios/tiny-trace.yaml', ['decode.router=random', 'prefill.router=random', `seed=${seed}`])).metrics.records.map((r) => [r.prefillInstance, r.decodeInstance]);
    const a = picks(3);
    expect(picks(3)).toEqual(a);
    expect(picks(4)).not.toEqual(a);
    expect(new Set(a.map((p) => p[1])).size).toBeGreaterThan(1);
  });
});

describe('ties and boundaries of the estimate-driven routers', () => {
  const REQ: Request = { id: 0, arrival: 0, inputTokens: 99, outputTokens: 10, blockHashes: [1] };
  const prefill = (loads: number[], ttfts: number[]): PrefillView[] =>
    loads.map((l, i) => ({ index: i, load: () => l, estimateTtft: () => ttfts[i] }));
  const decode = (free: number[], tbts: number[]): DecodeView[] =>
    // Never attached (routers scan): the lower-bound inputs are not asked.
    free.map((f, i) => ({ index: i, load: () => 0, freeKvBlocks: () => f, predictedTbt: () => tbts[i], accountedContext: () => 0, decodeTime: () => 0 }));

  it('cache_aware: equal TTFT goes to the less loaded instance, then the lower index', () => {
    const r = new CacheAwareRouter();
    // TTFT all 2 s; loads [5, 3, 3]: 1 and 2 are least loaded, 1 has the lower index.
    expect(r.route(REQ, prefill([5, 3, 3], [2, 2, 2]))).toBe(1);
    // A lower TTFT wins over any load: [4, 0] loads, [1.0, 1.5] s -> 0.
    expect(r.route(REQ, prefill([4, 0], [1.0, 1.5]))).toBe(0);
    // All equal: the first.
    expect(r.route(REQ, prefill([2, 2], [1, 1]))).toBe(0);
  });

  it('kv_balance: the near-best band is TTFT <= 1.1 x best inclusive; in it the least loaded, ties to the lower index', () => {
    const r = new KvBalanceRouter();
    // best 1.0 -> limit 1.1: instance 1 (1.1) is in, instance 2 (1.1000001) is out although idle.
    expect(r.route(REQ, prefill([5, 1, 0], [1.0, 1.1, 1.1000001]))).toBe(1);
    // Equal loads in the band: the lower index, every time (no rotation).
    const v = prefill([2, 2, 2], [1, 1, 1]);
    expect([r.route(REQ, v), r.route(REQ, v)]).toEqual([0, 0]);
    // Another tolerance moves the band: 50% admits 1.4 s.
    expect(new KvBalanceRouter(0.5).route(REQ, prefill([5, 1], [1.0, 1.4]))).toBe(1);
    expect(new KvBalanceRouter(0.3).route(REQ, prefill([5, 1], [1.0, 1.4]))).toBe(0);
  });

  it('least_kv: most free blocks; ties to the lower index', () => {
    const r = new LeastKvRouter();
    expect(r.route(REQ, decode([7, 7, 3], [1, 1, 1]))).toBe(0);
    expect(r.route(REQ, decode([3, 7, 7], [1, 1, 1]))).toBe(1);
  });

  it('predicted_tbt: lowest predicted step with this request context (prompt + 1); ties to more free KV, then lower index', () => {
    const r = new PredictedTbtRouter();
    // TBT [30, 30, 50] ms; free [4, 9, 100]: 0 and 1 tie on TBT, 1 has more free KV.
    expect(r.route(REQ, decode([4, 9, 100], [0.03, 0.03, 0.05]))).toBe(1);
    expect(r.route(REQ, decode([9, 9], [0.03, 0.03]))).toBe(0);
    const asked: number[] = [];
    const v: DecodeView[] = [{ index: 0, load: () => 0, freeKvBlocks: () => 1, predictedTbt: (c) => (asked.push(c), 0), accountedContext: () => 0, decodeTime: () => 0 }];
    r.route(REQ, v);
    expect(asked).toEqual([100]); // 99 prompt tokens + the first token
  });
});
