/**
 * Admission control and decode-side KV saving, end to end through the cluster, on workloads small
 * enough that every expected number follows from the step-time model by hand: one request (or a
 * few, far apart) arriving at an idle cluster.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Cluster, kvPageSize } from '../../src/cluster/cluster.js';
import { Simulator } from '../../src/engine/simulator.js';
import { MetricsCollector } from '../../src/metrics/collector.js';
import { planCluster } from '../../src/cluster/plan.js';
import { runScenario } from '../../src/run.js';
import { loadScenario } from '../../src/scenario/load.js';

const TINY = fileURLToPath(new URL('../fixtures/scenarios/tiny-70b.yaml', import.meta.url));
/** Requests of 2000 prompt + 40 output tokens, ~100 s apart: each finds the cluster idle. */
const ISOLATED = ['workload.input_tokens={dist: fixed, value: 2000}', 'workload.arrival={process: poisson, rate: 0.01}'];

function run(sets: string[]) {
  return runScenario(loadScenario(TINY, [...ISOLATED, ...sets])).summary;
}

/** What the admission check predicts for the first request at an idle cluster. */
function idlePredictions() {
  const loaded = loadScenario(TINY, ISOLATED);
  const plan = planCluster(loaded.scenario, loaded.path);
  // The synthetic workload hashes 512-token blocks; nothing is cached on a fresh cluster.
  const c = new Cluster(new Simulator(), plan, new MetricsCollector(), 512);
  const req = { id: 0, arrival: 0, inputTokens: 2000, outputTokens: 40, blockHashes: [1, 2, 3, 4] };
  return {
    // Client-visible TTFT (vLLM PD proxy): no queue, nothing cached: the whole 2000-token prefill,
    // then the handoff of 2000 tokens' KV over idle NICs (latency + bytes at the wire's line rate
    // times the transport's efficiency) and the first decode step of a batch of one over the prompt.
    ttft:
      plan.prefill.stepModel.prefillTime(2000, 0) +
      plan.transferLatency +
      (2000 * plan.prefill.stepModel.kvBytesPerToken) /
        (Math.min(plan.prefill.nicLineRate, plan.decode.nicLineRate) * plan.transportEfficiency[plan.transport]) +
      plan.decode.stepModel.decodeTime(1, 2000),
    // The same number as the admission check computes it, bit for bit (for the limit-equal case).
    exactTtft: c.predictTtft(req, c.prefill[0]),
    // A batch of one with context 2000 + 1 on the idle decode instance.
    tbt: plan.decode.stepModel.decodeTime(1, 2001),
  };
}

describe('admission control rejects exactly the requests predicted past the limit', () => {
  const { ttft, exactTtft, tbt } = idlePredictions();

  it('TTFT: a limit 1% below the idle prediction rejects the request, 1% above admits it', () => {
    // Doubling the limit (or ignoring it) would admit the first run's request; halving it would
    // reject the second's.
    const below = run(['workload.num_requests=1', 'admission.enabled=true', `admission.ttft_limit=${ttft * 0.99}`]);
    expect(below.requests).toMatchObject({ total: 1, finished: 0, rejected: 1, rejected_ttft: 1, rejected_tbt: 0 });
    const above = run(['workload.num_requests=1', 'admission.enabled=true', `admission.ttft_limit=${ttft * 1.01}`]);
    expect(above.requests).toMatchObject({ total: 1, finished: 1, rejected: 0 });
  });

  it('TBT: a limit 1% below the idle decode step rejects the request, 1% above admits it', () => {
    const below = run(['workload.num_requests=1', 'admission.enabled=true', `admission.tbt_limit=${tbt * 0.99}`]);
    expect(below.requests).toMatchObject({ total: 1, finished: 0, rejected: 1, rejected_ttft: 0, rejected_tbt: 1 });
    const above = run(['workload.num_requests=1', 'admission.enabled=true', `admission.tbt_limit=${tbt * 1.01}`]);
    expect(above.requests).toMatchObject({ total: 1, finished: 1, rejected: 0 });
  });

  it('the limits default to the tightest SLO target of each metric', () => {
    // ttft_p99 just above the prediction but ttft_p50 just below: the tighter (p50) one applies.
    const s = run(['workload.num_requests=1', 'admission.enabled=true', `slo.ttft_p99=${ttft * 1.5}`, `slo.ttft_p50=${ttft * 0.99}`]);
    expect(s.requests.rejected_ttft).toBe(1);
    const t = run(['workload.num_requests=1', 'admission.enabled=true', `slo.tbt_p99=${tbt * 0.99}`]);
    expect(t.requests.rejected_tbt).toBe(1);
  });

  it('a one-token answer needs no decode step: the TBT limit does not apply to it', () => {
    const s = run(['workload.num_requests=1', 'workload.output_tokens={dist: fixed, value: 1}', 'admission.enabled=true', `admission.tbt_limit=${tbt * 0.5}`]);
    expect(s.requests).toMatchObject({ finished: 1, rejected: 0 });
  });

  it('a prompt larger than a prefill instance KV pool is rejected for capacity, before admission', () => {
    const loaded = loadScenario(TINY, ISOLATED);
    const kvTokens = planCluster(loaded.scenario, loaded.path).prefill.kvTokensPerInstance;
    // The pool holds whole 512-token blocks: one block more than fits.
    const tooBig = (Math.floor(kvTokens / 512) + 1) * 512;
    const s = runScenario(loadScenario(TINY, ['workload.num_requests=1', `workload.input_tokens={dist: fixed, value: ${tooBig}}`,
      'workload.max_context_tokens=1000000', 'admission.enabled=true', 'admission.ttft_limit=1000'])).summary;
    expect(s.requests).toMatchObject({ total: 1, rejected: 1, rejected_capacity: 1, rejected_ttft: 0 });
  });

  it('a limit equal to the prediction admits (the check is strictly greater)', () => {
    expect(exactTtft).toBeCloseTo(ttft, 12);
    const s = run(['workload.num_requests=1', 'admission.enabled=true', `admission.ttft_limit=${exactTtft}`, `admission.tbt_limit=${tbt}`]);
    expect(s.requests).toMatchObject({ finished: 1, rejected: 0 });
  });

  it('TBT is predicted with the prompt plus the first token in context (2000 + 1), not less', () => {
    // A limit between the step at context 1999 and at 2001 rejects: only 2001 exceeds it.
    const loaded = loadScenario(TINY, ISOLATED);
    const step = planCluster(loaded.scenario, loaded.path).decode.stepModel;
    const limit = (step.decodeTime(1, 1999) + step.decodeTime(1, 2001)) / 2;
    expect(limit).toBeLessThan(tbt);
    const s = run(['workload.num_requests=1', 'admission.enabled=true', `admission.tbt_limit=${limit}`]);
    expect(s.requests).toMatchObject({ rejected: 1, rejected_tbt: 1 });
  });

  it('disabled, nothing is rejected whatever the limits', () => {
    const s = run(['workload.num_requests=1', 'admission.enabled=false', `admission.ttft_limit=${ttft * 0.5}`, `admission.tbt_limit=${tbt * 0.5}`]);
    expect(s.requests).toMatchObject({ finished: 1, rejected: 0 });
  });
});

