import { describe, it, expect } from 'vitest';
import { Simulator } from '../../src/engine/simulator.js';
import { PrefixCache } from '../../src/cluster/prefix-cache.js';
import { PrefillInstance } from '../../src/cluster/prefill-instance.js';
import { PoolStats } from '../../src/metrics/collector.js';
import type { RequestRecord } from '../../src/metrics/request-record.js';
import { fakeModel, rec, req } from './fakes.js';

const BS = 16;

/** Step time = 0.001·prefillTokens + 0.01 s. */
const linear = (b: { prefillTokens: number }) => 0.001 * b.prefillTokens + 0.01;

function setup(opts: { maxNumSeqs?: number; budget?: number; capacityBlocks?: number; releaseOnPrefill?: boolean } = {}) {
  const sim = new Simulator();
  const stats = new PoolStats();
  const { model, log } = fakeModel(linear);
  const prefilled: RequestRecord[] = [];
  const inst: PrefillInstance = new PrefillInstance(
    0,
    0,
    sim,
    model,
    { maxNumSeqs: opts.maxNumSeqs ?? 256, maxNumBatchedTokens: opts.budget ?? 512 },
    BS,
    new PrefixCache(opts.capacityBlocks ?? 10_000),
    stats,
    (r) => {
      prefilled.push(r);
      if (opts.releaseOnPrefill) inst.releaseKv(r);
    },
  );
  return { sim, stats, log, inst, prefilled };
}

