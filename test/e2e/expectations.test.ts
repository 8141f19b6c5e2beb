import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'kvsim-expect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => ensureBuilt());

describe('the recipe\'s expectations, checked by kvsim run', () => {
  it('small.yaml carries the recipe\'s claims verbatim; one MI300X cannot prefill 50K tokens/s at any efficiency', () => {
    const out = join(dir, 'small');
    const r = runCli(['run', 'scenarios/small.yaml', '--no-charts', '--out', out]);
    expect(r.status).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const claims = s.expectations.claims as { metric: string; claim: string; verdict: string; ceiling?: number; measured: number }[];
    expect(claims.map((c) => `${c.metric}: ${c.claim}`)).toEqual([
      'prefill_tokens_per_s: 50K-100K',
      'decode_tokens_per_s: 10K-15K',
      'ttft_cache_hit_p50: <500ms',
      'ttft_cache_miss_p50: 1-3s',
    ]);
    const prefill = claims[0];
    // 1.3e15 FLOP/s BF16 (2.6e15 FP8) / ~1.37e11 FLOP per token: below 19K tokens/s either way.
    expect(prefill.verdict).toBe('not reachable');
    expect(prefill.ceiling!).toBeLessThan(19_000);
    expect(prefill.measured).toBeLessThanOrEqual(prefill.ceiling!);
    expect(s.expectations.total).toBe(4);
    expect(r.stdout).toContain('expectations:');
    expect(r.stdout).toContain('NOT REACHABLE');
    // Where each dollar and joule goes is printed too.
    expect(r.stdout).toMatch(/cost \(rental\): \$[\d.,]+\/h/);
    expect(r.stdout).toMatch(/energy: [\d.,]+ kWh/);
  });
});