describe('capacity rejection: a request must fit an instance, prompt at prefill and prompt+output at decode', () => {
  const loaded = loadScenario(TINY, ISOLATED);
  const plan = planCluster(loaded.scenario, loaded.path);
  // Each pool holds whole KV pages (its device's page size, made to divide the 512-token hash block).
  const tokensOf = (pool: typeof plan.prefill) => {
    const page = kvPageSize(pool.kvPageSize, 512);
    return Math.floor(pool.kvTokensPerInstance / page) * page;
  };
  const maxPrompt = tokensOf(plan.prefill);
  const maxSequence = tokensOf(plan.decode);
  const one = (input: number, output: number) =>
    runScenario(loadScenario(TINY, ['workload.num_requests=1', `workload.input_tokens={dist: fixed, value: ${input}}`,
      `workload.output_tokens={dist: fixed, value: ${output}}`, 'workload.max_context_tokens=10000000'])).summary.requests;

  it('a prompt of exactly the prefill capacity is admitted; one token more is rejected', () => {
    expect(maxPrompt + 40).toBeLessThan(maxSequence);
    expect(one(maxPrompt, 40)).toMatchObject({ finished: 1, rejected: 0 });
    expect(one(maxPrompt + 1, 40)).toMatchObject({ finished: 0, rejected: 1, rejected_capacity: 1 });
  });

  it('prompt+output one token over the decode capacity is rejected; exactly at it, admitted', () => {
    expect(one(512, maxSequence - 512 + 1)).toMatchObject({ finished: 0, rejected: 1, rejected_capacity: 1 });
    expect(one(512, maxSequence - 512)).toMatchObject({ finished: 1, rejected: 0 });
  });
});

describe('save_decode_cache: the decode side writes each finished prompt to the remote tier', () => {
  // offload: evicted and a big HBM: prefill never writes the remote tier, so everything there
  // came from decode. 3 requests × floor(2000 / 512) = 3 full blocks × 512 tokens × 327,680 B/token
  // (Llama-3.1-70B BF16) = 9 × 167,772,160 B = 1,509,949,440 B.
  const sets = ['workload.num_requests=3', 'cache.remote={backend: nfs_rdma}', 'cache.offload=evicted'];

  it('on: exactly the full prompt blocks of every finished request', () => {
    const s = run([...sets, 'cache.save_decode_cache=true']);
    expect(s.requests.finished).toBe(3);
    expect(s.kv_cache.tiers.remote!.written_bytes).toBe(9 * 512 * 327_680);
  });

  it('off: nothing', () => {
    const s = run([...sets, 'cache.save_decode_cache=false']);
    expect(s.kv_cache.tiers.remote!.written_bytes).toBe(0);
  });

  it('colocated: there is no decode side, nothing is saved and every request finishes', () => {
    const s = run([...sets, 'mode=colocated', 'cache.save_decode_cache=true']);
    expect(s.requests.finished).toBe(3);
    expect(s.kv_cache.tiers.remote!.written_bytes).toBe(0);
  });
});
