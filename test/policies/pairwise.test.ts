/**
 * Every pair of policies of a kind on a small workload built so that they must differ, with the
 * direction and the reason. Routers get a stream of requests over instances whose state follows
 * their own choices (decode); eviction policies get access traces through a small cache
 * (test/policies/eviction/helpers.ts). Prefill routers: pairwise-prefill.sim.test.ts (simulated).
 */
import { describe, expect, it } from 'vitest';
import { EVICTION_POLICIES } from '../../src/policies/eviction/registry.js';
import { DECODE_ROUTERS } from '../../src/policies/registry.js';
import type { DecodeView } from '../../src/policies/router.js';
import type { Request } from '../../src/workload/request.js';
import { TinyCache } from './eviction/helpers.js';

/**
 * Decode instances that never finish anything: each holds the sequences routed to it. Capacity 100
 * blocks of 16 tokens; step time = 0.01 + 0.005·B + 1e-5·(Σ context tokens) s, B = batch size.
 */
function decodePool(n: number, preload: number[] = []) {
  const batch = Array.from({ length: n }, (_, i) => preload[i] ?? 0);
  const context = new Array<number>(n).fill(0);
  const used = new Array<number>(n).fill(0);
  const step = (b: number, ctx: number) => 0.01 + 0.005 * b + 1e-5 * ctx;
  const views: DecodeView[] = batch.map((_, i) => ({
    index: i,
    load: () => batch[i],
    freeKvBlocks: () => 100 - used[i],
    predictedTbt: (ctx: number) => step(batch[i] + 1, context[i] + ctx),
    accountedContext: () => context[i],
    decodeTime: step,
  }));
  /** Routes sequences of these block counts with `router`; returns the picks and the final state. */
  const route = (name: string, blocks: number[]) => {
    const r = DECODE_ROUTERS[name](() => 0); // the routers compared here draw nothing
    const picks = blocks.map((b, id) => {
      const req: Request = { id, arrival: 0, inputTokens: 16 * b - 1, outputTokens: 2, blockHashes: [] };
      const i = r.route(req, views);
      batch[i]++;
      r.loadChanged?.(i, batch[i]); // as the cluster reports every load change to its routers
      context[i] += 16 * b;
      used[i] += b;
      return i;
    });
    return { picks, maxUsed: Math.max(...used), maxStep: Math.max(...batch.map((b, i) => step(b, context[i]))), batch: [...batch] };
  };
  return route;
}

describe('decode routers, pairwise', () => {
  // One 60-block sequence then five 10-block ones over 2 instances (worked by hand):
  // - round_robin and least_loaded (equal counts, ties rotate): 0,1,0,1,0,1 -> KV [80, 30] blocks;
  //   steps: B 3 with 1280 tokens = 0.0378 s, B 3 with 480 = 0.0298 s.
  // - least_kv follows free blocks: 0 (tie), then instance 1 has more free KV every time:
  //   0,1,1,1,1,1 -> KV [60, 50]; steps 0.0246 and B 5 with 800 tokens = 0.0430 s.
  // - predicted_tbt: r2: 0.0312 vs 0.0166 -> 1; r3: 0.0312 vs 0.0232 -> 1; r4: 0.0312 vs 0.0298 -> 1;
  //   r5: 0.0312 vs 0.0364 -> 0; r6: 0.0378 vs 0.0364 -> 1: picks 0,1,1,1,0,1 -> KV [70, 40];
  //   steps 0.0312 and 0.0364.
  const SEQS = [60, 10, 10, 10, 10, 10];
  const run = (name: string) => decodePool(2)(name, SEQS);

  it('least_kv balances KV and predicted_tbt step time; the count-based routers balance neither', () => {
    expect(run('round_robin')).toMatchObject({ picks: [0, 1, 0, 1, 0, 1], maxUsed: 80 });
    expect(run('least_loaded')).toMatchObject({ picks: [0, 1, 0, 1, 0, 1], maxUsed: 80 });
    expect(run('least_kv')).toMatchObject({ picks: [0, 1, 1, 1, 1, 1], maxUsed: 60 });
    expect(run('predicted_tbt')).toMatchObject({ picks: [0, 1, 1, 1, 0, 1], maxUsed: 70 });
    expect(run('round_robin').maxStep).toBeCloseTo(0.0378, 12);
    expect(run('least_kv').maxStep).toBeCloseTo(0.043, 12);
    expect(run('predicted_tbt').maxStep).toBeCloseTo(0.0364, 12);
  });

  it('least_kv vs predicted_tbt: each wins its own objective (KV 60 < 70 blocks; step 36.4 < 43.0 ms)', () => {
    expect(run('least_kv').maxUsed).toBeLessThan(run('predicted_tbt').maxUsed);
    expect(run('predicted_tbt').maxStep).toBeLessThan(run('least_kv').maxStep);
  });

  it('least_kv and predicted_tbt vs round_robin / least_loaded: less KV on the fullest instance; predicted_tbt also a faster slowest step', () => {
    for (const countBased of ['round_robin', 'least_loaded']) {
      expect(run('least_kv').maxUsed).toBeLessThan(run(countBased).maxUsed);
      expect(run('predicted_tbt').maxUsed).toBeLessThan(run(countBased).maxUsed);
      expect(run('predicted_tbt').maxStep).toBeLessThan(run(countBased).maxStep);
    }
  });

  it('least_loaded vs round_robin: with instance 0 already holding 3 sequences, least_loaded fills instance 1', () => {
    // 4 new sequences: round_robin 0,1,0,1 -> counts [5, 2]; least_loaded 1,1,1 (counts [3,3]), then
    // the tie rotates from its last pick (1) to 0 -> counts [4, 3].
    expect(decodePool(2, [3, 0])('round_robin', [10, 10, 10, 10])).toMatchObject({ picks: [0, 1, 0, 1], batch: [5, 2] });
    expect(decodePool(2, [3, 0])('least_loaded', [10, 10, 10, 10])).toMatchObject({ picks: [1, 1, 1, 0], batch: [4, 3] });
  });
});

