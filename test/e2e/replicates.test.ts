/** e2e: replicates (--seeds N / --seed a,b,c) on `kvsim run` and `kvsim plan`, and --jobs determinism. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, lines, runCliAsync, tempDirs } from './cli-helpers.js';

const TINY_8B = 'test/fixtures/scenarios/tiny-8b.yaml';
const TINY_70B = 'test/fixtures/scenarios/tiny-70b.yaml';
const tmp = tempDirs('kvsim-replicates-');
beforeAll(() => ensureBuilt(), 180_000);
afterAll(() => tmp.cleanup());

describe('kvsim run --seeds', () => {
  it('adds every metric as mean and 95% interval over the seeds; replicate 1 is the plain run', async () => {
    const plain = tmp.make();
    const rep = tmp.make();
    expect((await runCliAsync(['run', TINY_8B, '--out', plain, '--no-charts', '--quiet'])).status).toBe(0);
    const r = await runCliAsync(['run', TINY_8B, '--seeds', '3', '--out', rep, '--no-charts', '--jobs', '2']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('replicates over 3 seeds (7, 8, 9)');
    expect(r.stdout).toMatch(/ttft_p95_s\s+\S+ ms ±\S+ ms\s+95% CI \[/);
    const s = JSON.parse(readFileSync(join(rep, 'summary.json'), 'utf8'));
    const base = JSON.parse(readFileSync(join(plain, 'summary.json'), 'utf8'));
    // The detailed outputs are seed 7's: identical to the run without --seeds.
    expect(readFileSync(join(rep, 'requests.csv'), 'utf8')).toBe(readFileSync(join(plain, 'requests.csv'), 'utf8'));
    expect(s.ttft_s).toEqual(base.ttft_s);
    expect(s.replicates.seeds).toEqual([7, 8, 9]);
    const m = s.replicates.metrics.ttft_p95_s;
    expect(m.values[0]).toBe(base.ttft_s.p95);
    expect(m.ci95_low).toBeLessThanOrEqual(m.mean);
    expect(m.ci95_high).toBeGreaterThanOrEqual(m.mean);
    const csv = lines(readFileSync(join(rep, 'replicates.csv'), 'utf8'));
    expect(csv).toHaveLength(4);
    expect(csv[0].split(',')[0]).toBe('seed');
  });

  it('refuses zero or negative replicates with one line and exit 2, writing nothing', async () => {
    for (const n of ['0', '-3']) {
      const out = join(tmp.make(), 'o');
      const r = await runCliAsync(['run', TINY_8B, '--seeds', n, '--out', out]);
      expect(r.status).toBe(2);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toContain('--seeds');
      expect(existsSync(out)).toBe(false);
    }
  });
});

describe('kvsim plan with replicates', () => {
  const args = ['plan', TINY_70B, '--prefill', '1-2', '--decode', '1-3', '--set', 'slo.ttft_p95=3 s', '--set', 'slo.tbt_p99=100 ms', '--quiet'];

  it('counts a configuration only if it meets the SLO on every seed, and says so', async () => {
    const out = tmp.make();
    const r = await runCliAsync([...args.filter((a) => a !== '--quiet'), '--seeds', '3', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('only if it does on every seed');
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
    expect(plan.seeds).toEqual([3, 4, 5]);
    for (const c of plan.tried) expect(c.meets_slo).toBe(c.seeds_meeting_slo === '3/3');
    for (const c of plan.frontier) expect(c.seeds_meeting_slo).toBe('3/3');
  });

  it('gives the same plan with 1 and 2 worker threads, and accepts --seed', async () => {
    const a = tmp.make();
    const b = tmp.make();
    expect((await runCliAsync([...args, '--seed', '5', '--jobs', '1', '--out', a])).status).toBe(0);
    expect((await runCliAsync([...args, '--seed', '5', '--jobs', '2', '--out', b])).status).toBe(0);
    expect(readFileSync(join(b, 'plan.json'), 'utf8')).toBe(readFileSync(join(a, 'plan.json'), 'utf8'));
    expect(JSON.parse(readFileSync(join(a, 'plan.json'), 'utf8')).seeds).toEqual([5]);
  });
});
