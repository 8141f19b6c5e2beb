/**
 * Whole-simulation invariants over random small scenarios: random clusters (1–2 nodes per pool,
 * devices, TP among the divisors of devices_per_node, engine limits, memory fractions, routers)
 * and random synthetic workloads (arrival processes, length distributions, shared prefixes,
 * sessions, block sizes) or slices of the Mooncake conversation trace fixture, with or without an
 * LMCache-style KV hierarchy under the HBM prefix cache (CPU, disk, remote tiers; eviction
 * policies; offload modes). Scenarios are built in memory and validated by the real schema, then
 * run with runScenario.
 */
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kvBytesPerToken, MODELS } from '../../src/cluster/catalog/models.js';
import { REMOTE_PROFILES } from '../../src/storage/catalog.js';
import { EVICTION_POLICY_NAMES } from '../../src/policies/eviction/registry.js';
import { DECODE_ROUTER_NAMES, PREFILL_ROUTER_NAMES } from '../../src/policies/registry.js';
import { InputError } from '../../src/scenario/input-error.js';
import type { LoadedScenario } from '../../src/scenario/load.js';
import { scenarioSchema, type ScenarioInput } from '../../src/scenario/schema.js';
import { requestsCsv } from '../../src/report/requests-csv.js';
import type { RequestRecord } from '../../src/metrics/request-record.js';
import { runScenario, type RunResult } from '../../src/run.js';

const TRACE = fileURLToPath(new URL('../fixtures/conversation-200.jsonl', import.meta.url));
const FILE = '<property test>';
const TRACE_LINES = 200;

const divisors = (n: number): number[] => [1, 2, 4, 8].filter((d) => d <= n && n % d === 0);

/** A pool: devices_per_node first, then a tp that divides it. */
const arbPool = (devices: readonly string[], minTp: number, routers: readonly string[]) =>
  fc
    .constantFrom(1, 2, 4, 8)
    .filter((dpn) => dpn >= minTp)
    .chain((dpn) =>
      fc.record({
        nodes: fc.integer({ min: 1, max: 2 }),
        device: fc.constantFrom(...devices),
        devices_per_node: fc.constant(dpn),
        tp: fc.constantFrom(...divisors(dpn).filter((d) => d >= minTp)),
        max_num_seqs: fc.integer({ min: 1, max: 64 }),
        max_num_batched_tokens: fc.integer({ min: 512, max: 8192 }),
        gpu_memory_utilization: fc.double({ min: 0.3, max: 0.95, noNaN: true }),
        router: fc.constantFrom(...routers),
        nic: fc.option(
          fc.record({ count: fc.integer({ min: 1, max: 4 }), bandwidth: fc.constantFrom('100 Gb/s', '400 Gb/s', 25e9) }),
          { nil: undefined },
        ),
      }),
    );

const arbLength = (maxValue: number) =>
  fc.oneof(
    fc.record({ dist: fc.constant('fixed' as const), value: fc.integer({ min: 1, max: maxValue }) }),
    fc
      .tuple(fc.integer({ min: 1, max: maxValue }), fc.integer({ min: 1, max: maxValue }))
      .map(([a, b]) => ({ dist: 'uniform' as const, min: Math.min(a, b), max: Math.max(a, b) })),
    fc.record({
      dist: fc.constant('lognormal' as const),
      mean: fc.integer({ min: 1, max: maxValue }),
      cv: fc.double({ min: 0, max: 2, noNaN: true }),
      min: fc.constant(1),
      max: fc.constant(maxValue),
    }),
  );

