/**
 * Every pair of prefill routers on a simulated shared-prefix workload, with the direction and the
 * reason (decode routers and eviction policies: pairwise.test.ts).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run.js';
import { loadScenario } from '../../src/scenario/load.js';

describe('prefill routers, pairwise, on a shared-prefix chat workload (scenarios/regress/chat.yaml)', () => {
  // 4 prefill instances, 16 system prompts of 2048 tokens (Zipf 1.1) and multi-turn sessions.
  // A router that ignores the cache sends a prompt to an instance holding its prefix only by luck
  // (about the share of instances that hold it); cache_aware sends it where the prefix is whenever
  // that gives the earliest first token; kv_balance can also fetch it from a peer (global pool).
  const CHAT = fileURLToPath(new URL('../../scenarios/regress/chat.yaml', import.meta.url));
  const results = new Map<string, ReturnType<typeof runScenario>['summary']>();
  const run = (router: string) => {
    if (!results.has(router)) results.set(router, runScenario(loadScenario(CHAT, [`prefill.router=${router}`])).summary);
    return results.get(router)!;
  };

  it('cache_aware and kv_balance reuse at least 10 points more prompt KV than round_robin and least_loaded', () => {
    for (const aware of ['cache_aware', 'kv_balance']) {
      for (const blind of ['round_robin', 'least_loaded']) {
        expect(run(aware).kv_cache.hit_rate, `${aware} vs ${blind}`).toBeGreaterThan(run(blind).kv_cache.hit_rate + 0.1);
        // Reuse is prefill work not done: the first tokens come sooner.
        expect(run(aware).ttft_s.p95, `${aware} vs ${blind}`).toBeLessThan(run(blind).ttft_s.p95);
      }
    }
  });

  it('kv_balance vs cache_aware: peer fetching turns misses on the chosen instance into pool hits', () => {
    expect(run('cache_aware').kv_cache.tokens.pool).toBe(0); // no global pool for cache_aware here
    expect(run('kv_balance').kv_cache.tokens.pool).toBeGreaterThan(0);
    expect(run('kv_balance').kv_cache.hit_rate).toBeGreaterThan(run('cache_aware').kv_cache.hit_rate);
  });

  it('round_robin vs least_loaded: different placements of the same requests', () => {
    // Both ignore the cache; they differ in where requests land (round_robin cycles blindly,
    // least_loaded follows outstanding requests), so the prefix hits they get by luck differ.
    expect(run('round_robin').kv_cache.tokens.hbm).not.toBe(run('least_loaded').kv_cache.tokens.hbm);
    expect(run('round_robin').requests.finished).toBe(run('least_loaded').requests.finished);
  });
});
