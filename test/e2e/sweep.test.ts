/**
 * e2e: `kvsim sweep` (grid × seeds, one tidy table), `--shard I/N` run as separate processes, and
 * `kvsim merge` giving exactly the single-machine sweep; plus the deploy/ manifests that drive it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, lines, ROOT, runCliAsync, tempDirs, type CliResult } from './cli-helpers.js';

const GRID = 'test/fixtures/sweeps/tiny-grid.yaml';
const TINY = 'test/fixtures/scenarios/tiny-8b.yaml';
const tmp = tempDirs('kvsim-sweep-');
beforeAll(() => ensureBuilt(), 180_000);
afterAll(() => tmp.cleanup());

const spawnCli = (args: string[]): Promise<CliResult> =>
  new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });

describe('kvsim sweep', () => {
  const whole = tmp.make();
  let single: CliResult;
  beforeAll(async () => {
    single = await runCliAsync(['sweep', GRID, '--out', whole, '--jobs', '2']);
  }, 120_000);

  it('writes one tidy row per run: every varied key and every metric a column', async () => {
    expect(single.stderr).toBe('');
    expect(single.status).toBe(0);
    const csv = lines(readFileSync(join(whole, 'sweep.csv'), 'utf8'));
    const head = csv[0].split(',');
    expect(head.slice(0, 4)).toEqual(['run', 'prefill.router', 'decode.nodes', 'seed']);
    for (const m of ['ttft_p95_s', 'tbt_p99_s', 'kv_hit_rate', 'cost_per_million_output_tokens', 'slo_met']) expect(head).toContain(m);
    expect(csv).toHaveLength(1 + 8);
    const table = JSON.parse(readFileSync(join(whole, 'sweep.json'), 'utf8'));
    // Grid order: first key slowest, seeds fastest; seeds count up from the scenario's (7).
    expect(table.rows.map((r: Record<string, unknown>) => [r['prefill.router'], r['decode.nodes'], r.seed])).toEqual([
      ['round_robin', 1, 7], ['round_robin', 1, 8], ['round_robin', 2, 7], ['round_robin', 2, 8],
      ['cache_aware', 1, 7], ['cache_aware', 1, 8], ['cache_aware', 2, 7], ['cache_aware', 2, 8],
    ]);
    // The set: from the sweep file applies to every run.
    for (const r of table.rows) expect(r.finished + r.rejected).toBeLessThanOrEqual(60);
    for (const c of ['sweep_ttft_p95_s', 'sweep_kv_hit_rate']) expect(readFileSync(join(whole, 'charts', `${c}.svg`), 'utf8')).toContain('<svg');
    expect(single.stdout).toContain('8 runs');
  });

  it('a row equals a plain `kvsim run` of the same point and seed', async () => {
    const out = tmp.make();
    expect((await runCliAsync(['run', TINY, '--set', 'workload.num_requests=60', '--set', 'prefill.router=cache_aware', '--set', 'decode.nodes=2', '--seed', '8', '--out', out, '--quiet', '--no-charts'])).status).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const row = JSON.parse(readFileSync(join(whole, 'sweep.json'), 'utf8')).rows[7];
    expect(row.ttft_p95_s).toBe(s.ttft_s.p95);
    expect(row.kv_hit_rate).toBe(s.kv_cache.hit_rate);
  });

  it('3 shards run as separate processes, merged, equal the single-machine sweep byte for byte', async () => {
    const parts = [0, 1, 2].map(() => tmp.make());
    const results = await Promise.all(parts.map((dir, i) => spawnCli(['sweep', GRID, '--shard', `${i}/3`, '--out', dir, '--jobs', '1', '--quiet'])));
    for (const r of results) expect(r.status).toBe(0);
    const partial = parts.map((d) => JSON.parse(readFileSync(join(d, 'sweep.json'), 'utf8')));
    expect(partial.map((p) => p.rows.length)).toEqual([3, 3, 2]);
    expect(partial[1].shard).toEqual({ index: 1, count: 3 });
    const merged = tmp.make();
    const m = await runCliAsync(['merge', ...parts, '--out', merged]);
    expect(m.status).toBe(0);
    for (const f of ['sweep.json', 'sweep.csv', 'charts/sweep_ttft_p95_s.svg']) {
      expect(readFileSync(join(merged, f), 'utf8')).toBe(readFileSync(join(whole, f), 'utf8'));
    }
    // A missing shard or one given twice is refused in one line.
    const missing = await runCliAsync(['merge', parts[0], parts[2], '--out', join(tmp.make(), 'x')]);
    expect(missing.status).toBe(2);
    expect(lines(missing.stderr)).toHaveLength(1);
    expect(missing.stderr).toContain('3 of 8 runs missing');
    const twice = await runCliAsync(['merge', parts[0], parts[0], parts[1], parts[2], '--out', join(tmp.make(), 'x')]);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain('two partial tables');
  }, 120_000);

  it.each([
    [['sweep', TINY], '--vary'],
    [['sweep', TINY, '--vary', 'decode.nodes=1,2', '--shard', '3/3'], '--shard'],
    [['sweep', TINY, '--vary', 'decode.nodes=1,2', '--shard', 'a/b'], '--shard'],
    [['sweep', TINY, '--vary', 'decode.nodes=1,x'], 'decode.nodes'],
    [['sweep', TINY, '--vary', 'decode.nodes=1,2', '--seeds', '0'], '--seeds'],
    [['sweep', GRID, '--vary', 'decode.nodes=1,2'], '--vary'],
    [['merge', 'test/fixtures', '--out', 'nowhere'], 'sweep.json'],
  ])('refuses %j in one line with exit 2, writing nothing', async (args, mention) => {
    const out = join(tmp.make(), 'o');
    const r = await runCliAsync(args[0] === 'merge' ? args : [...args, '--out', out]);
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(mention);
    expect(existsSync(out)).toBe(false);
  });
});

describe('deploy/ drives sweep shards', () => {
  it('the Kubernetes Indexed Job passes JOB_COMPLETION_INDEX as the shard, with as many completions as shards', async () => {
    const job = parseYaml(readFileSync(join(ROOT, 'deploy/kubernetes/sweep-job.yaml'), 'utf8'));
    expect(job.kind).toBe('Job');
    expect(job.spec.completionMode).toBe('Indexed');
    const c = job.spec.template.spec.containers[0];
    const shards = c.env.find((e: { name: string }) => e.name === 'SHARDS').value;
    expect(Number(shards)).toBe(job.spec.completions);
    expect(c.args.join(' ')).toContain('--shard "$JOB_COMPLETION_INDEX/$SHARDS"');
    const merge = parseYaml(readFileSync(join(ROOT, 'deploy/kubernetes/merge-job.yaml'), 'utf8'));
    expect(merge.spec.template.spec.containers[0].args.join(' ')).toContain('merge /results/shard-*');
  });

  it('the Slurm array script is valid bash and passes SLURM_ARRAY_TASK_ID as the shard', async () => {
    const script = readFileSync(join(ROOT, 'deploy/slurm/sweep.sbatch'), 'utf8');
    expect(script).toMatch(/#SBATCH --array=0-\d+/);
    expect(script).toContain('--shard "${SLURM_ARRAY_TASK_ID}/${SHARDS}"');
    const syntax = spawnSync('bash', ['-n', join(ROOT, 'deploy/slurm/sweep.sbatch')], { encoding: 'utf8' });
    expect(syntax.stderr).toBe('');
    expect(syntax.status).toBe(0);
  });
});