const arbSynthetic = fc.record({
  type: fc.constant('synthetic' as const),
  block_size: fc.constantFrom(16, 64, 256, 512),
  num_requests: fc.integer({ min: 1, max: 60 }),
  arrival: fc.oneof(
    fc.record({ process: fc.constant('poisson' as const), rate: fc.double({ min: 0.5, max: 30, noNaN: true }) }),
    fc.record({
      process: fc.constant('gamma' as const),
      rate: fc.double({ min: 0.5, max: 30, noNaN: true }),
      cv: fc.double({ min: 0.3, max: 3, noNaN: true }),
    }),
  ),
  input_tokens: arbLength(6000),
  // Small outputs keep each run short; 1 is common so the no-decode path is exercised.
  output_tokens: fc.oneof(fc.constant({ dist: 'fixed' as const, value: 1 }), arbLength(120)),
  prefix_groups: fc.option(
    fc.record({
      count: fc.integer({ min: 1, max: 4 }),
      prefix_tokens: fc.integer({ min: 1, max: 3000 }),
      zipf_alpha: fc.double({ min: 0, max: 2, noNaN: true }),
    }),
    { nil: undefined },
  ),
  sessions: fc.option(
    fc.record({ turns_mean: fc.double({ min: 1, max: 4, noNaN: true }), think_time: fc.constantFrom('0 s', '500 ms', '3 s') }),
    { nil: undefined },
  ),
  max_context_tokens: fc.option(fc.integer({ min: 4000, max: 40_000 }), { nil: undefined }),
});

const arbTrace = fc.record({
  type: fc.constant('mooncake_trace' as const),
  path: fc.constant(TRACE),
  time_scale: fc.double({ min: 0.05, max: 2, noNaN: true }),
  limit: fc.integer({ min: 1, max: 40 }),
});

/** KV-cache hierarchy: sizes are per prefill instance and deliberately small, so tiers evict. */
const arbTier = fc.record({
  size: fc.constantFrom('200 MB', '1 GB', '8 GB'),
  eviction: fc.constantFrom(...EVICTION_POLICY_NAMES),
});
const arbCache = fc.option(
  fc.record({
    hbm_eviction: fc.constantFrom(...EVICTION_POLICY_NAMES),
    chunk_size: fc.constantFrom(16, 256, 512, 1024),
    local_cpu: fc.option(arbTier, { nil: undefined }),
    local_disk: fc.option(arbTier, { nil: undefined }),
    remote: fc.option(
      fc.record({
        backend: fc.constantFrom(...Object.keys(REMOTE_PROFILES)),
        size: fc.constantFrom('unlimited', '2 GB', '50 GB'),
        eviction: fc.constantFrom(...EVICTION_POLICY_NAMES),
      }),
      { nil: undefined },
    ),
    offload: fc.constantFrom('all', 'hot', 'evicted'),
    hot_threshold: fc.integer({ min: 1, max: 3 }),
    save_decode_cache: fc.boolean(),
    use_layerwise: fc.boolean(),
    global_pool: fc.boolean(),
  }),
  { nil: undefined, freq: 2 },
);

/** Llama-3.1-8B fits any device at TP1; 70B only the large-HBM ones (or TP >= 2). */
const arbCluster = fc.oneof(
  fc.record({
    model: fc.constant('llama-3.1-8b'),
    prefill: arbPool(['h100', 'a100', 'mi300x', 'gaudi3', 'gaudi2', 'b200'], 1, PREFILL_ROUTER_NAMES),
    decode: arbPool(['h100', 'a100', 'mi300x', 'gaudi3', 'gaudi2', 'b200'], 1, DECODE_ROUTER_NAMES),
  }),
  fc.record({
    model: fc.constant('llama-3.1-70b'),
    prefill: arbPool(['mi300x', 'mi325x', 'gaudi3', 'h200', 'b200'], 2, PREFILL_ROUTER_NAMES),
    decode: arbPool(['mi300x', 'mi325x', 'gaudi3', 'h200', 'b200'], 2, DECODE_ROUTER_NAMES),
  }),
);

const arbScenario = fc
  .record({
    cluster: arbCluster,
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    transport: fc.constantFrom('rdma', 'tcp'),
    kv_dtype: fc.constantFrom('bf16', 'fp8'),
    workload: fc.oneof({ arbitrary: arbSynthetic, weight: 4 }, { arbitrary: arbTrace, weight: 1 }),
    cache: arbCache,
    mode: fc.constantFrom('disaggregated', 'disaggregated', 'colocated'),
    // Early rejection of requests predicted to miss a TTFT/TBT limit (off in most runs).
    admission: fc.option(
      fc.record({
        enabled: fc.constant(true),
        ttft_limit: fc.constantFrom('200 ms', '1 s', '5 s'),
        tbt_limit: fc.option(fc.constantFrom('10 ms', '30 ms', '100 ms'), { nil: undefined }),
      }),
      { nil: undefined, freq: 3 },
    ),
  })
  .map(
    ({ cluster, seed, transport, kv_dtype, workload, cache, mode, admission }): ScenarioInput => ({
      name: 'prop',
      seed,
      model: cluster.model,
      mode: mode as 'disaggregated' | 'colocated',
      ...(admission && { admission }),
      kv_dtype: kv_dtype as 'bf16' | 'fp8',
      prefill: cluster.prefill,
      decode: cluster.decode,
      network: { transport: transport as 'rdma' | 'tcp' },
      workload,
      ...(cache && { cache: cache as ScenarioInput['cache'] }),
    }),
  );

