/**
 * e2e: `kvsim compare` with several --vary (a grid), replicates (--seeds/--seed) and worker threads.
 * Regression: two --vary flags used to crash with a TypeError and a stack trace (exit 1).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, lines, runCliAsync, tempDirs } from './cli-helpers.js';

const TINY = 'test/fixtures/scenarios/tiny-8b.yaml';
const tmp = tempDirs('kvsim-compare-');
beforeAll(() => ensureBuilt(), 180_000);
afterAll(() => tmp.cleanup());

const csvRows = (text: string): Record<string, string>[] => {
  const [head, ...rows] = lines(text);
  const cols = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
};

describe('kvsim compare', () => {
  it('runs two --vary flags as a grid (regression: TypeError crash)', async () => {
    const out = tmp.make();
    const r = await runCliAsync(['compare', TINY, '--vary', 'prefill.router=round_robin,cache_aware', '--vary', 'decode.router=least_kv,predicted_tbt', '--out', out, '--no-charts', '--jobs', '2']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rows = csvRows(readFileSync(join(out, 'compare.csv'), 'utf8'));
    expect(rows.map((x) => x.variant)).toEqual([
      'prefill.router=round_robin decode.router=least_kv',
      'prefill.router=round_robin decode.router=predicted_tbt',
      'prefill.router=cache_aware decode.router=least_kv',
      'prefill.router=cache_aware decode.router=predicted_tbt',
    ]);
    // Full labels in the console too (not cut to `prefill.router=round_…`).
    expect(r.stdout).toContain('prefill.router=cache_aware decode.router=predicted_tbt');
    const json = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as { summary: { decode: unknown } }[];
    expect(json).toHaveLength(4);
  });

  it('reports replicates as mean and 95% interval, identically for 1 and 2 worker threads', async () => {
    const a = tmp.make();
    const b = tmp.make();
    const args = ['compare', TINY, '--vary', 'prefill.router=round_robin,cache_aware', '--seeds', '3', '--no-charts'];
    const r1 = await runCliAsync([...args, '--out', a, '--jobs', '1']);
    const r2 = await runCliAsync([...args, '--out', b, '--jobs', '2']);
    expect([r1.status, r2.status]).toEqual([0, 0]);
    expect(r1.stdout).toContain('over 3 seeds: 7, 8, 9');
    const csvA = readFileSync(join(a, 'compare.csv'), 'utf8');
    expect(readFileSync(join(b, 'compare.csv'), 'utf8')).toBe(csvA);
    expect(readFileSync(join(b, 'compare.json'), 'utf8')).toBe(readFileSync(join(a, 'compare.json'), 'utf8'));
    const rows = csvRows(csvA);
    expect(rows[0].seeds).toBe('7 8 9');
    const json = JSON.parse(readFileSync(join(a, 'compare.json'), 'utf8')) as {
      summaries: { seed: number; ttft_s: { p95: number } }[];
      replicates: { metrics: Record<string, { mean: number; ci95_low: number; ci95_high: number; values: number[] }> };
    }[];
    const { summaries, replicates } = json[0];
    expect(summaries.map((s) => s.seed)).toEqual([7, 8, 9]);
    const p95 = summaries.map((s) => s.ttft_s.p95);
    const m = replicates.metrics.ttft_p95_s;
    expect(m.values).toEqual(p95);
    expect(m.mean).toBeCloseTo((p95[0] + p95[1] + p95[2]) / 3, 12);
    expect(Number(rows[0].ttft_p95_s)).toBeCloseTo(m.mean, 12);
    // Different seeds give different workloads, so the interval has width and contains the mean.
    expect(m.ci95_low).toBeLessThan(m.mean);
    expect(m.ci95_high).toBeGreaterThan(m.mean);
  });

  it('accepts an explicit --seed list', async () => {
    const out = tmp.make();
    const r = await runCliAsync(['compare', TINY, '--seed', '3,11', '--out', out, '--no-charts', '--jobs', '1']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('over 2 seeds: 3, 11');
  });

  it.each([
    [['--seeds', '0'], '--seeds'],
    [['--seeds', '-2'], '--seeds'],
    [['--seeds', '1.5'], '--seeds'],
    [['--seed', '1,x'], '--seed'],
    [['--jobs', '0'], '--jobs'],
    [['--vary', 'decode.router=least_kv', '--vary', 'decode.router=round_robin'], '--vary'],
    [['--vary', 'decode.router'], '--vary'],
  ])('refuses %j with one line and exit 2', async (extra, flag) => {
    const out = tmp.make();
    const r = await runCliAsync(['compare', TINY, ...extra, '--out', join(out, 'x'), '--no-charts']);
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(flag);
    expect(r.stdout).toBe('');
  });
});
