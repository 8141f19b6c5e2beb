import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/metrics/summary.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run.js';
import { EVICTION_POLICY_NAMES } from '../../src/policies/eviction/registry.js';
import { CASES } from './cases.js';

const BASE = fileURLToPath(new URL('./base.yaml', import.meta.url));
const SNAPSHOTS = fileURLToPath(new URL('./snapshots.json', import.meta.url));
const UPDATE = process.env.KVSIM_UPDATE_GOLDEN === '1';
/** CI must compare against the committed snapshots, never rewrite them. */
const IN_CI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== '0' && process.env.CI !== 'false';
if (UPDATE && IN_CI) {
  throw new Error('golden:update refuses to run in CI (CI is set): regenerate snapshots locally and commit them with the reason');
}

/** 9 significant digits: exact for regressions, immune to last-bit libm differences. */
const r9 = (x: number) => Number(x.toPrecision(9));

function snapshot(s: Summary) {
  return {
    finished: s.requests.finished,
    rejected: s.requests.rejected,
    decode_queued: s.requests.decode_queued,
    ttft_p50_s: r9(s.ttft_s.p50),
    ttft_p95_s: r9(s.ttft_s.p95),
    ttft_p99_s: r9(s.ttft_s.p99),
    ttft_prefill_p95_s: r9(s.ttft_prefill_s.p95),
    stability: s.stability.verdict,
    tbt_p50_s: r9(s.tbt_s.p50),
    tbt_p99_s: r9(s.tbt_s.p99),
    e2e_p50_s: r9(s.e2e_s.p50),
    kv_hit_rate: r9(s.kv_cache.hit_rate),
    slo_attainment: r9(s.slo.attainment),
    makespan_s: r9(s.makespan_s),
    cost_per_million_output_tokens: r9(s.cost.per_million_output_tokens),
    events: s.sim.events,
  };
}

/** Runs by their overrides: cases that are the same scenario (e.g. a registry's base policy) run once. */
const results = new Map<string, Summary>();
function run(name: string): Summary {
  const key = JSON.stringify(CASES[name]);
  let s = results.get(key);
  if (!s) {
    s = runScenario(loadScenario(BASE, [...CASES[name]])).summary;
    results.set(key, s);
  }
  return s;
}

/** What holds of any snapshot, fresh or stored: update mode checks it too. */
function expectSane(name: string, snap: ReturnType<typeof snapshot>, s: Summary): void {
  for (const [k, v] of Object.entries(snap)) if (typeof v === 'number') expect(Number.isFinite(v), `${name}.${k} = ${v}`).toBe(true);
  expect(snap.finished + snap.rejected, `${name}: every request finished or rejected`).toBe(s.requests.total);
  expect(snap.finished, `${name}: something finished`).toBeGreaterThan(0);
  expect(snap.kv_hit_rate).toBeGreaterThanOrEqual(0);
  expect(snap.kv_hit_rate).toBeLessThanOrEqual(1);
}

describe('policy regression suite: exact snapshots (regenerate: npm run golden:update)', () => {
  const stored: Record<string, unknown> = existsSync(SNAPSHOTS) ? JSON.parse(readFileSync(SNAPSHOTS, 'utf8')) : {};
  const fresh: Record<string, ReturnType<typeof snapshot>> = {};

  if (UPDATE) {
    // Only the current cases are written, in CASES order: removed cases leave the file.
    afterAll(() => {
      const complete = Object.keys(CASES).every((n) => n in fresh);
      if (!complete) return; // a filtered or failed run must not drop other cases' snapshots
      writeFileSync(SNAPSHOTS, `${JSON.stringify(fresh, null, 2)}\n`);
      const changed = Object.keys(CASES).filter((n) => JSON.stringify(stored[n]) !== JSON.stringify(fresh[n]));
      const removed = Object.keys(stored).filter((n) => !(n in CASES));
      console.log(`golden:update: ${changed.length} case(s) changed or added [${changed.join(', ')}], ${removed.length} removed [${removed.join(', ')}]`);
    });
  } else {
    it('snapshots.json holds exactly the current cases (no stale ones, none missing)', () => {
      expect(Object.keys(stored).sort(), 'run npm run golden:update and commit the reason').toEqual(Object.keys(CASES).sort());
    });
  }

  for (const name of Object.keys(CASES)) {
    it(name, () => {
      const s = run(name);
      fresh[name] = snapshot(s);
      expectSane(name, fresh[name], s);
      if (UPDATE) return;
      expect(stored[name], `no snapshot for ${name}: run npm run golden:update`).toBeDefined();
      expect(fresh[name]).toEqual(stored[name]);
    });
  }
});

