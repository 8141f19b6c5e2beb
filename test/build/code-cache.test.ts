/**
 * The loader of the CLI's bundles (scripts/code-cache-loader.cjs, dist/bundle/load.cjs): a bundle
 * runs the same with its V8 code cache, without one, and with one V8 refuses; the build leaves
 * caches V8 accepts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, ROOT } from '../e2e/cli-helpers.js';

const LOADER = join(ROOT, 'scripts/code-cache-loader.cjs');
const dir = mkdtempSync(join(tmpdir(), 'kvsim-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bundle = join(dir, 'bundle.cjs');
// A bundle that uses its CommonJS wrapper's arguments and strict mode, as esbuild's output does.
writeFileSync(bundle, "#!/usr/bin/env node\n'use strict';\nconst { join } = require('node:path');\nmodule.exports = { square: (x) => x * x, file: join(__dirname, require('node:path').basename(__filename)) };\n");

/** Loads the bundle through the loader in a fresh process; returns the phase-trace line and the exports it computed. */
function load(env: Record<string, string> = {}): { trace: string; out: string } {
  const script = `const m = require(${JSON.stringify(LOADER)}).runBundle(${JSON.stringify(bundle)}); process.stdout.write(JSON.stringify([m.square(7), m.file]));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, KVSIM_TRACE_PHASES: '1', ...env } });
  expect(r.status, r.stderr).toBe(0);
  return { trace: r.stderr.trim(), out: r.stdout };
}

describe('code-cache loader', () => {
  const expected = JSON.stringify([49, bundle]);
  it('runs a bundle without a cache, writes one in training, then uses it; same exports every time', () => {
    expect(load()).toEqual({ trace: expect.stringMatching(/code cache of bundle\.cjs: absent$/), out: expected });
    expect(load({ KVSIM_WRITE_CODE_CACHE: '1' }).out).toBe(expected);
    expect(existsSync(`${bundle}.v8-cache`)).toBe(true);
    expect(load()).toEqual({ trace: expect.stringMatching(/: accepted$/), out: expected });
  });
  it('a cache V8 refuses (stale, another Node) is ignored: the bundle compiles from source', () => {
    writeFileSync(`${bundle}.v8-cache`, Buffer.alloc(4096, 7));
    expect(load()).toEqual({ trace: expect.stringMatching(/: rejected$/), out: expected });
  });
  it('npm run build leaves caches V8 accepts for the CLI', () => {
    ensureBuilt();
    const r = spawnSync(process.execPath, [join(ROOT, CLI), '--version'], { encoding: 'utf8', env: { ...process.env, KVSIM_TRACE_PHASES: '1' } });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/code cache of kvsim\.cjs: accepted/);
  });
  it("and for the replicate worker: a sweep's worker thread loads its bundle with the build's cache", () => {
    ensureBuilt();
    const out = join(dir, 'sweep');
    const r = spawnSync(
      process.execPath,
      [join(ROOT, CLI), 'sweep', 'test/fixtures/scenarios/tiny-8b.yaml', '--vary', 'prefill.router=round_robin,least_loaded', '--jobs', '2', '--no-charts', '--quiet', '--out', out],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KVSIM_TRACE_PHASES: '1' } },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/code cache of worker\.cjs: accepted/);
    // Every line of every thread carries that thread's CPU time (Linux: /proc/thread-self).
    if (process.platform === 'linux') expect(r.stderr).toMatch(/t[1-9]\d* worker: batch received +\[cpu \d+ ms, waited \d+ ms\]/);
  }, 30_000);
});

describe('KVSIM_TRACE_PHASES=1 on kvsim run', () => {
  it('traces the phases on stderr only, charts rendered here or on the chart thread (with its code cache), outputs unchanged', () => {
    ensureBuilt();
    const run = (env: Record<string, string>, out: string) =>
      spawnSync(process.execPath, [join(ROOT, CLI), 'run', 'test/fixtures/scenarios/tiny-8b.yaml', '--out', out, '--json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
    const plain = run({ KVSIM_CHART_THREAD: '0' }, join(dir, 'plain'));
    expect(plain.stderr).not.toMatch(/kvsim-phase/);
    for (const thread of ['0', '1']) {
      const traced = run({ KVSIM_TRACE_PHASES: '1', KVSIM_CHART_THREAD: thread }, join(dir, `traced-${thread}`));
      expect(traced.status, traced.stderr).toBe(0);
      expect(traced.stdout).toBe(plain.stdout);
      const phases = traced.stderr.split('\n').filter((l) => l.startsWith('kvsim-phase')).map((l) => l.replace(/^kvsim-phase +[\d.]+ (t\d+ )?/, '').replace(/ +\[cpu.*$/, ''));
      const at = (name: string) => phases.indexOf(name);
      for (const name of ['code cache of kvsim.cjs: accepted', 'main: modules loaded', 'job: simulated and summarized', 'run: report built', 'run: charts rendered', 'run: outputs published']) {
        expect(phases, name).toContain(name);
      }
      const threadPhases = ['chart thread: started', 'code cache of chart-thread.cjs: accepted'];
      for (const name of threadPhases) expect(phases.includes(name), `${name} (KVSIM_CHART_THREAD=${thread})`).toBe(thread === '1');
      expect(at('job: simulated and summarized')).toBeLessThan(at('run: report built'));
      expect(at('run: report built')).toBeLessThan(at('run: charts rendered'));
      expect(at('run: charts rendered')).toBeLessThan(at('run: outputs published'));
    }
  }, 30_000);
});
