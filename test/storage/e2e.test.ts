/**
 * End to end on the policy-suite base scenario with a 64 GB DRAM tier and an S3 remote tier:
 * connections, chunk size and lifecycle change results the way the per-object model says.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { Summary } from '../../src/metrics/summary.js';

const BASE = 'test/golden/base.yaml';
const cache = new Map<string, Summary>();
function run(...sets: string[]): Summary {
  const key = sets.join(' ');
  let s = cache.get(key);
  if (!s) {
    s = runScenario(loadScenario(BASE, ['cache.local_cpu.size=64 GB', 'cache.remote.backend=s3', ...sets])).summary;
    cache.set(key, s);
  }
  return s;
}
const remote = (s: Summary) => s.kv_cache.tiers.remote!;

describe('S3 remote tier end to end', () => {
  it('one connection vs LMCache\'s 64: serial per-object latency makes every load lose to recompute', () => {
    const one = run('cache.remote.connections=1');
    const many = run('cache.remote.connections=64');
    // A 512-token block is 2 chunks × 2 ranks × 5 parts of 8.4 MB: 20 GETs of ≥ 10 ms each in a row.
    expect(one.kv_cache.tokens.remote).toBe(0);
    expect(remote(one).get_requests).toBe(0);
    expect(many.kv_cache.tokens.remote).toBeGreaterThan(0);
    expect(many.kv_cache.hit_rate).toBeGreaterThan(one.kv_cache.hit_rate);
    expect(many.ttft_s.p50).toBeLessThan(one.ttft_s.p50);
    // Writes happen either way (write-through): PUT counts equal.
    expect(remote(one).put_requests).toBe(remote(many).put_requests);
  });

  it('chunk size changes results: fewer, larger objects per byte', () => {
    const perGb = (s: Summary) => remote(s).put_requests / (remote(s).put_bytes / 1e9);
    const c128 = run('cache.chunk_size=128', 'cache.remote.part_size=1 GB');
    const c256 = run('cache.chunk_size=256', 'cache.remote.part_size=1 GB');
    const c512 = run('cache.chunk_size=512', 'cache.remote.part_size=1 GB');
    expect(perGb(c128)).toBeGreaterThan(perGb(c256));
    expect(perGb(c256)).toBeGreaterThan(perGb(c512));
    // 256 -> 128 tokens per chunk doubles the objects per byte: twice the PUTs per GB.
    expect(perGb(c128) / perGb(c256)).toBeCloseTo(2, 6);
    expect(JSON.stringify(c128.kv_cache)).not.toBe(JSON.stringify(c256.kv_cache));
  });

  it('lifecycle expiration: expired objects miss, are deleted, and the store holds less over time', () => {
    const keep = run();
    const ttl = run('cache.remote.lifecycle.strategy=expiration', 'cache.remote.lifecycle.ttl=60 s');
    expect(remote(keep).expired_blocks).toBe(0);
    expect(remote(ttl).expired_blocks).toBeGreaterThan(0);
    expect(remote(ttl).mean_stored_bytes).toBeLessThan(remote(keep).mean_stored_bytes);
    expect(remote(ttl).stored_gb_months).toBeLessThan(remote(keep).stored_gb_months);
    expect(ttl.kv_cache.tokens.remote).toBeLessThan(keep.kv_cache.tokens.remote);
    // GB-months = mean stored GB × makespan / 30 days.
    const r = remote(keep);
    expect(r.stored_gb_months).toBeCloseTo((r.mean_stored_bytes / 1e9) * (keep.makespan_s / (30 * 86400)), 12);
  });
});
