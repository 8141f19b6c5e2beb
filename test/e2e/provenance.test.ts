/** e2e: summary.json records how the run was made; a rerun never leaves outputs of an earlier one. */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, runCliAsync, tempDirs } from './cli-helpers.js';

const TINY_TRACE = 'test/fixtures/scenarios/tiny-trace.yaml';
const TINY_8B = 'test/fixtures/scenarios/tiny-8b.yaml';
const tmp = tempDirs('kvsim-prov-');
beforeAll(() => ensureBuilt(), 180_000);
afterAll(() => tmp.cleanup());

const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

describe('provenance in summary.json', () => {
  it('records the resolved scenario after overrides, the overrides, seed, trace relative to the scenario, version, commit, schema', async () => {
    const out = tmp.make();
    const r = await runCliAsync(['run', TINY_TRACE, '--set', 'decode.nodes=2', '--set', 'prefill.router=cache_aware', '--seed', '5', '--out', out, '--quiet', '--no-charts']);
    expect(r.status).toBe(0);
    const p = summaryOf(out).provenance;
    expect(p.schema_version).toBe(2);
    expect(p.kvsim_version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect(p.scenario_file).toBe('tiny-trace.yaml');
    expect(p.overrides).toEqual(['decode.nodes=2', 'prefill.router=cache_aware', 'seed=5']);
    expect(p.seed).toBe(5);
    // tiny-trace.yaml says `path: ../conversation-200.jsonl`: recorded as written, not as an absolute path.
    expect(p.trace_path).toBe('../conversation-200.jsonl');
    expect(p.resolved_scenario.decode.nodes).toBe(2);
    expect(p.resolved_scenario.prefill.router).toBe('cache_aware');
    expect(p.resolved_scenario.decode.router).toBeTypeOf('string'); // defaults are filled in
    const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
    if (head.status === 0) expect(p.git_commit).toBe(head.stdout.trim());
  });

  it('a copy of kvsim outside any git repository still runs, without git_commit', async () => {
    const root = tmp.make();
    cpSync(join(ROOT, 'dist'), join(root, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
    mkdirSync(join(root, 's'));
    cpSync(join(ROOT, TINY_8B), join(root, 's', 'tiny.yaml'));
    const r = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), 'run', 's/tiny.yaml', '--out', 'o', '--quiet', '--no-charts'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, GIT_CEILING_DIRECTORIES: root.replace(/\/[^/]*$/, '') },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const p = summaryOf(join(root, 'o')).provenance;
    expect(p.git_commit).toBeUndefined();
    expect(p.kvsim_version).toBeTypeOf('string');
  });
});

describe('a rerun replaces the outputs of an earlier one', () => {
  it('--no-charts removes charts of the earlier run; a single-seed rerun removes replicates.csv', async () => {
    const out = tmp.make();
    expect((await runCliAsync(['run', TINY_8B, '--seeds', '2', '--out', out, '--quiet', '--jobs', '1'])).status).toBe(0);
    expect(existsSync(join(out, 'charts', 'ttft_cdf.svg'))).toBe(true);
    expect(existsSync(join(out, 'replicates.csv'))).toBe(true);
    expect((await runCliAsync(['run', TINY_8B, '--out', out, '--quiet', '--no-charts'])).status).toBe(0);
    expect(existsSync(join(out, 'charts'))).toBe(false);
    expect(existsSync(join(out, 'replicates.csv'))).toBe(false);
    expect(summaryOf(out).replicates).toBeUndefined();
  });
});
