/**
 * The Mooncake public traces end to end. Skipped (with a warning saying why) on a clone without
 * ../shared/traces; `.ci/run` sets KVSIM_REQUIRE_TRACES=1, and then a missing trace is a failure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run.js';

const SCENARIO = fileURLToPath(new URL('../../scenarios/conversation-trace.yaml', import.meta.url));
const REQUIRED = process.env.KVSIM_REQUIRE_TRACES === '1';

/** Share of prompt tokens an infinite prefix cache could reuse (leading full blocks seen before). */
function idealReuse(path: string): number {
  const seen = new Set<number>();
  let reused = 0;
  let total = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { input_length: number; hash_ids: number[] };
    const full = Math.floor(r.input_length / 512);
    let m = 0;
    while (m < full && seen.has(r.hash_ids[m])) m++;
    reused += Math.min(m * 512, r.input_length - 1);
    total += r.input_length;
    for (let i = 0; i < full; i++) seen.add(r.hash_ids[i]);
  }
  return reused / total;
}

for (const [name, count] of [['conversation_trace.jsonl', 12_031], ['synthetic_trace.jsonl', 3_993]] as const) {
  const path = fileURLToPath(new URL(`../../../shared/traces/${name}`, import.meta.url));
  const exists = existsSync(path);
  describe(`replaying ${name}`, () => {
    it.runIf(REQUIRED && !exists)('is required here (KVSIM_REQUIRE_TRACES=1) but missing', () => {
      expect(existsSync(path), `${path} must exist in CI`).toBe(true);
    });
    if (!exists && !REQUIRED) console.warn(`skipped replay of ${name}: ${path} not found (run from a checkout next to ../shared)`);
    it.skipIf(!exists)('serves every request once, reuses no more than an infinite cache could, and cache_aware reuses more than least_loaded', () => {
      const run = (router: string) => runScenario(loadScenario(SCENARIO, [`prefill.router=${router}`], path)).summary;
      const ll = run('least_loaded');
      const ca = run('cache_aware');
      for (const s of [ll, ca]) {
        expect(s.requests.total).toBe(count);
        expect(s.requests.finished + s.requests.rejected).toBe(count);
        expect(s.requests.unfinished).toBe(0);
        expect(s.kv_cache.hit_rate).toBeLessThanOrEqual(idealReuse(path) + 1e-9);
      }
      expect(ca.kv_cache.hit_rate).toBeGreaterThan(ll.kv_cache.hit_rate);
      expect(ca.ttft_s.p50).toBeLessThan(ll.ttft_s.p50);
    }, 120_000);
  });
}