/**
 * Tiny HBM, heavy reuse: Llama-3.1-8B on a TP1 80 GB device with a memory fraction leaving only a
 * few thousand KV tokens, shared system prompts and multi-turn sessions, and always a lower tier,
 * so blocks are evicted from HBM, demoted and loaded back.
 */
const arbTieredScenario = fc
  .record({
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    device: fc.constantFrom('h100', 'a100'),
    gmu: fc.double({ min: 0.215, max: 0.26, noNaN: true }),
    prefillSeqs: fc.integer({ min: 1, max: 16 }),
    prefillNodes: fc.integer({ min: 1, max: 2 }),
    router: fc.constantFrom(...PREFILL_ROUTER_NAMES),
    numRequests: fc.integer({ min: 20, max: 80 }),
    rate: fc.double({ min: 1, max: 20, noNaN: true }),
    input: fc.integer({ min: 100, max: 2000 }),
    groups: fc.integer({ min: 1, max: 6 }),
    prefix: fc.integer({ min: 512, max: 3000 }),
    cache: arbCache.filter(
      (c) => c !== undefined && (c.local_cpu !== undefined || c.local_disk !== undefined || c.remote !== undefined || c.global_pool),
    ),
  })
  .map(
    (x): ScenarioInput => ({
      name: 'prop-tiers',
      seed: x.seed,
      model: 'llama-3.1-8b',
      prefill: {
        nodes: x.prefillNodes,
        device: x.device,
        devices_per_node: 1,
        tp: 1,
        max_num_seqs: x.prefillSeqs,
        max_num_batched_tokens: 2048,
        gpu_memory_utilization: x.gmu,
        router: x.router,
      },
      decode: { nodes: 1, device: 'h100', devices_per_node: 2, tp: 1, max_num_seqs: 64 },
      workload: {
        type: 'synthetic',
        block_size: 256,
        num_requests: x.numRequests,
        arrival: { process: 'poisson', rate: x.rate },
        input_tokens: { dist: 'lognormal', mean: x.input, cv: 1, min: 1, max: 4000 },
        output_tokens: { dist: 'uniform', min: 1, max: 40 },
        prefix_groups: { count: x.groups, prefix_tokens: x.prefix, zipf_alpha: 1 },
        sessions: { turns_mean: 3, think_time: '2 s' },
        max_context_tokens: 12_000,
      },
      cache: x.cache as ScenarioInput['cache'],
    }),
  );

/**
 * Validates like `kvsim run` does; undefined when the random cluster cannot hold the model, or the
 * random LMCache chunk size does not fit the workload's block size (legitimate input errors: skipped).
 */
function simulate(input: ScenarioInput): RunResult | undefined {
  const loaded: LoadedScenario = { scenario: scenarioSchema.parse(structuredClone(input)), file: FILE, path: FILE };
  try {
    return runScenario(loaded);
  } catch (e) {
    // Weights + activations not fitting is a legitimate input error for a random cluster.
    if (e instanceof InputError && (/do not fit/.test(e.detail) || e.field === 'cache.chunk_size')) return undefined;
    throw e;
  }
}

const isNum = (x: number): boolean => Number.isFinite(x);

/** The per-tier reuse counts of a record: hbmTokens, cpuTokens, diskTokens, poolTokens, remoteTokens, ... */
function sourceTokens(rec: RequestRecord): Record<string, number> {
  return Object.fromEntries(
    Object.entries(rec).filter(([k, v]) => k.endsWith('Tokens') && k !== 'cachedTokens' && typeof v === 'number'),
  ) as Record<string, number>;
}

