import { describe, expect, it } from 'vitest';
import { PrefillInstance } from '../../src/cluster/prefill-instance.js';
import { PrefixCache } from '../../src/cluster/prefix-cache.js';
import type { KvHierarchy } from '../../src/storage/kv-tiers/hierarchy.js';
import type { BatchShape } from '../../src/cluster/step-time.js';
import { PoolStats } from '../../src/metrics/collector.js';
import type { RequestRecord } from '../../src/metrics/request-record.js';
import { fakeModel, rec, req } from '../cluster/fakes.js';
import { fill, instance, remoteTier, world, type InstanceSpec } from './helpers.js';

const BS = 16;
/** Step time = 0.001·prefillTokens + 0.01 s (so prefillTime(n, ctx) = 0.001·n + 0.01). */
const linear = (b: BatchShape) => 0.001 * b.prefillTokens + 0.01;
/** Recomputation far cheaper than any load: 1 µs per token, no overhead. */
const fast = (b: BatchShape) => 1e-6 * b.prefillTokens;

/** Every block is 1e6 B here (helpers' BLOCK_BYTES): over 1e9 B/s PCIe one block takes 1 ms. */
function setup(opts: {
  tiers: Omit<InstanceSpec, 'h2d'> & { h2d?: number };
  time?: (b: BatchShape) => number;
  capacityBlocks?: number;
  maxNumSeqs?: number;
  releaseOnPrefill?: boolean;
  remote?: boolean;
}) {
  const { sim, net } = world();
  const remote = opts.remote
    ? remoteTier(net, { latency: 0.001, readRate: 1e9, writeRate: 1e9, aggregateRead: 10e9, aggregateWrite: 10e9 }, 1e6)
    : undefined;
  const { h } = instance(net, { h2d: 1e9, remote, ...opts.tiers });
  const stats = new PoolStats();
  const { model, log } = fakeModel(opts.time ?? linear);
  const prefilled: RequestRecord[] = [];
  const cache = new PrefixCache(opts.capacityBlocks ?? 10_000, undefined, (x) => h.onHbmEvict(x));
  const inst: PrefillInstance = new PrefillInstance(
    0, 0, sim, model,
    { maxNumSeqs: opts.maxNumSeqs ?? 256, maxNumBatchedTokens: 512 },
    BS, cache, stats,
    (r) => {
      prefilled.push(r);
      if (opts.releaseOnPrefill) inst.releaseKv(r);
    },
    h,
  );
  return { sim, net, h, inst, log, stats, prefilled, cache, remote };
}

/** hbm + cpu + disk + remote = cached <= input - 1. */
function sourcesAddUp(r: RequestRecord): void {
  expect(r.hbmTokens + r.cpuTokens + r.diskTokens + r.remoteTokens).toBe(r.cachedTokens);
  expect(r.cachedTokens).toBeLessThanOrEqual(r.req.inputTokens - 1);
  for (const x of [r.hbmTokens, r.cpuTokens, r.diskTokens, r.remoteTokens]) expect(x).toBeGreaterThanOrEqual(0);
}

const cpu = (h: KvHierarchy) => h.cpu!.store;

