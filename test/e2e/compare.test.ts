import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, lines, runCli, tempDirs } from './cli-helpers.js';

const TINY_8B = 'test/fixtures/scenarios/tiny-8b.yaml';
const TINY_70B = 'test/fixtures/scenarios/tiny-70b.yaml';
const tmp = tempDirs('kvsim-compare-');
afterAll(() => tmp.cleanup());
beforeAll(() => ensureBuilt());

const COLUMNS = ['variant', 'seeds', 'ttft_p50_s', 'ttft_p95_s', 'ttft_p99_s', 'tbt_p50_s', 'tbt_p99_s', 'e2e_p50_s', 'kv_hit_rate', 'slo_attainment',
  'rejected', 'finished', 'output_tokens_per_s', 'cost_per_hour', 'cost_per_million_output_tokens', 'cost_per_million_tokens', 'energy_j_per_output_token',
  'slo_met_every_seed', 'stable', 'prefill_load_factor', 'decode_load_factor', 'stability'];

/** summary.json of a plain `kvsim run` with these overrides. */
function runSummary(scenario: string, sets: string[]): Record<string, unknown> {
  const out = join(tmp.make(), 'run');
  const r = runCli(['run', scenario, '--out', out, '--quiet', '--no-charts', ...sets.flatMap((s) => ['--set', s])]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
}

describe('kvsim compare', () => {
  it('--vary: one row per value, each exactly the summary `kvsim run --set key=value` writes', () => {
    const out = join(tmp.make(), 'c');
    const r = runCli(['compare', TINY_8B, '--vary', 'decode.router=round_robin,least_kv', '--set', 'workload.num_requests=40', '--out', out, '--no-charts']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const json = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as { variant: string; summary: Record<string, unknown> }[];
    expect(json.map((x) => x.variant)).toEqual(['decode.router=round_robin', 'decode.router=least_kv']);
    for (const [i, router] of ['round_robin', 'least_kv'].entries()) {
      expect(json[i].summary).toEqual(runSummary(TINY_8B, ['workload.num_requests=40', `decode.router=${router}`]));
    }
    // compare.csv: the documented columns, one row per variant, numbers taken from those summaries.
    const [header, ...rows] = readFileSync(join(out, 'compare.csv'), 'utf8').trimEnd().split('\n').map((l) => l.split(','));
    expect(header).toEqual(COLUMNS);
    expect(rows).toHaveLength(2);
    for (const [i, cells] of rows.entries()) {
      const s = json[i].summary as { ttft_s: { p95: number }; kv_cache: { hit_rate: number }; requests: { finished: number } };
      const cell = (c: string) => Number(cells[COLUMNS.indexOf(c)]);
      expect(cells[0]).toBe(json[i].variant);
      expect(cell('ttft_p95_s')).toBe(s.ttft_s.p95);
      expect(cell('kv_hit_rate')).toBe(s.kv_cache.hit_rate);
      expect(cell('finished')).toBe(40);
    }
    // The printed table: a header line, one line per variant, then where the files went.
    const printed = lines(r.stdout);
    expect(printed).toHaveLength(4);
    expect(printed[1].startsWith('decode.router=round_robin ')).toBe(true);
    expect(printed[2].startsWith('decode.router=least_kv ')).toBe(true);
    expect(printed[3]).toContain(out);
    expect(existsSync(join(out, 'charts'))).toBe(false);
  });

  it('several files: one row each, labelled by file name, on the same workload', () => {
    const out = join(tmp.make(), 'f');
    const r = runCli(['compare', TINY_8B, TINY_70B, '--set', 'workload.num_requests=20', '--out', out, '--no-charts', '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const json = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as { variant: string; summary: { model: string; requests: { total: number } } }[];
    expect(json.map((x) => [x.variant, x.summary.model, x.summary.requests.total])).toEqual([
      ['tiny-8b', 'llama-3.1-8b', 20],
      ['tiny-70b', 'llama-3.1-70b', 20],
    ]);
  });

  it('renders the comparison chart unless --no-charts', () => {
    const out = join(tmp.make(), 'ch');
    const r = runCli(['compare', TINY_8B, '--vary', 'seed=1,2', '--set', 'workload.num_requests=10', '--out', out, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const spec = JSON.parse(readFileSync(join(out, 'charts', 'compare.vl.json'), 'utf8'));
    // 3 metrics per variant.
    expect(spec.data.values).toHaveLength(6);
    expect(readFileSync(join(out, 'charts', 'compare.svg'), 'utf8').startsWith('<svg')).toBe(true);
  });

  it('a bad --vary or a bad value in one variant: one line, exit 2, no files, no run spent', () => {
    for (const [args, needle] of [
      [['--vary', 'decode.router'], '--vary'],
      [['--vary', 'decode.router=round_robin,fastest'], 'decode.router'],
    ] as const) {
      const out = join(tmp.make(), 'bad');
      const r = runCli(['compare', TINY_8B, ...args, '--out', out, '--no-charts']);
      expect(r.status).toBe(2);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toContain(needle);
      expect(r.stdout).toBe('');
      expect(existsSync(out)).toBe(false);
    }
  });
});
