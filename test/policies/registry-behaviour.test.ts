/**
 * Every registered policy, looked up BY NAME in its registry, must make the hand-computed choices
 * below. The scripts are built so that no two policies of a kind produce the same choices: if a
 * registry entry is replaced by another policy under the same name, at least one expectation here
 * fails (test/tools/swap-policies.mjs proves it by swapping every pair). A new registry entry without
 * an expectation fails the "every registered policy has a script" checks, so it gets covered.
 */
import { describe, expect, it } from 'vitest';
import { EVICTION_POLICIES } from '../../src/policies/eviction/registry.js';
import type { EvictionPolicy } from '../../src/policies/eviction/policy.js';
import { DECODE_ROUTERS, PREFILL_ROUTERS } from '../../src/policies/registry.js';
import type { DecodeView, PrefillView } from '../../src/policies/router.js';
import type { Request } from '../../src/workload/request.js';

const REQ: Request = { id: 0, arrival: 0, inputTokens: 99, outputTokens: 10, blockHashes: [1] };

/** A stand-in for the router's seeded stream: draws 0.5 then 0.0, again and again. */
function draws(): () => number {
  const d = [0.5, 0];
  let i = 0;
  return () => d[i++ % d.length];
}

/** Prefill instances with fixed loads and estimated TTFTs (s). */
function prefillViews(loads: number[], ttfts: number[]): PrefillView[] {
  return loads.map((l, i) => ({ index: i, load: () => l, estimateTtft: () => ttfts[i] }));
}

/** Decode instances with fixed loads, free KV blocks and predicted TBTs (s); never attached (routers scan). */
function decodeViews(loads: number[], free: number[], tbts: number[]): DecodeView[] {
  return loads.map((l, i) => ({ index: i, load: () => l, freeKvBlocks: () => free[i], predictedTbt: () => tbts[i], accountedContext: () => 0, decodeTime: () => 0 }));
}

describe('prefill routers, by registry name: two routings of one request over fixed views', () => {
  // loads [3, 1, 2], estimated TTFT [1.00, 5.00, 1.05] s:
  // - round_robin ignores both: 0 then 1.
  // - least_loaded: load 1 is the unique minimum -> 1, 1.
  // - cache_aware: TTFT 1.00 is the unique minimum -> 0, 0.
  // - kv_balance (tolerance 10%): limit 1.00·1.1 = 1.10 s admits 0 (1.00) and 2 (1.05); of those the
  //   less loaded is 2 (load 2 < 3) -> 2, 2.
  // - random ignores both: draws 0.5, 0.0 over 3 instances -> floor(1.5), floor(0) = 1, 0.
  const EXPECTED: Record<string, number[]> = {
    round_robin: [0, 1],
    least_loaded: [1, 1],
    cache_aware: [0, 0],
    kv_balance: [2, 2],
    random: [1, 0],
  };

  it('every registered prefill router has a script, and the scripts tell them all apart', () => {
    expect(Object.keys(PREFILL_ROUTERS).sort()).toEqual(Object.keys(EXPECTED).sort());
    const seen = new Set(Object.values(EXPECTED).map((v) => v.join(',')));
    expect(seen.size).toBe(Object.keys(EXPECTED).length);
  });

  for (const [name, picks] of Object.entries(EXPECTED)) {
    it(`${name} picks ${picks.join(', ')}`, () => {
      const r = PREFILL_ROUTERS[name](draws());
      const v = prefillViews([3, 1, 2], [1.0, 5.0, 1.05]);
      expect([r.route(REQ, v), r.route(REQ, v)]).toEqual(picks);
    });
  }
});

describe('decode routers, by registry name: two routings over fixed views', () => {
  // loads [1, 0, 2], free KV blocks [10, 5, 20], predicted TBT [20, 30, 40] ms:
  // - round_robin: 0 then 1.
  // - least_loaded: load 0 is the unique minimum -> 1, 1.
  // - least_kv: 20 free blocks is the unique maximum -> 2, 2.
  // - predicted_tbt: 20 ms is the unique minimum -> 0, 0.
  // - random ignores all three: draws 0.5, 0.0 -> 1, 0.
  const EXPECTED: Record<string, number[]> = {
    round_robin: [0, 1],
    least_loaded: [1, 1],
    least_kv: [2, 2],
    predicted_tbt: [0, 0],
    random: [1, 0],
  };

  it('every registered decode router has a script, and the scripts tell them all apart', () => {
    expect(Object.keys(DECODE_ROUTERS).sort()).toEqual(Object.keys(EXPECTED).sort());
    const seen = new Set(Object.values(EXPECTED).map((v) => v.join(',')));
    expect(seen.size).toBe(Object.keys(EXPECTED).length);
  });

  for (const [name, picks] of Object.entries(EXPECTED)) {
    it(`${name} picks ${picks.join(', ')}`, () => {
      const r = DECODE_ROUTERS[name](draws());
      const v = decodeViews([1, 0, 2], [10, 5, 20], [0.02, 0.03, 0.04]);
      expect([r.route(REQ, v), r.route(REQ, v)]).toEqual(picks);
    });
  }
});