describe('PrefillInstance with KV tiers', () => {
  it('a prefix in the CPU tier is loaded first, then only the rest is computed', () => {
    const { sim, h, inst, log, stats, prefilled } = setup({ tiers: { cpu: { capacity: 100, latency: 0.001 } } });
    const a = rec(req(1, 100, 10, BS)); // 7 blocks: 6 full + a 4-token partial
    fill(cpu(h), a.req.blockHashes.slice(0, 4));
    inst.enqueue(a);
    sim.run();
    // load estimate 0.001 + 4e6 / 1e9 = 0.005 < recompute 0.001·64 + 0.01 = 0.074: loaded
    expect(a.cpuTokens).toBe(64);
    expect(a.hbmTokens).toBe(0);
    expect(a.cachedTokens).toBe(64);
    sourcesAddUp(a);
    // the load runs 0 -> 0.005 (real flow, same numbers); compute starts when it landed
    expect(a.loadStart).toBe(0);
    expect(a.loadEnd).toBeCloseTo(0.005, 12);
    expect(a.prefillStart).toBeGreaterThanOrEqual(a.loadEnd);
    // one step of the other 36 tokens over 64 of context: 0.036 + 0.01 = 0.046 -> 0.051
    expect(log).toHaveLength(1);
    expect(log[0].prefillTokens).toBe(36);
    expect(log[0].prefillContextTokens).toBe(64);
    expect(log[0].prefillAttention).toBe(36 * (64 + 18));
    expect(a.prefillEnd).toBeCloseTo(0.051, 12);
    expect(prefilled).toEqual([a]);
    // saved: prefillTime(100, 0) - prefillTime(36, 64) = 0.11 - 0.046 = 0.064
    expect(a.computeSaved).toBeCloseTo(0.064, 12);
    expect(stats.computeSaved).toBeCloseTo(0.064, 12);
    expect(cpu(h).counters.readBlocks).toBe(4);
  });

  it('when recomputing is cheaper than loading, the segment is not loaded', () => {
    const { sim, h, inst, log } = setup({ tiers: { cpu: { capacity: 100, latency: 0.001 } }, time: fast });
    const a = rec(req(1, 100, 10, BS));
    fill(cpu(h), a.req.blockHashes.slice(0, 4));
    inst.enqueue(a);
    sim.run();
    // load 0.005 s >= recompute 64e-6 s: recomputed
    expect(a.cpuTokens).toBe(0);
    expect(a.cachedTokens).toBe(0);
    sourcesAddUp(a);
    expect(Number.isNaN(a.loadStart)).toBe(true);
    expect(Number.isNaN(a.loadEnd)).toBe(true);
    expect(a.prefillStart).toBe(0);
    expect(log.map((b) => b.prefillTokens)).toEqual([100]);
    expect(cpu(h).counters.readBlocks).toBe(0);
  });

  it('segments of two tiers that both beat recomputation are both loaded, in parallel', () => {
    const { sim, h, inst, log, remote } = setup({
      tiers: { cpu: { capacity: 100, latency: 0.001 } },
      remote: true,
    });
    const a = rec(req(1, 100, 10, BS));
    fill(cpu(h), a.req.blockHashes.slice(0, 2)); // blocks 0-1
    fill(remote!.store, a.req.blockHashes.slice(2, 6)); // blocks 2-5
    // cpu: 0.001 + 2e6/1e9 = 0.003 < 0.001·32 + 0.01 = 0.042; remote: 0.001 + 4e6/1e9 = 0.005 < 0.074
    inst.enqueue(a);
    sim.run();
    expect(a.cpuTokens).toBe(32);
    expect(a.remoteTokens).toBe(64);
    expect(a.cachedTokens).toBe(96);
    sourcesAddUp(a);
    // both flows start at 0.001 and share the 1e9 PCIe link: 0.5e9 each; cpu's 2e6 land at
    // 0.005; the remote flow moved 2e6 by then, its other 2e6 alone at 1e9 -> 0.007
    expect(a.loadEnd).toBeCloseTo(0.007, 12);
    expect(log.map((b) => b.prefillTokens)).toEqual([4]);
    // the remote hits are promoted into the CPU tier
    expect(a.req.blockHashes.slice(0, 6).every((x) => cpu(h).has(x))).toBe(true);
  });

  it('a slow tier after a fast one: only the fast segment is loaded', () => {
    const { sim, net } = world();
    const remote = remoteTier(net, { latency: 1, readRate: 1e9, writeRate: 1e9, aggregateRead: 10e9, aggregateWrite: 10e9 }, 1e6);
    const { h } = instance(net, { h2d: 1e9, cpu: { capacity: 100, latency: 0.001 }, remote });
    const { model, log } = fakeModel(linear);
    const inst = new PrefillInstance(0, 0, sim, model, { maxNumSeqs: 8, maxNumBatchedTokens: 512 }, BS,
      new PrefixCache(1000, undefined, (x) => h.onHbmEvict(x)), new PoolStats(), () => {}, h);
    const a = rec(req(1, 100, 10, BS));
    fill(h.cpu!.store, a.req.blockHashes.slice(0, 2));
    fill(remote.store, a.req.blockHashes.slice(2, 6));
    inst.enqueue(a);
    sim.run();
    // cpu: 0.003 < 0.042 kept; remote: 1 + 0.004 >= 0.001·64 + 0.01 = 0.074: dropped
    expect(a.cpuTokens).toBe(32);
    expect(a.remoteTokens).toBe(0);
    expect(a.cachedTokens).toBe(32);
    sourcesAddUp(a);
    expect(a.loadEnd).toBeCloseTo(0.003, 12);
    expect(log.map((b) => b.prefillTokens)).toEqual([68]);
    expect(remote.store.counters.readBlocks).toBe(0);
  });

  it('HBM hits first, then the CPU tier for what HBM evicted', () => {
    const { sim, h, inst, log, prefilled } = setup({
      tiers: { cpu: { capacity: 100, latency: 0.001 } },
      capacityBlocks: 10,
      releaseOnPrefill: true,
    });
    const shared = [1, 2, 3, 4, 5, 6];
    const a = rec(req(1, 100, 10, BS, [...shared, 1007]));
    const b = rec(req(2, 100, 10, BS)); // unique blocks 20000..20006
    const c = rec(req(3, 100, 10, BS, [...shared, 3007]));
    sim.at(0, () => inst.enqueue(a));
    // A done at 0.11 and released: HBM holds 1..6, LRU order 6 5 4 3 2 1 (released tail first)
    sim.at(1, () => inst.enqueue(b));
    // B needs 7 blocks, 4 free: evicts 6, 5, 4 -> CPU tier. Released at 1.11: HBM 1 2 3 + B's 6.
    sim.at(2, () => inst.enqueue(c));
    // C: HBM hits 1 2 3 (pinned); needs 4 blocks, 1 free: evicts B's 20005, 20004, 20003.
    // 4 5 6 are in the CPU tier: load 0.001 + 3e6/1e9 = 0.004 < recompute 0.058.
    sim.run();
    expect(prefilled).toEqual([a, b, c]);
    expect([4, 5, 6].every((x) => cpu(h).has(x))).toBe(true);
    expect(c.hbmTokens).toBe(48);
    expect(c.cpuTokens).toBe(48);
    expect(c.cachedTokens).toBe(96);
    sourcesAddUp(c);
    expect(c.loadStart).toBe(2);
    expect(c.loadEnd).toBeCloseTo(2.004, 12);
    expect(c.prefillStart).toBeCloseTo(2.004, 12);
    // 4 tokens: 0.004 + 0.01 = 0.014
    expect(c.prefillEnd).toBeCloseTo(2.018, 12);
    expect(log[log.length - 1].prefillTokens).toBe(4);
    expect(log[log.length - 1].prefillContextTokens).toBe(96);
    // B's evicted tail also went down to the CPU tier
    expect([20005, 20004, 20003].every((x) => cpu(h).has(x))).toBe(true);
  });

  it('a fully cached prompt still recomputes its last token (trimmed from the lowest tier first)', () => {
    const { sim, h, inst, log } = setup({ tiers: { cpu: { capacity: 100, latency: 0.001 } } });
    const a = rec(req(1, 64, 10, BS)); // exactly 4 full blocks
    fill(cpu(h), a.req.blockHashes);
    inst.enqueue(a);
    sim.run();
    // 64 from CPU capped at 64 - 1 = 63
    expect(a.cpuTokens).toBe(63);
    expect(a.cachedTokens).toBe(63);
    sourcesAddUp(a);
    // 0.001 + 4e6/1e9 = 0.005; then 1 token: 0.011 -> 0.016
    expect(a.loadEnd).toBeCloseTo(0.005, 12);
    expect(log.map((b) => [b.prefillTokens, b.prefillContextTokens])).toEqual([[1, 63]]);
    expect(a.prefillEnd).toBeCloseTo(0.016, 12);
  });

  it('HBM + remote covering the whole prompt: the remote share is trimmed, HBM kept', () => {
    const { sim, inst, remote, log } = setup({ tiers: {}, remote: true, releaseOnPrefill: true });
    const a = rec(req(1, 40, 10, BS, [1, 2, 1003])); // 2 full blocks + partial
    const c = rec(req(2, 64, 10, BS, [1, 2, 3, 4]));
    fill(remote!.store, [3, 4]);
    sim.at(0, () => inst.enqueue(a));
    sim.at(1, () => inst.enqueue(c));
    sim.run();
    // HBM 2 blocks = 32, remote 2 blocks = 32 -> 64, capped at 63: remote 31
    expect(c.hbmTokens).toBe(32);
    expect(c.remoteTokens).toBe(31);
    expect(c.cachedTokens).toBe(63);
    sourcesAddUp(c);
    // remote load 0.001 + 2e6 / 1e9 = 0.003 (estimate 0.003 < 0.042)
    expect(c.loadEnd - c.loadStart).toBeCloseTo(0.003, 12);
    expect(log[log.length - 1].prefillTokens).toBe(1);
    // offload all: after prefill both requests' full blocks are in the remote store
    expect([1, 2, 3, 4].every((x) => remote!.store.has(x))).toBe(true);
    expect(remote!.store.has(1003)).toBe(false);
  });

  it('a loading request does not hold up others; it computes after its load', () => {
    const { sim, h, inst, log } = setup({ tiers: { cpu: { capacity: 100, latency: 0.001 } } });
    const y = rec(req(1, 100, 10, BS));
    const x = rec(req(2, 100, 10, BS));
    fill(cpu(h), y.req.blockHashes.slice(0, 4));
    inst.enqueue(y);
    inst.enqueue(x);
    sim.run();
    // t = 0: y loads (until 0.005), x computes alone: 0.11 s
    expect(x.prefillStart).toBe(0);
    expect(x.prefillEnd).toBeCloseTo(0.11, 12);
    expect(y.loadEnd).toBeCloseTo(0.005, 12);
    // y's 36 tokens run in the next step: 0.11 + 0.046 = 0.156
    expect(y.prefillStart).toBeCloseTo(0.11, 12);
    expect(y.prefillEnd).toBeCloseTo(0.156, 12);
    expect(log.map((b) => b.prefillTokens)).toEqual([100, 36]);
  });

  it('a loading request takes a max_num_seqs slot', () => {
    const { sim, h, inst } = setup({ tiers: { cpu: { capacity: 100, latency: 0.001 } }, maxNumSeqs: 1 });
    const y = rec(req(1, 100, 10, BS));
    const x = rec(req(2, 100, 10, BS));
    fill(cpu(h), y.req.blockHashes.slice(0, 4));
    inst.enqueue(y);
    inst.enqueue(x);
    sim.run();
    // y: load 0 -> 0.005, compute 0.005 -> 0.051; x only then: 0.051 -> 0.161
    expect(y.prefillEnd).toBeCloseTo(0.051, 12);
    expect(x.prefillStart).toBeCloseTo(0.051, 12);
    expect(x.prefillEnd).toBeCloseTo(0.161, 12);
  });
});
