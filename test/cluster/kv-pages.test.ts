import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run.js';
import type { RequestRecord } from '../../src/metrics/request-record.js';

const TINY_70B = fileURLToPath(new URL('../fixtures/scenarios/tiny-70b.yaml', import.meta.url));

/**
 * Observation 4 of issue 9: decode KV was reserved in the workload's 512-token hash blocks. A
 * closed batch of 128 requests of 128 prompt + 2048 output tokens on one Gaudi3 TP4 decode
 * instance whose KV is the bottleneck (gpu_memory_utilization 0.38 -> 151,817 KV tokens).
 */
function closedBatch(page: number) {
  return runScenario(
    loadScenario(TINY_70B, [
      'decode.gpu_memory_utilization=0.38',
      'decode.max_num_seqs=256',
      `decode.kv_page_size=${page}`,
      'workload.num_requests=128',
      'workload.arrival={process: poisson, rate: 100000}',
      'workload.input_tokens={dist: fixed, value: 128}',
      'workload.output_tokens={dist: fixed, value: 2048}',
    ]),
  ).summary;
}

describe('KV pages (vLLM block_size) separate from hash blocks', () => {
  it('Gaudi3 defaults to 128-token pages; decode reserves KV per page', () => {
    const dflt = runScenario(loadScenario(TINY_70B, ['workload.num_requests=2'])).summary;
    expect(dflt.stability.pools.decode.max_batch).toBeGreaterThan(0);
    expect(loadScenario(TINY_70B).scenario.decode.kv_page_size).toBeUndefined();
  });

  it('a closed batch fits more sequences with 128-token pages than with 512-token blocks', () => {
    const paged = closedBatch(128);
    const blocked = closedBatch(512);
    expect(paged.decode.kv_tokens_per_instance).toBe(151_817);
    // Each request reserves 128 + 2048 = 2176 tokens:
    //   pages of 128: 17 pages = 2176 tokens -> floor(151,817 / 2,176) = 69 run at once, 128 − 69 = 59 wait
    //   blocks of 512: 5 blocks = 2560 tokens -> floor(151,817 / 512) = 296 blocks / 5 = 59 run, 69 wait
    expect(paged.requests.decode_queued).toBe(59);
    expect(blocked.requests.decode_queued).toBe(69);
    expect(paged.stability.pools.decode.max_batch).toBe(69);
    expect(blocked.stability.pools.decode.max_batch).toBe(59);
    // 2 waves of decoding instead of 3: the 512-token reservation costs well over 15% of the throughput
    expect(paged.throughput.output_tokens_per_s).toBeGreaterThan(1.15 * blocked.throughput.output_tokens_per_s);
  });
});

describe('kvPageSize', () => {
  it('keeps a page size that divides the hash block; adapts a default that does not (gcd)', async () => {
    const { kvPageSize } = await import('../../src/cluster/cluster.js');
    expect(kvPageSize(128, 512)).toBe(128);
    expect(kvPageSize(16, 512)).toBe(16);
    expect(kvPageSize(128, 16)).toBe(16); // Gaudi default with 16-token synthetic blocks
    expect(kvPageSize(128, 48)).toBe(16); // gcd(128, 48)
  });
});

describe('PrefixCache in pages: hash blocks of 4 pages (64-token blocks, 16-token pages)', () => {
  it('capacity, private tail pages and whole-block eviction by hand', async () => {
    const { PrefixCache } = await import('../../src/cluster/prefix-cache.js');
    const c = new PrefixCache(10, undefined, undefined, undefined, undefined, 4);
    // 2 full blocks (8 pages) + a 3-page tail = 11 pages > 10: does not fit, nothing changes.
    expect(c.allocate([1, 2, 3], 2, 11)).toBe(-1);
    expect(c.usedPages).toBe(0);
    // 2 full blocks + a 1-page tail = 9 pages.
    expect(c.allocate([1, 2, 3], 2, 9)).toBe(0);
    expect(c.usedPages).toBe(9);
    expect(c.usedBlocks).toBe(9 / 4);
    c.markComputed([1, 2, 3], 2);
    c.release([1, 2, 3], 2, 9);
    // The tail page is freed; the 2 full blocks stay cached: 8 pages.
    expect(c.usedPages).toBe(8);
    expect(c.cachedBlocks).toBe(2);
    // A new prompt: 1 full block + 2 tail pages = 6 fresh pages; free = 10 − 8 = 2, so whole blocks
    // are evicted, tail of the cached prefix first (block 2): 2 + 4 = 6 free. Block 1 stays.
    expect(c.allocate([7, 8], 1, 6)).toBe(0);
    expect(c.evictedBlocks).toBe(1);
    expect(c.usedPages).toBe(4 + 6);
    expect(c.matchPrefix([1, 2], 2)).toBe(1);
    expect(c.peakPages).toBe(10);
  });

  it('a hit pins a cached block without taking pages', async () => {
    const { PrefixCache } = await import('../../src/cluster/prefix-cache.js');
    const c = new PrefixCache(8, undefined, undefined, undefined, undefined, 4);
    c.allocate([1], 1, 4);
    c.markComputed([1], 1);
    c.release([1], 1, 4);
    // Block 1 cached (4 pages) + the new request's 4-page tail = 8 pages: fits only because the hit is free.
    expect(c.allocate([1, 9], 1, 8)).toBe(1);
    expect(c.usedPages).toBe(8);
  });

  it('rejects a page count that is not a positive integer', async () => {
    const { PrefixCache } = await import('../../src/cluster/prefix-cache.js');
    expect(() => new PrefixCache(8, undefined, undefined, undefined, undefined, 0)).toThrow(RangeError);
  });
});