type Op = readonly ['add', number, number?] | readonly ['access', number] | readonly ['evict'];

/** Runs `ops` then evicts until empty; every victim in order. */
function victims(p: EvictionPolicy, ops: readonly Op[]): number[] {
  const out: number[] = [];
  for (const op of ops) {
    if (op[0] === 'add') p.add(op[1], op[2]);
    else if (op[0] === 'access') p.access(op[1]);
    else out.push(p.evict()!);
  }
  for (let k = p.evict(); k !== undefined; k = p.evict()) out.push(k);
  return out;
}

/** Tier capacity given to the factory: S-FIFO's small queue is max(1, floor(10/10)) = 1 candidate. */
const CAPACITY = 10;

describe('eviction policies, by registry name: victims of two access sequences', () => {
  // Sequence A: add 1 (cost 1), 2 (cost 10), 3 (cost 1); access 3, 3, 1; add 4 (cost 1); drain.
  // - lru: order [1,2,3] -> access 3 keeps [1,2,3] -> access 1 -> [2,3,1] -> add 4 -> 2, 3, 1, 4.
  // - fifo: order of entry, access ignored -> 1, 2, 3, 4.
  // - lfu: freq (1 per add + 1 per access) 1:2, 2:1, 3:3, 4:1; ties least recent first (2 before 4)
  //   -> 2, 4, 1, 3.
  // - cost_aware: freq·cost 1:2·1=2, 2:1·10=10, 3:3·1=3, 4:1·1=1 -> 4, 1, 3, 2.
  // - s3fifo: S=[1,2,3,4] (S budget 1), freq 1:1, 3:2. Evict: 1 accessed -> M (freq 0); 2 not -> out.
  //   Next: 3 accessed -> M; 4 not -> out. Next: S empty, M=[1,3] both freq 0 -> 1, then 3.
  //   -> 2, 4, 1, 3 (the same as lfu: sequence B separates them).
  const A: Op[] = [['add', 1, 1], ['add', 2, 10], ['add', 3, 1], ['access', 3], ['access', 3], ['access', 1], ['add', 4, 1]];
  // Sequence B: add 1, 2, 9; access 1, 2; evict; access 1 ×4, 2 ×3; drain.
  // - lru: [1,2,9] -> access 1, 2 -> [9,1,2]; evict 9; access 1s then 2s -> [1,2] -> 9, 1, 2.
  // - fifo: 1, 2, 9 (accesses to evicted key 1 do not bring it back).
  // - lfu / cost_aware (all costs 1): freq 1:2, 2:2, 9:1 -> 9; then 1:6, 2:5 -> 2, 1 -> 9, 2, 1.
  // - s3fifo: S=[1,2,9]; 1 and 2 accessed -> M (freq 0), 9 -> out. Then freq 1: min(4,3)=3 (capped),
  //   2: 3. Clock over M=[1,2]: each pass decrements and reinserts; 1 reaches 0 first -> 9, 1, 2.
  const B: Op[] = [
    ['add', 1], ['add', 2], ['add', 9], ['access', 1], ['access', 2], ['evict'],
    ['access', 1], ['access', 1], ['access', 1], ['access', 1], ['access', 2], ['access', 2], ['access', 2],
  ];
  const EXPECTED: Record<string, { a: number[]; b: number[] }> = {
    lru: { a: [2, 3, 1, 4], b: [9, 1, 2] },
    fifo: { a: [1, 2, 3, 4], b: [1, 2, 9] },
    lfu: { a: [2, 4, 1, 3], b: [9, 2, 1] },
    cost_aware: { a: [4, 1, 3, 2], b: [9, 2, 1] },
    s3fifo: { a: [2, 4, 1, 3], b: [9, 1, 2] },
  };

  it('every registered eviction policy has a script, and the scripts tell them all apart', () => {
    expect(Object.keys(EVICTION_POLICIES).sort()).toEqual(Object.keys(EXPECTED).sort());
    const seen = new Set(Object.values(EXPECTED).map((v) => `${v.a}|${v.b}`));
    expect(seen.size).toBe(Object.keys(EXPECTED).length);
  });

  for (const [name, want] of Object.entries(EXPECTED)) {
    it(`${name}: A -> ${want.a.join(', ')}; B -> ${want.b.join(', ')}`, () => {
      expect(victims(EVICTION_POLICIES[name](CAPACITY), A)).toEqual(want.a);
      expect(victims(EVICTION_POLICIES[name](CAPACITY), B)).toEqual(want.b);
    });
  }
});
