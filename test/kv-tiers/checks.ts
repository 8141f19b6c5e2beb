/** Whole-run checks of the KV-cache accounting, shared by the end-to-end and property tests. */
import { kvPageSize } from '../../src/cluster/cluster.js';
import { expect } from 'vitest';
import type { RequestRecord } from '../../src/metrics/request-record.js';
import type { RunResult } from '../../src/run.js';

/** Peer-pool tokens, if the record has that source (0 otherwise). */
const poolOf = (r: RequestRecord): number => (r as { poolTokens?: number }).poolTokens ?? 0;

/** Per request: the sources add up to cachedTokens <= input - 1, none negative. */
export function checkRecordSources(r: RequestRecord, ctx = `request ${r.req.id}`): void {
  const parts = [r.hbmTokens, r.cpuTokens, r.diskTokens, poolOf(r), r.remoteTokens];
  for (const p of parts) expect(p, ctx).toBeGreaterThanOrEqual(0);
  expect(parts.reduce((a, b) => a + b, 0), ctx).toBe(r.cachedTokens);
  expect(r.cachedTokens, ctx).toBeLessThanOrEqual(Math.max(0, r.req.inputTokens - 1));
  if (r.cachedTokens > r.hbmTokens) {
    // lower-tier tokens were loaded: the load ran before the first chunk
    expect(Number.isNaN(r.loadEnd), ctx).toBe(false);
    expect(r.loadEnd, ctx).toBeGreaterThanOrEqual(r.loadStart);
    expect(r.prefillStart, ctx).toBeGreaterThanOrEqual(r.loadEnd);
  }
}

/** Every admitted request finished; none stalled. */
export function checkAllFinished(res: RunResult): void {
  for (const r of res.metrics.records) {
    if (r.rejected !== '') continue;
    expect(Number.isFinite(r.finish), `request ${r.req.id} unfinished`).toBe(true);
    expect(Number.isFinite(r.prefillEnd)).toBe(true);
  }
}

/** summary.kv_cache.tokens: hbm + cpu + disk + remote (+ pool) + recomputed == prompt. */
export function checkTokenTotals(res: RunResult, expectNoPool = true): void {
  const t = res.summary.kv_cache.tokens as typeof res.summary.kv_cache.tokens & { pool?: number };
  const pool = t.pool ?? 0;
  if (expectNoPool) expect(pool).toBe(0);
  expect(t.hbm + t.local_cpu + t.local_disk + pool + t.remote + t.recomputed).toBe(t.prompt);
  const served = res.metrics.records.filter((r) => !Number.isNaN(r.prefillEnd));
  expect(t.prompt).toBe(served.reduce((s, r) => s + r.req.inputTokens, 0));
  expect(t.local_cpu).toBe(served.reduce((s, r) => s + r.cpuTokens, 0));
  expect(t.remote).toBe(served.reduce((s, r) => s + r.remoteTokens, 0));
  if (t.prompt > 0) expect(res.summary.kv_cache.hit_rate).toBeCloseTo((t.prompt - t.recomputed) / t.prompt, 12);
}

/** No tier above its capacity: summary peaks and every occupancy sample. */
export function checkCapacities(res: RunResult): void {
  const tiers = res.summary.kv_cache.tiers;
  const bb = res.blockBytes;
  // HBM is allocated in KV pages, the lower tiers in hash blocks: peaks are whole units of those.
  const tokenBytes = res.plan.prefill.stepModel.kvBytesPerToken;
  const blockSize = bb / tokenBytes;
  const page = kvPageSize(kvPageSize(res.plan.prefill.kvPageSize, blockSize), kvPageSize(res.plan.decode.kvPageSize, blockSize));
  const caps: Record<string, number> = {};
  for (const name of ['hbm', 'local_cpu', 'local_disk', 'remote'] as const) {
    const t = tiers[name];
    if (!t) continue;
    const cap = t.capacity_bytes ?? Infinity;
    caps[name] = cap;
    expect(t.peak_bytes, `${name} peak`).toBeLessThanOrEqual(cap);
    expect(t.peak_bytes % (name === 'hbm' ? page * tokenBytes : bb)).toBe(0);
  }
  for (const s of res.metrics.occupancy) {
    expect(s.hbm * bb).toBeLessThanOrEqual(caps.hbm);
    if (caps.local_cpu !== undefined) expect(s.local_cpu * bb).toBeLessThanOrEqual(caps.local_cpu);
    else expect(s.local_cpu).toBe(0);
    if (caps.local_disk !== undefined) expect(s.local_disk * bb).toBeLessThanOrEqual(caps.local_disk);
    else expect(s.local_disk).toBe(0);
    if (caps.remote !== undefined) expect(s.remote * bb).toBeLessThanOrEqual(caps.remote);
    else expect(s.remote).toBe(0);
  }
}

export function checkRun(res: RunResult, expectNoPool = true): void {
  checkAllFinished(res);
  for (const r of res.metrics.records) if (r.rejected === '') checkRecordSources(r);
  checkTokenTotals(res, expectNoPool);
  checkCapacities(res);
}
