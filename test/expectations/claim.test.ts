import { describe, expect, it } from 'vitest';
import { parseClaim } from '../../src/expectations/claim.js';
import { checkExpectations, parseExpectations } from '../../src/expectations/check.js';
import { InputError } from '../../src/scenario/input-error.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run.js';

const bounds = (metric: string, text: string | number) => {
  const c = parseClaim('s.yaml', metric, text);
  return [c.low, c.high];
};

describe('expectations syntax', () => {
  it('reads the recipe\'s ranges and bounds in SI units', () => {
    expect(bounds('prefill_tokens_per_s', '50K-100K')).toEqual([50_000, 100_000]);
    expect(bounds('prefill_tokens_per_s', '3M–6M')).toEqual([3e6, 6e6]); // en dash, as the recipe writes it
    expect(bounds('concurrent_users', '50K-100K+')).toEqual([50_000, Infinity]);
    expect(bounds('ttft_p95', '< 1 s')).toEqual([-Infinity, 1]);
    expect(bounds('ttft_cache_hit_p50', '<500ms')).toEqual([-Infinity, 0.5]);
    expect(bounds('ttft_cache_miss_p50', '1-3 s')).toEqual([1, 3]);
    expect(bounds('hit_rate', '> 60%')).toEqual([0.6, Infinity]);
    expect(bounds('hit_rate', '70-90%')).toEqual([0.7, 0.9]);
    expect(bounds('hit_rate', '>= 0.6')).toEqual([0.6, Infinity]);
    expect(bounds('decode_tokens_per_s', '10,000-15,000')).toEqual([10_000, 15_000]);
  });

  it.each([
    ['prefil_tokens_per_s', '50K-100K', 'expectations.prefil_tokens_per_s: unknown metric; did you mean "prefill_tokens_per_s"?'],
    ['ttft_p95', 'fast', 'expectations.ttft_p95: "fast" is not a range or bound'],
    ['ttft_p95', '1', 'is not a range or bound'],
    ['prefill_tokens_per_s', '100K-50K', "the range's lower end exceeds its upper end"],
    ['prefill_tokens_per_s', '> lots', '"lots" is not a number'],
    ['hit_rate', '> 160%', 'is more than 100%'],
    ['ttft_p95', '< 5 GB', 'is not a time quantity'],
  ])('rejects %s: %s with one line naming the key', (metric, text, message) => {
    expect(() => parseClaim('s.yaml', metric, text)).toThrow(InputError);
    expect(() => parseClaim('s.yaml', metric, text)).toThrow(message);
  });
});

describe('checking claims against a run', () => {
  const claims = (raw: Record<string, string>) => parseExpectations('tiny.yaml', raw);
  const result = runScenario(loadScenario('test/fixtures/scenarios/tiny-70b.yaml'));
  const ctx = { summary: result.summary, metrics: result.metrics, plan: result.plan };

  it('met inside the interval, not met outside it, not reachable above the physical ceiling', () => {
    const s = result.summary;
    const r = checkExpectations(
      claims({
        ttft_p95: `< ${s.ttft_s.p95 * 1.01} s`,
        ttft_p50: `< ${s.ttft_s.p50 * 0.5} s`,
        // One MI300X: 1300 TFLOP/s / ~137 GFLOP per Llama-3.1-70B token ≈ 9.5K tokens/s at 100% efficiency.
        prefill_tokens_per_s: '50K-100K',
        decode_tokens_per_s: '> 1',
      }),
      ctx,
    );
    expect(r.claims.map((c) => c.verdict)).toEqual(['met', 'not met', 'not reachable', 'met']);
    const prefill = r.claims[2];
    expect(prefill.ceiling!).toBeGreaterThan(7_000);
    // Matmul params per token 80·(8192·8192·2 + 2·8192·1024 + 3·8192·28672) = 68.45e9;
    // 1.3e15 / (2 · 68.45e9) = 9,496 tokens/s before attention and LM head, which only lower it.
    expect(prefill.ceiling!).toBeLessThan(9_496);
    expect(prefill.measured!).toBeLessThan(prefill.ceiling!);
    expect(r.met).toBe(2);
  });

  it('the decode ceiling bounds the sustained decode rate; concurrency is requests in flight (Little\'s law)', () => {
    const r = checkExpectations(claims({ decode_tokens_per_s: '> 1', concurrent_users: '> 0' }), ctx);
    expect(r.claims[0].measured!).toBeLessThan(r.claims[0].ceiling!);
    const s = result.summary;
    const inFlight = result.metrics.records.reduce((a, x) => a + (x.finish - x.req.arrival), 0) / s.makespan_s;
    expect(r.claims[1].measured).toBeCloseTo(inFlight, 9);
    expect(s.concurrency.peak_requests_in_flight).toBeGreaterThanOrEqual(Math.ceil(inFlight));
    expect(r.concurrent_users_definition).toContain('requests in flight');
  });
});
