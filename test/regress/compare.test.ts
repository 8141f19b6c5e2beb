import { describe, expect, it } from 'vitest';
import { compareCase, parseTolerances } from '../../src/regress/compare.js';
import type { CaseResult } from '../../src/regress/baseline.js';
import { METRIC_NAMES, METRICS } from '../../src/regress/metrics.js';
import { InputError } from '../../src/scenario/input-error.js';

/** A case whose every metric has these per-seed values. */
function result(values: (number | null)[]): CaseResult {
  return { seeds: values.map((_, i) => i + 1), values: Object.fromEntries(METRIC_NAMES.map((m) => [m, values])) };
}
const verdictOf = (name: string, base: CaseResult, now: CaseResult, specs: string[] = []) =>
  compareCase(base, now, parseTolerances(specs)).find((d) => d.metric.name === name)!;

describe('regression verdicts', () => {
  it('each metric knows its good direction', () => {
    const dir = Object.fromEntries(METRICS.map((m) => [m.name, m.better]));
    expect(dir).toMatchObject({ ttft_p95_s: 'lower', tbt_p99_s: 'lower', kv_hit_rate: 'higher', slo_attainment: 'higher', rejected: 'lower', finished: 'higher', cost_per_million_output_tokens: 'lower', output_tokens_per_s: 'higher' });
  });

  it('default 1% of the baseline mean: 2 -> 2.03 (+1.5%) is worse for a latency, better for a hit rate; 2 -> 2.01 unchanged', () => {
    const base = result([1.9, 2.1]); // mean 2
    expect(verdictOf('ttft_p95_s', base, result([2.03, 2.03])).verdict).toBe('worse');
    expect(verdictOf('kv_hit_rate', base, result([2.03, 2.03])).verdict).toBe('better');
    expect(verdictOf('ttft_p95_s', base, result([2.01, 2.01])).verdict).toBe('unchanged'); // 0.01 <= 0.02
    const d = verdictOf('ttft_p95_s', base, result([2.03, 2.03]));
    expect(d.delta).toBeCloseTo(0.03, 12);
    expect(d.allowed).toBeCloseTo(0.02, 12);
  });

  it('absolute and per-metric tolerances; later specs win', () => {
    const base = result([10, 10]);
    // rejected 10 -> 12: worse by 2; allowed 2 absolute -> unchanged, 1.5 -> worse.
    expect(verdictOf('rejected', base, result([12, 12]), ['rejected=2']).verdict).toBe('unchanged');
    expect(verdictOf('rejected', base, result([12, 12]), ['rejected=2', 'rejected=1.5']).verdict).toBe('worse');
    // 50% for everything but the hit rate, held to 5%: 10 -> 9 is -10%.
    expect(verdictOf('kv_hit_rate', base, result([9, 9]), ['50%', 'kv_hit_rate=5%']).verdict).toBe('worse');
    expect(verdictOf('slo_attainment', base, result([9, 9]), ['50%', 'kv_hit_rate=5%']).verdict).toBe('unchanged');
  });

  it('spread: the larger of the two replicate ranges', () => {
    // baseline 1, 3 (range 2, mean 2); current 5.5, 5.5 (range 0, mean 5.5): worse by 3.5 > 2.
    expect(verdictOf('e2e_p50_s', result([1, 3]), result([5.5, 5.5]), ['spread']).verdict).toBe('worse');
    // current 3.9, 4.1 (mean 4): worse by 2, allowed 2 -> unchanged.
    expect(verdictOf('e2e_p50_s', result([1, 3]), result([3.9, 4.1]), ['spread']).verdict).toBe('unchanged');
    // One seed, no spread: any move beyond float noise counts.
    expect(verdictOf('e2e_p50_s', result([1]), result([1.000001]), ['spread']).verdict).toBe('worse');
    expect(verdictOf('e2e_p50_s', result([1]), result([1 + 1e-12]), ['spread']).verdict).toBe('unchanged');
  });

  it('a metric that loses its value (no request finished) is worse; none on both sides is unchanged', () => {
    expect(verdictOf('ttft_p50_s', result([1]), result([null])).verdict).toBe('worse');
    expect(verdictOf('ttft_p50_s', result([null]), result([null])).verdict).toBe('unchanged');
  });

  it('bad tolerance specs are input errors naming the flag', () => {
    expect(() => parseTolerances(['ttft=5%'])).toThrow(InputError);
    expect(() => parseTolerances(['5 %'])).toThrow(/--tolerance: 5 %: expected/);
    expect(() => parseTolerances(['kv_hit_rate=-1'])).toThrow(InputError);
  });
});