describe('policy orderings that must hold', () => {
  it('cache_aware reuses at least as much KV as round_robin and least_loaded on a prefix-heavy workload', () => {
    expect(run('cache_aware').kv_cache.hit_rate).toBeGreaterThanOrEqual(run('round_robin').kv_cache.hit_rate);
    expect(run('cache_aware').kv_cache.hit_rate).toBeGreaterThanOrEqual(run('least_loaded').kv_cache.hit_rate);
  });

  it('cache-aware routing lowers TTFT p95 versus round_robin', () => {
    expect(run('cache_aware').ttft_s.p95).toBeLessThan(run('round_robin').ttft_s.p95);
    expect(run('kv_balance').ttft_s.p95).toBeLessThan(run('round_robin').ttft_s.p95);
  });

  it('a global KV pool never lowers the hit rate of cache_aware', () => {
    expect(run('cache_aware+global_pool').kv_cache.hit_rate).toBeGreaterThanOrEqual(run('cache_aware').kv_cache.hit_rate);
  });

  it('a remote tier over NFS/RDMA loads faster than one over S3 (per-request latency: 1-5 ms vs 10-100 ms)', () => {
    const nfs = run('tiers_nfs_rdma');
    const s3 = run('tiers_s3');
    expect(nfs.kv_cache.load_s.mean).toBeLessThan(s3.kv_cache.load_s.mean);
    expect(nfs.ttft_s.p50).toBeLessThanOrEqual(s3.ttft_s.p50);
  });

  it('colocated mixed batches stretch the inter-token tail versus disaggregated decode on the same hardware', () => {
    const co = run('same_hw_colocated');
    const pd = run('same_hw_disaggregated');
    // Prefill chunks in the same steps as decodes: long stalls and slower requests at the tail.
    expect(co.tbt_s.max).toBeGreaterThan(2 * pd.tbt_s.max);
    expect(co.tpot_s.p99).toBeGreaterThan(pd.tpot_s.p99);
    expect(co.tbt_s.mean).toBeGreaterThan(pd.tbt_s.mean);
  });

  it('admission control rejects requests (counted) and cuts the TTFT tail', () => {
    const a = run('admission');
    expect(a.requests.rejected).toBeGreaterThan(0);
    expect(a.requests.rejected).toBe(a.requests.rejected_ttft + a.requests.rejected_tbt + a.requests.rejected_capacity);
    expect(a.requests.finished + a.requests.rejected).toBe(a.requests.total);
    expect(a.ttft_s.p99).toBeLessThan(run('least_loaded').ttft_s.p99);
  });

  it('TCP KV handoff is slower than RDMA', () => {
    expect(run('tcp').kv_transfer_s.mean).toBeGreaterThan(run('least_loaded').kv_transfer_s.mean);
  });

  it('every HBM eviction policy finishes every request; a smaller HBM pool evicts and reuses less', () => {
    const big = run('least_loaded');
    for (const name of EVICTION_POLICY_NAMES.map((p) => `hbm_${p}_small`)) {
      const s = run(name);
      expect(s.requests.finished).toBe(s.requests.total);
      expect(s.requests.total).toBe(big.requests.total);
      expect(s.kv_cache.tiers.hbm.evicted_blocks).toBeGreaterThan(0);
      expect(s.kv_cache.hit_rate).toBeLessThanOrEqual(big.kv_cache.hit_rate);
    }
  });
});
