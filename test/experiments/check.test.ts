import { describe, expect, it } from 'vitest';
import { checkFailures, sloVerdict } from '../../src/experiments/check.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run.js';

const summary = runScenario(loadScenario('test/fixtures/scenarios/tiny-8b.yaml')).summary;

describe('CI check', () => {
  it('passes a stable run that meets every target', () => {
    expect(summary.slo.all_met).toBe(true);
    expect(checkFailures(summary)).toEqual([]);
  });
  it('fails an overloaded run with its verdict (summary.stability, read defensively)', () => {
    const overloaded = { ...summary, stability: { ...summary.stability, stable: false, verdict: 'OVERLOADED: decode pool at 3.1x capacity' } };
    expect(checkFailures(overloaded)).toEqual(['OVERLOADED: decode pool at 3.1x capacity']);
  });
  it('fails on a missed expectation', () => {
    const claim = { metric: 'kv_hit_rate', claim: '>= 0.9', measured: 0.41, verdict: 'not met' as const };
    const missed = { ...summary, expectations: { claims: [claim, { ...claim, metric: 'x', verdict: 'not measured' as const }], met: 0, total: 2, run_stable: true, concurrent_users_definition: '' } };
    expect(checkFailures(missed as unknown as typeof summary)).toEqual(['expectation kv_hit_rate >= 0.9: not met (measured 0.41)']);
  });
  it('states verdicts as true inequalities, seconds above 10 s', () => {
    expect(sloVerdict(3.8231, 2, false)).toBe('3823 ms > 2000 ms: MISSED');
    expect(sloVerdict(0.0738, 2, true)).toBe('73.8 ms ≤ 2000 ms: met');
    expect(sloVerdict(121.956, 2, false)).toBe('122.0 s > 2000 ms: MISSED');
  });
});