function checkRecord(rec: RequestRecord, i: number, r: RunResult, blockSize: number): void {
  const q = rec.req;
  const ctx = `request ${q.id}: ${JSON.stringify({ ...rec, req: { ...q, blockHashes: q.blockHashes.length } })}`;
  expect(q.id, ctx).toBe(i);
  const colocated = r.summary.mode === 'colocated';
  // What the largest instance of each role can hold, in whole blocks; colocated instances do both
  // jobs, so the smaller pool's instances bound prompt and prompt + answer alike.
  const blocksOf = (kvTokens: number): number => Math.floor(kvTokens / blockSize) * blockSize;
  const prefillCap = blocksOf(r.plan.prefill.kvTokensPerInstance);
  const decodeCap = blocksOf(r.plan.decode.kvTokensPerInstance);
  const tooBig = colocated
    ? q.inputTokens + q.outputTokens > Math.min(prefillCap, decodeCap)
    : q.inputTokens > prefillCap || q.inputTokens + q.outputTokens > decodeCap;

  if (rec.rejected !== '') {
    // Rejected with a reason, for a reason, and nothing happened to it.
    if (rec.rejected.startsWith('capacity')) expect(tooBig, ctx).toBe(true);
    else {
      expect(rec.rejected, ctx).toMatch(/^(ttft|tbt)\b/);
      expect(r.plan.admission, ctx).toBeDefined();
      expect(tooBig, ctx).toBe(false);
    }
    for (const t of [rec.prefillStart, rec.prefillEnd, rec.firstToken, rec.transferStart, rec.transferEnd, rec.finish]) {
      expect(Number.isNaN(t), ctx).toBe(true);
    }
    expect(rec.prefillInstance, ctx).toBe(-1);
    expect(rec.decodeInstance, ctx).toBe(-1);
    return;
  }
  expect(tooBig, ctx).toBe(false);
  // Finished exactly once: every milestone of the prefill path happened.
  for (const t of [rec.prefillStart, rec.prefillEnd, rec.firstToken, rec.finish]) expect(isNum(t), ctx).toBe(true);
  expect(rec.prefillInstance, ctx).toBeGreaterThanOrEqual(0);
  const prefillInstances = colocated ? r.plan.prefill.instances + r.plan.decode.instances : r.plan.prefill.instances;
  expect(rec.prefillInstance, ctx).toBeLessThan(prefillInstances);

  expect(q.arrival, ctx).toBeLessThanOrEqual(rec.prefillStart);
  expect(rec.prefillStart, ctx).toBeLessThan(rec.prefillEnd); // every step takes time
  if (colocated) {
    expect(rec.prefillEnd, ctx).toBe(rec.firstToken);
    // One engine does both: no handoff at all; decode follows prefill in the same instance.
    expect(Number.isNaN(rec.transferStart), ctx).toBe(true);
    expect(Number.isNaN(rec.transferEnd), ctx).toBe(true);
    expect(rec.decodeInstance, ctx).toBe(-1);
    if (q.outputTokens === 1) expect(rec.finish, ctx).toBe(rec.firstToken);
    else expect(rec.firstToken, ctx).toBeLessThan(rec.finish);
  } else {
    // vLLM PD proxy: every request is handed off and the decode instance streams all its tokens,
    // the first at the end of its first decode step (client TTFT ≥ prefill-side TTFT).
    expect(isNum(rec.transferStart) && isNum(rec.transferEnd) && isNum(rec.decodeStart), ctx).toBe(true);
    expect(rec.prefillEnd, ctx).toBeLessThanOrEqual(rec.transferStart);
    expect(rec.transferStart, ctx).toBeLessThanOrEqual(rec.transferEnd);
    expect(rec.transferEnd, ctx).toBeLessThanOrEqual(rec.decodeStart);
    expect(rec.decodeStart, ctx).toBeLessThan(rec.firstToken); // the first decode step takes time
    expect(rec.firstToken, ctx).toBeLessThanOrEqual(rec.finish);
    if (q.outputTokens === 1) expect(rec.finish, ctx).toBe(rec.firstToken);
    expect(rec.decodeInstance, ctx).toBeGreaterThanOrEqual(0);
    expect(rec.decodeInstance, ctx).toBeLessThan(r.plan.decode.instances);
  }

  // Reused KV comes from the tiers (hbmTokens, cpuTokens, ...: every *Tokens field but cachedTokens,
  // so a new tier is covered without editing this); loads from below HBM end before prefill does.
  const sources = sourceTokens(rec);
  expect(sources.hbmTokens, ctx).toBeGreaterThanOrEqual(0);
  expect(Object.values(sources).reduce((a, x) => a + x, 0), ctx).toBe(rec.cachedTokens);
  for (const v of Object.values(sources)) expect(v, ctx).toBeGreaterThanOrEqual(0);
  if (!Number.isNaN(rec.loadStart)) {
    expect(rec.cachedTokens - rec.hbmTokens, ctx).toBeGreaterThan(0);
    expect(q.arrival, ctx).toBeLessThanOrEqual(rec.loadStart);
    expect(rec.loadStart, ctx).toBeLessThanOrEqual(rec.loadEnd);
    expect(rec.loadEnd, ctx).toBeLessThanOrEqual(rec.prefillEnd);
  }

  // Prefix cache: whole blocks only, and the last prompt token is always computed.
  expect(Number.isInteger(rec.cachedTokens), ctx).toBe(true);
  expect(rec.cachedTokens, ctx).toBeGreaterThanOrEqual(0);
  expect(rec.cachedTokens, ctx).toBeLessThan(q.inputTokens);
  expect(rec.cachedTokens % blockSize === 0 || rec.cachedTokens === q.inputTokens - 1, ctx).toBe(true);
}