describe('prefill instance: prompt KV held in pages', () => {
  it('a 100-token prompt holds 1 hash block + ceil(36/16) = 3 tail pages, and frees the tail on handoff', async () => {
    const { Simulator } = await import('../../src/engine/simulator.js');
    const { PrefixCache } = await import('../../src/cluster/prefix-cache.js');
    const { PrefillInstance } = await import('../../src/cluster/prefill-instance.js');
    const { PoolStats } = await import('../../src/metrics/collector.js');
    const { fakeModel, rec, req } = await import('./fakes.js');
    const sim = new Simulator();
    const { model } = fakeModel((b) => 0.01 + 0.001 * b.prefillTokens);
    // 10 pages = 160 tokens. A: 4 + 3 = 7 pages. B (another 100-token prompt) needs 7 more: waits
    // for A's handoff, which frees A's 3 tail pages and leaves its block evictable: 10 − 4 + 4 = 10 ≥ 7.
    const cache = new PrefixCache(10, undefined, undefined, undefined, undefined, 4);
    const held: RequestRecord[] = [];
    const inst = new PrefillInstance(0, 0, sim, model, { maxNumSeqs: 8, maxNumBatchedTokens: 512 }, 64, cache, new PoolStats(), (r) => held.push(r));
    const a = rec(req(1, 100, 5, 64));
    const b = rec(req(2, 100, 5, 64));
    inst.enqueue(a);
    inst.enqueue(b);
    sim.run();
    expect(cache.usedPages).toBe(7);
    expect(held).toEqual([a]);
    inst.releaseKv(a);
    expect(cache.usedPages).toBe(4);
    sim.run();
    // B evicted A's block (4 pages) to fit its own 7.
    expect(held).toEqual([a, b]);
    expect(cache.usedPages).toBe(7);
    expect(cache.evictedBlocks).toBe(1);
  });
});

describe('colocated closed batch: answer reservations in pages', () => {
  /**
   * Six requests of 10 prompt + 10 answer tokens on one colocated instance holding 320 KV tokens,
   * 64-token hash blocks. Step time = 0.01 s + 1 ms per new token (prefill tokens + decodes).
   */
  async function closedBatch(pageSize: number): Promise<number[]> {
    const { Simulator } = await import('../../src/engine/simulator.js');
    const { PrefixCache } = await import('../../src/cluster/prefix-cache.js');
    const { ColocatedInstance } = await import('../../src/cluster/colocated-instance.js');
    const { PoolStats } = await import('../../src/metrics/collector.js');
    const { fakeModel, rec, req, RecordingGaps } = await import('./fakes.js');
    const sim = new Simulator();
    const { model } = fakeModel((b) => 0.01 + 0.001 * (b.prefillTokens + b.decodeSeqs));
    const cache = new PrefixCache(320 / pageSize, undefined, undefined, undefined, undefined, 64 / pageSize);
    const inst = new ColocatedInstance(0, 0, sim, model, { maxNumSeqs: 256, maxNumBatchedTokens: 512 }, 64, cache,
      new PoolStats(), new RecordingGaps(), () => {});
    const recs = Array.from({ length: 6 }, (_, i) => rec(req(i + 1, 10, 10, 64)));
    for (const r of recs) inst.enqueue(r);
    sim.run();
    return recs.map((r) => Math.round(r.finish * 1e9) / 1e9);
  }

  it('16-token pages run all six at once; 64-token pages (the old hash-block rounding) make the sixth wait', async () => {
    // Pages of 16: each request holds ceil(20/16) = 2 pages, 6·2 = 12 <= 20 pages: all admitted.
    // One prefill step of 60 tokens: 0.07; then 9 decode steps of 0.01 + 0.006: 0.07 + 0.144 = 0.214.
    expect(await closedBatch(16)).toEqual([0.214, 0.214, 0.214, 0.214, 0.214, 0.214]);
    // Pages of 64: 1 page (64 tokens) each, 5 pages in all: five run (prefill 50 -> 0.06, 9 steps of
    // 0.015 -> 0.195); the sixth starts at 0.195: prefill 10 -> 0.215, 9 steps of 0.011 -> 0.314.
    expect(await closedBatch(64)).toEqual([0.195, 0.195, 0.195, 0.195, 0.195, 0.314]);
  });
});