describe('PrefillInstance', () => {
  it('a short prompt is prefilled in one step', () => {
    const { sim, inst, prefilled, stats } = setup();
    const a = rec(req(1, 100, 10, BS));
    inst.enqueue(a);
    sim.run();
    // 0.001·100 + 0.01 = 0.11
    expect(prefilled).toEqual([a]);
    expect(a.prefillStart).toBe(0);
    expect(a.prefillEnd).toBeCloseTo(0.11, 12);
    expect(Number.isNaN(a.firstToken)).toBe(true); // not streamed: the decode instance produces the client's first token
    expect(a.cachedTokens).toBe(0);
    expect(a.prefillInstance).toBe(0);
    expect(stats.steps).toBe(1);
    expect(stats.tokens).toBe(100);
    expect(stats.busyTime).toBeCloseTo(0.11, 12);
  });

  it('chunked prefill splits a long prompt into max_num_batched_tokens chunks', () => {
    const { sim, inst, log, stats } = setup({ budget: 512 });
    const a = rec(req(1, 1300, 10, BS));
    sim.at(1, () => inst.enqueue(a));
    sim.run();
    // 1300 = 512 + 512 + 276 -> 3 steps
    expect(log.map((b) => b.prefillTokens)).toEqual([512, 512, 276]);
    // context read by each chunk: 0, 512, 1024
    expect(log.map((b) => b.prefillContextTokens)).toEqual([0, 512, 1024]);
    // causal pairs n·(c + n/2): 512·256 = 131072; 512·(512 + 256) = 393216; 276·(1024 + 138) = 320712
    expect(log.map((b) => b.prefillAttention)).toEqual([131072, 393216, 320712]);
    // only the final chunk samples a token
    expect(log.map((b) => b.sampledSeqs)).toEqual([0, 0, 1]);
    // 0.522 + 0.522 + 0.286 = 1.33 s after arriving at t = 1
    expect(a.prefillStart).toBe(1);
    expect(a.prefillEnd).toBeCloseTo(2.33, 12);
    expect(stats.steps).toBe(3);
    expect(stats.tokens).toBe(1300);
  });

  it('serves requests FCFS: a later short request only gets what the budget leaves', () => {
    const { sim, inst, log } = setup({ budget: 512 });
    const a = rec(req(1, 1000, 10, BS));
    const b = rec(req(2, 100, 10, BS));
    inst.enqueue(a);
    inst.enqueue(b);
    sim.run();
    // step 1: A 512                 -> 0.522
    // step 2: A 488 + B 24 = 512    -> 0.522 (ends 1.044: A done)
    // step 3: B 76                  -> 0.086 (ends 1.130: B done)
    expect(log.map((x) => x.prefillTokens)).toEqual([512, 512, 76]);
    expect(log.map((x) => x.sampledSeqs)).toEqual([0, 1, 1]);
    // step 2 context: A's 512 + B's 0; step 3: B's 24
    expect(log.map((x) => x.prefillContextTokens)).toEqual([0, 512, 24]);
    expect(a.prefillStart).toBe(0);
    expect(b.prefillStart).toBeCloseTo(0.522, 12);
    expect(a.prefillEnd).toBeCloseTo(1.044, 12);
    expect(b.prefillEnd).toBeCloseTo(1.13, 12);
  });

  it('respects max_num_seqs', () => {
    const { sim, inst, log } = setup({ maxNumSeqs: 2, budget: 10_000 });
    const rs = [1, 2, 3, 4].map((i) => rec(req(i, 100, 10, BS)));
    // All four arrive at t = 0; the idle instance starts its step after everything at that instant,
    // so the first batch is capped by max_num_seqs, not by arrival order within the instant.
    for (const r of rs) inst.enqueue(r);
    sim.run();
    // step 1: r1, r2 (cap 2) 200 tokens -> 0.21 (ends 0.21); r3, r4 wait although the budget has room
    // step 2: r3, r4         200 tokens -> 0.21 (ends 0.42)
    expect(log.map((x) => x.prefillTokens)).toEqual([200, 200]);
    expect(rs[1].prefillStart).toBe(0);
    expect(rs[1].prefillEnd).toBeCloseTo(0.21, 12);
    expect(rs[2].prefillStart).toBeCloseTo(0.21, 12);
    expect(rs[3].prefillStart).toBeCloseTo(0.21, 12);
    expect(rs[3].prefillEnd).toBeCloseTo(0.42, 12);
  });

  it('a cached prefix skips compute: a repeated prompt after release hits its full blocks', () => {
    const { sim, inst, log } = setup({ releaseOnPrefill: true });
    // 40 tokens = 2 full blocks (32 tokens) + a partial block of 8
    const hashes = [7, 8, 9];
    const a = rec(req(1, 40, 10, BS, hashes));
    const b = rec(req(2, 40, 10, BS, hashes));
    inst.enqueue(a);
    sim.run();
    sim.at(sim.now + 1, () => inst.enqueue(b));
    sim.run();
    expect(a.cachedTokens).toBe(0);
    // 2 full blocks · 16 = 32 cached; computes 40 − 32 = 8 tokens: 0.008 + 0.01 = 0.018
    expect(b.cachedTokens).toBe(32);
    expect(log.map((x) => x.prefillTokens)).toEqual([40, 8]);
    expect(log[1].prefillContextTokens).toBe(32);
    expect(b.prefillEnd - b.prefillStart).toBeCloseTo(0.018, 12);
  });

  it('a fully cached prompt still recomputes its last token (cachedTokens capped at input − 1)', () => {
    const { sim, inst, log } = setup({ releaseOnPrefill: true });
    // 32 tokens = exactly 2 full blocks
    const a = rec(req(1, 32, 10, BS, [7, 8]));
    const b = rec(req(2, 32, 10, BS, [7, 8]));
    inst.enqueue(a);
    sim.run();
    inst.enqueue(b);
    sim.run();
    // min(2·16, 32 − 1) = 31; computes 1 token: 0.001 + 0.01 = 0.011
    expect(b.cachedTokens).toBe(31);
    expect(log.map((x) => x.prefillTokens)).toEqual([32, 1]);
    expect(b.prefillEnd - b.prefillStart).toBeCloseTo(0.011, 12);
  });

  it('a prompt sharing only a leading block hits only that block', () => {
    const { sim, inst } = setup({ releaseOnPrefill: true });
    const a = rec(req(1, 48, 10, BS, [1, 2, 3]));
    const b = rec(req(2, 48, 10, BS, [1, 5, 6]));
    inst.enqueue(a);
    sim.run();
    inst.enqueue(b);
    sim.run();
    expect(b.cachedTokens).toBe(16);
  });

  it('an identical prompt admitted while the first is still prefilling gets no hits (its KV is not computed yet)', () => {
    const { sim, inst, log } = setup({ budget: 10_000, releaseOnPrefill: true });
    const x = rec(req(9, 16, 10, BS)); // keeps the instance busy so that A and B are admitted together
    const a = rec(req(1, 64, 10, BS, [1, 2, 3, 4]));
    const b = rec(req(2, 64, 10, BS, [1, 2, 3, 4]));
    inst.enqueue(x);
    sim.at(0.001, () => {
      inst.enqueue(a);
      inst.enqueue(b);
    });
    sim.run();
    expect(a.cachedTokens).toBe(0);
    expect(b.cachedTokens).toBe(0);
    // step 1: X 16; step 2: A 64 + B 64 = 128 (B computes its prompt itself)
    expect(log.map((y) => y.prefillTokens)).toEqual([16, 128]);
    // shared blocks are not allocated twice: 4 full blocks cached after both released
    expect(inst.cache.cachedBlocks).toBe(4 + 1);
    // a third copy after both finished hits all 4 blocks: min(64, 63) = 63
    const c = rec(req(3, 64, 10, BS, [1, 2, 3, 4]));
    inst.enqueue(c);
    sim.run();
    expect(c.cachedTokens).toBe(63);
  });

  it('keeps the KV pinned until releaseKv, then frees the partial block and keeps full ones cached', () => {
    const { sim, inst } = setup();
    const a = rec(req(1, 40, 10, BS)); // 3 blocks, 2 full
    inst.enqueue(a);
    expect(inst.load()).toBe(1);
    sim.run();
    expect(a.prefillEnd).toBeCloseTo(0.05, 12);
    expect(inst.cache.usedBlocks).toBe(3);
    expect(inst.load()).toBe(1); // still waiting for its handoff
    inst.releaseKv(a);
    expect(inst.cache.usedBlocks).toBe(2);
    expect(inst.cache.cachedBlocks).toBe(2);
    expect(inst.load()).toBe(0);
  });

  it('a request waits for KV room (FCFS: a smaller one behind it does not overtake) until releaseKv', () => {
    // capacity 4 blocks = 64 tokens
    const { sim, inst, prefilled } = setup({ capacityBlocks: 4 });
    const a = rec(req(1, 48, 10, BS)); // 3 blocks
    const b = rec(req(2, 32, 10, BS)); // 2 blocks: 3 + 2 > 4, must wait for A's release
    const c = rec(req(3, 16, 10, BS)); // 1 block: would fit, but is behind B
    inst.enqueue(a);
    inst.enqueue(b);
    inst.enqueue(c);
    sim.run();
    // only A ran: 0.048 + 0.01 = 0.058
    expect(prefilled).toEqual([a]);
    expect(a.prefillEnd).toBeCloseTo(0.058, 12);
    expect(Number.isNaN(b.prefillStart)).toBe(true);
    expect(Number.isNaN(c.prefillStart)).toBe(true);
    expect(inst.load()).toBe(3);
    // at t = 1 the decode side has pulled A's KV: A's 3 full blocks become evictable
    sim.at(1, () => inst.releaseKv(a));
    sim.run();
    // B (2 blocks) + C (1 block) = 3 <= 4 after evicting; one step of 48 tokens: 0.058 -> ends 1.058
    expect(b.prefillStart).toBe(1);
    expect(c.prefillStart).toBe(1);
    expect(b.prefillEnd).toBeCloseTo(1.058, 12);
    expect(c.prefillEnd).toBeCloseTo(1.058, 12);
    expect(prefilled).toEqual([a, b, c]);
    expect(inst.cache.usedBlocks).toBeLessThanOrEqual(4);
    expect(inst.cache.evictedBlocks).toBe(2); // 4 − 3 cached = 1 free; B + C need 3 -> evict 2
  });

  // Regression: endStep once marked the instance idle before the onPrefilled callbacks ran, so
  // the first synchronous releaseKv started the next step before the others had freed their KV.
  it('requests finishing in the same step all free their KV before the next step is scheduled', () => {
    // capacity 4 blocks; every request is 32 tokens = 2 blocks; KV released as soon as prefilled
    // (what Cluster does for outputTokens = 1).
    const { sim, inst, log } = setup({ capacityBlocks: 4, releaseOnPrefill: true });
    const x = rec(req(9, 16, 1, BS)); // 1 block, keeps the instance busy while A..D queue
    const [a, b, c, d] = [1, 2, 3, 4].map((i) => rec(req(i, 32, 1, BS)));
    inst.enqueue(x);
    sim.at(0.001, () => [a, b, c, d].forEach((r) => inst.enqueue(r)));
    sim.run();
    // step 1: X 16 tokens                          -> 0.026
    // step 2: A + B 64 tokens (X's block evicted)  -> 0.074 (ends 0.100)
    // A and B both release at 0.100: 4 blocks evictable, C and D fit together.
    // step 3: C + D 64 tokens                      -> 0.074 (ends 0.174)
    expect(log.map((y) => y.prefillTokens)).toEqual([16, 64, 64]);
    expect(d.prefillStart).toBeCloseTo(0.1, 12);
    expect(d.prefillEnd).toBeCloseTo(0.174, 12);
  });
});
