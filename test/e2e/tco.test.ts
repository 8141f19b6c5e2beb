import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'kvsim-tco-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => ensureBuilt());

const SCENARIO = 'test/fixtures/scenarios/tiny-70b.yaml';
const SLO = ['--set', 'slo.ttft_p95=5 s', '--set', 'slo.tbt_p99=100 ms'];

describe('kvsim tco (iso-SLO TCO comparison)', () => {
  it('sizes every mix to the same SLO on the same workload and reports its cost relative to the scenario\'s mix', () => {
    const out = join(dir, 't');
    const r = runCli(['tco', SCENARIO, '--mixes', 'h100,b200+gaudi3:4', '--prefill', '1-2', '--decode', '1-2', ...SLO, '--out', out]);
    expect(r.status).toBe(0);
    const j = JSON.parse(readFileSync(join(out, 'tco.json'), 'utf8'));
    expect(j.results.map((x: { mix: string }) => x.mix)).toEqual(['scenario', 'h100', 'b200+gaudi3:4']);
    const [ref, h100, mixed] = j.results;
    expect(ref.prefill).toBe('1×mi300x TP1');
    expect(h100.prefill).toBe('4×h100 TP4');
    expect(mixed.decode).toBe('4×gaudi3 TP4');
    for (const x of j.results) {
      expect(x.best.ttft_p95_s).toBeLessThanOrEqual(5);
      expect(x.best.tbt_p99_s).toBeLessThanOrEqual(0.1);
      expect(x.best.tco_ratio).toBeCloseTo(x.best.cost_per_million_output_tokens / ref.best.cost_per_million_output_tokens, 12);
    }
    expect(ref.best.tco_ratio).toBe(1);
    expect(r.stdout).toContain('TCO ratio');
    expect(readFileSync(join(out, 'tco.csv'), 'utf8').split('\n')[0]).toContain('tco_ratio');
  });

  it('runs the mixes\' searches in parallel (--jobs 2) with the same answer as one thread, and refuses a bad --jobs', () => {
    const args = ['tco', SCENARIO, '--mixes', 'h100,gaudi3', '--prefill', '1-2', '--decode', '1-2', ...SLO, '--quiet'];
    const one = runCli([...args, '--jobs', '1', '--out', join(dir, 'j1')]);
    const two = runCli([...args, '--jobs', '2', '--out', join(dir, 'j2')]);
    expect([one.status, two.status]).toEqual([0, 0]);
    expect(readFileSync(join(dir, 'j2', 'tco.json'), 'utf8')).toBe(readFileSync(join(dir, 'j1', 'tco.json'), 'utf8'));
    const bad = runCli([...args, '--jobs', 'many', '--out', join(dir, 'jbad')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('--jobs');
  });

  it('an unknown device in --mixes is a one-line input error (exit 2)', () => {
    const r = runCli(['tco', SCENARIO, '--mixes', 'h100,tpu9', ...SLO, '--out', join(dir, 'bad')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--mixes: tpu9: unknown device "tpu9"');
  });
});