function checkRun(input: ScenarioInput, r: RunResult): void {
  const s = r.summary;
  const recs = r.metrics.records;
  const blockSize = input.workload.type === 'synthetic' ? (input.workload.block_size as number) : 512;
  expect(recs.length).toBeGreaterThan(0);
  if (input.workload.type === 'synthetic') expect(recs.length).toBeLessThanOrEqual(input.workload.num_requests as number);
  else expect(recs.length).toBe(Math.min(input.workload.limit as number, TRACE_LINES));

  expect(s.requests.total).toBe(recs.length);
  expect(s.requests.unfinished).toBe(0);
  expect(s.requests.finished + s.requests.rejected).toBe(s.requests.total);
  expect(recs.filter((x) => x.rejected !== '').length).toBe(s.requests.rejected);
  // Rejections by reason (capacity, ttft, tbt) add up.
  const byReason = Object.entries(s.requests).filter(([k]) => k.startsWith('rejected_'));
  if (byReason.length > 0) expect(byReason.reduce((a, [, v]) => a + v, 0)).toBe(s.requests.rejected);
  recs.forEach((rec, i) => checkRecord(rec, i, r, blockSize));

  // Arrivals are in order.
  for (let i = 1; i < recs.length; i++) expect(recs[i].req.arrival).toBeGreaterThanOrEqual(recs[i - 1].req.arrival);

  // Conservation: what the pools computed and moved is exactly what the finished requests needed.
  const done = recs.filter((x) => x.rejected === '');
  const decoded = done.filter((x) => x.req.outputTokens > 1);
  const sum = (xs: RequestRecord[], f: (x: RequestRecord) => number): number => xs.reduce((a, x) => a + f(x), 0);
  const t = s.kv_cache.tokens;
  expect(t.prompt).toBe(sum(done, (x) => x.req.inputTokens));
  expect(t.prompt - t.recomputed).toBe(sum(done, (x) => x.cachedTokens));
  // Every prompt token was reused from exactly one tier or recomputed.
  const { prompt, recomputed, ...fromTiers } = t as unknown as Record<string, number>;
  expect(Object.values(fromTiers).reduce((a, x) => a + x, 0) + recomputed).toBe(prompt);
  expect(t.hbm).toBe(sum(done, (x) => x.hbmTokens));
  const computed = sum(done, (x) => x.req.inputTokens - x.cachedTokens);
  const decodeTokens = sum(decoded, (x) => x.req.outputTokens - 1);
  const perToken = kvBytesPerToken(MODELS[input.model], (input.kv_dtype ?? 'bf16') as 'bf16' | 'fp8');
  const poolTokens = (p: typeof s.prefill): number => p.mean_batch_tokens * p.steps;
  expect(s.tbt_s.count).toBe(decodeTokens);
  if (s.mode === 'colocated') {
    // Mixed batches: both pools' steps together compute the prompts and decode the answers.
    expect(poolTokens(s.prefill) + poolTokens(s.decode)).toBeCloseTo(computed + decodeTokens, 6);
    expect(s.kv_transfer.bytes).toBe(0);
  } else {
    // Prefill computes every prompt token not served from the cache, once.
    expect(poolTokens(s.prefill)).toBeCloseTo(computed, 6);
    // Decode emits every client token (1..n) of every request, one per sequence per step (vLLM PD).
    expect(poolTokens(s.decode)).toBeCloseTo(sum(done, (x) => x.req.outputTokens), 6);
    // The KV of every prompt crosses the network once.
    expect(s.kv_transfer.bytes).toBe(sum(done, (x) => x.req.inputTokens) * perToken);
  }

  // Summary sanity.
  expect(s.kv_cache.hit_rate).toBeGreaterThanOrEqual(0);
  expect(s.kv_cache.hit_rate).toBeLessThan(1);
  for (const tier of Object.values(s.kv_cache.tiers)) {
    expect(tier.hit_rate).toBeGreaterThanOrEqual(0);
    expect(tier.hit_rate).toBeLessThanOrEqual(1);
    if ('capacity_bytes' in tier && tier.capacity_bytes !== null) expect(tier.peak_bytes).toBeLessThanOrEqual(tier.capacity_bytes);
  }
  // Without a cache: section there are no LMCache tiers (the kv_balance router may still read peers' HBM: `pool`).
  if (input.cache === undefined) {
    for (const tier of ['local_cpu', 'local_disk', 'remote']) expect(Object.keys(s.kv_cache.tiers)).not.toContain(tier);
  }
  for (const p of [s.prefill, s.decode]) {
    for (const x of [p.busy_share, p.compute_bound_share, p.memory_bound_share, p.comm_share, p.overhead_share]) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1 + 1e-9);
    }
    if (p.steps > 0) expect(p.compute_bound_share + p.memory_bound_share).toBeCloseTo(1, 9);
  }
  if (s.requests.finished > 0) {
    expect(s.ttft_s.p50).toBeGreaterThan(0);
    // (Colocated: any instance of either pool may have served the requests.)
    expect(s.mode === 'colocated' ? s.prefill.steps + s.decode.steps : s.prefill.steps).toBeGreaterThan(0);
  }
  expect(Number.isFinite(s.cost.total)).toBe(true);
  expect(s.cost.total).toBeGreaterThanOrEqual(0);
}