describe('eviction policies, pairwise: hits of a 3-block cache on access traces (worked by hand)', () => {
  // TinyCache: a hit calls access(key); a miss evicts while full, then add(key). s3fifo at capacity 3
  // has a 1-block small queue and a 2-key ghost queue.
  const TRACES: Record<string, { trace: number[]; cost?: (k: number) => number; hits: Record<string, number> }> = {
    // Scan: key 1 used 3 times, then a one-pass scan 2..7, then 1 again. lru/fifo: 1 is the oldest
    // when 4 arrives -> evicted -> 2 hits. lfu/cost_aware: 1 has frequency 3, scanned keys 1 -> kept
    // -> 3 hits. s3fifo: at 4's eviction 1 (accessed) moves to the main queue, the scan churns
    // through the small queue -> kept -> 3 hits.
    scan: { trace: [1, 1, 1, 2, 3, 4, 5, 6, 7, 1], hits: { lru: 2, fifo: 2, lfu: 3, cost_aware: 3, s3fifo: 3 } },
    // Recency: 1 2 3, 1 hit, then 4, then 1. fifo evicts 1 (first in) although it was just used ->
    // 1 hit; lru evicts 2 (least recent); lfu/cost_aware evict 2 (frequency 1, older than 3);
    // s3fifo moves accessed 1 to main and evicts 2 -> 2 hits each.
    recency: { trace: [1, 2, 3, 1, 4, 1], hits: { lru: 2, fifo: 1, lfu: 2, cost_aware: 2, s3fifo: 2 } },
    // Cost: block 1 costs 10 to recompute (a long prefix), the others 1. At 4: lfu evicts 1 (frequency
    // 1, oldest) and misses it next -> 1 hit; cost_aware's benefits are 1·10, 2·1, 1·1 -> evicts 3,
    // keeps 1 -> 2 hits. The rest ignore cost: lru evicts 1 (1 hit), fifo 1 (1 hit), s3fifo: 2 was
    // accessed -> main, 1 evicted from the small queue -> 1 hit.
    cost: { trace: [1, 2, 2, 3, 4, 1], cost: (k) => (k === 1 ? 10 : 1), hits: { lru: 1, fifo: 1, lfu: 1, cost_aware: 2, s3fifo: 1 } },
    // Shifting hot set: 1 used 5 times, then 2 and 3 twice each, 4 once, then 2 and 3 again.
    // lfu/cost_aware keep stale 1 (frequency 5), evict 2 for 4, miss 2 again -> 4 + 2 + 1 = 7 hits;
    // s3fifo caps frequency at 3 and, all three in its main queue with frequency reset, evicts 1
    // first -> 4 + 2 + 2 = 8; lru and fifo evict 1 (oldest) -> 8.
    shift: { trace: [1, 1, 1, 1, 1, 2, 3, 2, 3, 4, 2, 3], hits: { lru: 8, fifo: 8, lfu: 7, cost_aware: 7, s3fifo: 8 } },
  };

  for (const [name, t] of Object.entries(TRACES)) {
    it(`${name}: ${Object.entries(t.hits).map(([p, h]) => `${p} ${h}`).join(', ')} hits`, () => {
      expect(Object.keys(t.hits).sort()).toEqual(Object.keys(EVICTION_POLICIES).sort());
      for (const [policy, hits] of Object.entries(t.hits)) {
        expect(new TinyCache(EVICTION_POLICIES[policy](3), 3, t.cost).run(t.trace).hits, policy).toBe(hits);
      }
    });
  }

  it('every pair of policies differs on at least one trace', () => {
    const names = Object.keys(EVICTION_POLICIES);
    for (const a of names) {
      for (const b of names) {
        if (a < b) expect(Object.values(TRACES).some((t) => t.hits[a] !== t.hits[b]), `${a} vs ${b}`).toBe(true);
      }
    }
  });
});
