/**
 * Random small cache hierarchies under random small workloads (in-memory scenarios validated by the
 * real schema, run with runScenario): no tier ever above capacity, every request finishes, and the
 * token sources of every request and of the summary add up.
 */
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kvBytesPerToken, MODELS } from '../../src/cluster/catalog/models.js';
import { runScenario, type RunResult } from '../../src/run.js';
import { InputError } from '../../src/scenario/input-error.js';
import { scenarioSchema, type ScenarioInput } from '../../src/scenario/schema.js';
import { EVICTION_POLICY_NAMES } from '../../src/policies/eviction/registry.js';
import { checkRun } from './checks.js';

const TRACE = fileURLToPath(new URL('../fixtures/conversation-200.jsonl', import.meta.url));
const MODEL = 'llama-3.1-8b';
const PER_TOKEN = kvBytesPerToken(MODELS[MODEL], 'bf16'); // 131 072 B

const policy = fc.constantFrom(...EVICTION_POLICY_NAMES);

/** A cache section; tier sizes in KV of 1k-token steps (at least one block). */
const arbCache = (blockSize: number) => {
  const ktokens = (n: number) => Math.max(blockSize, n * 1024) * PER_TOKEN;
  return fc.record({
    chunk_size: fc.constantFrom(0.5, 1, 2, 4).map((m) => Math.max(1, Math.round(blockSize * m))),
    local_cpu: fc.option(fc.record({ size: fc.integer({ min: 0, max: 40 }).map(ktokens), eviction: policy }), { freq: 4, nil: undefined }),
    local_disk: fc.option(fc.record({ size: fc.integer({ min: 0, max: 80 }).map(ktokens), eviction: policy }), { nil: undefined }),
    remote: fc.option(
      fc.record({
        backend: fc.constantFrom('s3', 'nfs_rdma', 'redis', 'mooncake'),
        size: fc.oneof(fc.constant('unlimited' as const), fc.integer({ min: 0, max: 100 }).map(ktokens)),
        eviction: policy,
      }),
      { nil: undefined },
    ),
    offload: fc.constantFrom('all' as const, 'hot' as const, 'evicted' as const),
    hot_threshold: fc.integer({ min: 1, max: 3 }),
    use_layerwise: fc.boolean(),
    save_decode_cache: fc.boolean(),
    pcie_bandwidth: fc.constantFrom('55 GB/s', '2 GB/s'),
    hbm_eviction: policy,
  });
};

const arbSynthetic = fc.constantFrom(16, 64, 256, 512).chain((block_size) =>
  fc.record({
    workload: fc.record({
      type: fc.constant('synthetic' as const),
      block_size: fc.constant(block_size),
      num_requests: fc.integer({ min: 10, max: 40 }),
      arrival: fc.record({ process: fc.constant('poisson' as const), rate: fc.double({ min: 1, max: 20, noNaN: true }) }),
      input_tokens: fc
        .tuple(fc.integer({ min: 20, max: 3000 }), fc.integer({ min: 500, max: 3000 }))
        .map(([a, b]) => ({ dist: 'uniform' as const, min: Math.min(a, b), max: Math.max(a, b) })),
      output_tokens: fc.integer({ min: 1, max: 20 }).map((value) => ({ dist: 'fixed' as const, value })),
      prefix_groups: fc.record({
        count: fc.integer({ min: 2, max: 8 }),
        prefix_tokens: fc.integer({ min: 300, max: 2500 }),
        zipf_alpha: fc.constant(1),
      }),
      // follow-up turns reuse their conversation's KV, which a small HBM may have evicted meanwhile
      sessions: fc.record({ turns_mean: fc.double({ min: 1, max: 4, noNaN: true }), think_time: fc.constantFrom('0 s', '500 ms', '2 s') }),
    }),
    cache: arbCache(block_size),
  }),
);

const arbTrace = fc.record({
  workload: fc.record({
    type: fc.constant('mooncake_trace' as const),
    path: fc.constant(TRACE),
    time_scale: fc.double({ min: 0.05, max: 1, noNaN: true }),
    limit: fc.integer({ min: 10, max: 30 }),
  }),
  cache: arbCache(512),
});

const arbScenario = fc
  .record({
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    // 0.22 -> ~5k KV tokens per H100 instance, 0.25 -> ~23k: HBM evicts into the tiers
    gpu: fc.double({ min: 0.22, max: 0.25, noNaN: true }),
    devices: fc.constantFrom(1, 2),
    maxNumSeqs: fc.integer({ min: 1, max: 32 }),
    budget: fc.integer({ min: 512, max: 4096 }),
    router: fc.constantFrom('round_robin', 'least_loaded'),
    w: fc.oneof({ arbitrary: arbSynthetic, weight: 4 }, { arbitrary: arbTrace, weight: 1 }),
  })
  .map(
    ({ seed, gpu, devices, maxNumSeqs, budget, router, w }): ScenarioInput => ({
      name: 'kv-tiers-prop',
      seed,
      model: MODEL,
      prefill: {
        nodes: 1,
        device: 'h100',
        devices_per_node: devices,
        tp: 1,
        gpu_memory_utilization: gpu,
        max_num_seqs: maxNumSeqs,
        max_num_batched_tokens: budget,
        router,
      },
      decode: { nodes: 1, device: 'h100', devices_per_node: 1, tp: 1, max_num_seqs: 64 },
      workload: w.workload,
      cache: w.cache as ScenarioInput['cache'],
    }),
  );

function simulate(input: ScenarioInput): RunResult | undefined {
  try {
    return runScenario({ scenario: scenarioSchema.parse(structuredClone(input)), file: '<kv-tiers property>', path: '<kv-tiers property>' });
  } catch (e) {
    if (e instanceof InputError && /do not fit/.test(e.detail)) return undefined;
    throw e;
  }
}

describe('KV tiers: random hierarchies and workloads', () => {
  it('no tier above capacity, every request finishes, token sources add up', () => {
    // A generated scenario whose weights do not fit is skipped; count the ones that did simulate so
    // a generator drifting into "never fits" cannot make this test vacuous.
    let simulated = 0;
    fc.assert(
      fc.property(arbScenario, (input) => {
        const res = simulate(input);
        if (!res) return;
        simulated++;
        checkRun(res);
        // the tiers that exist in the scenario are reported, with their capacities
        const tiers = res.summary.kv_cache.tiers;
        const c = input.cache!;
        expect(tiers.local_cpu !== undefined).toBe(c.local_cpu !== undefined);
        expect(tiers.local_disk !== undefined).toBe(c.local_disk !== undefined);
        expect(tiers.remote !== undefined).toBe(c.remote !== undefined);
        if (c.remote && c.remote.size !== 'unlimited') {
          expect(tiers.remote!.capacity_bytes).toBe(c.remote.size);
        }
        if (c.local_cpu) {
          const instances = res.plan.prefill.instances;
          expect(tiers.local_cpu!.capacity_bytes).toBe(instances * (c.local_cpu.size as number));
        }
      }),
      { numRuns: 15, seed: 20240611 },
    );
    expect(simulated).toBeGreaterThanOrEqual(12);
  });
});