describe('simulation invariants on random small scenarios', () => {
  it('every request is finished once or rejected with a reason; timelines are ordered; identical seeds give identical results', () => {
    let ran = 0;
    fc.assert(
      fc.property(arbScenario, (input) => {
        const a = simulate(input);
        fc.pre(a !== undefined);
        ran++;
        checkRun(input, a);
        // Determinism: the same scenario again gives the same outputs, byte for byte.
        const b = simulate(input)!;
        expect(JSON.stringify(b.summary)).toBe(JSON.stringify(a.summary));
        expect(requestsCsv(b.metrics.records)).toBe(requestsCsv(a.metrics.records));
      }),
      { numRuns: 25, seed: 20_241_126, endOnFailure: true },
    );
    expect(ran).toBeGreaterThanOrEqual(20);
  }, 60_000);

  it('holds with a KV hierarchy under a tiny HBM prefix cache (evictions, demotions, loads)', () => {
    let loaded = 0;
    fc.assert(
      fc.property(arbTieredScenario, (input) => {
        const a = simulate(input);
        fc.pre(a !== undefined);
        checkRun(input, a);
        if (a.metrics.records.some((x) => !Number.isNaN(x.loadStart))) loaded++;
        const b = simulate(input)!;
        expect(requestsCsv(b.metrics.records)).toBe(requestsCsv(a.metrics.records));
        expect(JSON.stringify(b.summary)).toBe(JSON.stringify(a.summary));
      }),
      { numRuns: 15, seed: 4_2_2024, endOnFailure: true },
    );
    // The generator is meant to exercise lower-tier loads; make sure it still does.
    expect(loaded).toBeGreaterThan(0);
  }, 60_000);

  it('holds for fresh random scenarios too (unseeded)', () => {
    fc.assert(
      fc.property(arbScenario, (input) => {
        const a = simulate(input);
        fc.pre(a !== undefined);
        checkRun(input, a);
      }),
      { numRuns: 15 },
    );
  }, 60_000);
});
