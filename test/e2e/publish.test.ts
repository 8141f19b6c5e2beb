/**
 * Output publishing is all-or-nothing, also under signals: SIGINT/SIGTERM at any point of the
 * write phase leaves the earlier results exactly as they were and no temp file or folder behind.
 * A test-only hook (KVSIM_TEST_PAUSE_AFTER_FILES=k) pauses the CLI after its k-th staged file and
 * says so on stderr, so each interrupt lands deterministically in the middle of the write phase.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, ROOT, runCliAsync as runCli, tempDirs } from './cli-helpers.js';

const TINY = 'test/fixtures/scenarios/tiny-8b.yaml';
const tmp = tempDirs('kvsim-publish-');
afterAll(() => tmp.cleanup());

/** Every file under `dir` (relative path -> content). */
function snapshot(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = join(prefix, e.name);
    if (e.isDirectory()) Object.assign(out, snapshot(dir, rel));
    else out[rel] = readFileSync(join(dir, rel), 'utf8');
  }
  return out;
}

/** Runs the CLI paused after `k` staged files, sends `signal` once it says so, returns the exit. */
function interruptAfter(args: string[], k: number, signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string; paused: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, KVSIM_TEST_PAUSE_AFTER_FILES: String(k) } });
    let stderr = '';
    let paused = false;
    child.stderr.on('data', (d) => {
      stderr += String(d);
      if (!paused && stderr.includes(`kvsim-test: paused after ${k} files`)) {
        paused = true;
        child.kill(signal);
      }
    });
    child.on('exit', (code) => resolve({ code, stderr, paused }));
  });
}

describe('signals during the write phase', () => {
  let parent: string;
  let out: string;
  let before: Record<string, string>;
  beforeAll(async () => {
    ensureBuilt();
    parent = tmp.make();
    out = join(parent, 'out');
    // Earlier results (another seed) that an interrupted run must leave exactly as they are.
    expect((await runCli(['run', TINY, '--out', out, '--quiet', '--no-charts', '--seed', '3'])).status).toBe(0);
    before = snapshot(out);
  }, 60_000);

  // Files staged in order: summary.json, requests.csv, tiers.csv, then 8 chart files.
  const cases: [number, NodeJS.Signals, boolean][] = [
    [1, 'SIGINT', false], [2, 'SIGTERM', false], [3, 'SIGINT', false], [3, 'SIGTERM', true], [6, 'SIGINT', true],
  ];
  it.each(cases)('after %i staged files, %s (charts: %s): exit 130/143, old results intact, nothing left', async (k, signal, charts) => {
    const args = ['run', TINY, '--out', out, '--quiet', ...(charts ? [] : ['--no-charts'])];
    const r = await interruptAfter(args, k, signal);
    expect(r.paused, r.stderr).toBe(true);
    expect(r.code).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(parent)).toEqual(['out']);
    expect(snapshot(out)).toEqual(before);
  }, 30_000);

  it('a first run interrupted mid-write leaves no output folder at all', async () => {
    const fresh = tmp.make();
    const r = await interruptAfter(['run', TINY, '--out', join(fresh, 'new'), '--quiet', '--no-charts'], 2, 'SIGINT');
    expect(r.code).toBe(130);
    expect(readdirSync(fresh)).toEqual([]);
  }, 30_000);
});

describe('temp folders of killed runs', () => {
  it('are swept by the next run publishing beside them; live ones are left alone', async () => {
    const parent = tmp.make();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!; // has exited: its pid names no process
    const stale = join(parent, `.out.kvsim-${dead}-AbC123.staging`);
    const live = join(parent, `.out.kvsim-${process.pid}-XyZ789.staging`);
    for (const d of [stale, live]) {
      mkdirSync(d);
      writeFileSync(join(d, 'summary.json'), '{}');
    }
    expect((await runCli(['run', TINY, '--out', join(parent, 'out'), '--quiet', '--no-charts'])).status).toBe(0);
    expect(readdirSync(parent).sort()).toEqual([`.out.kvsim-${process.pid}-XyZ789.staging`, 'out']);
  }, 30_000);
});

describe('concurrent runs into the same folder', () => {
  it('all succeed; the folder holds one complete run and nothing else is left', async () => {
    const parent = tmp.make();
    const out = join(parent, 'out');
    const seeds = ['1', '2', '3', '4'];
    const codes = await Promise.all(
      seeds.map(
        (seed) =>
          new Promise<number | null>((resolve) => {
            const child = spawn(process.execPath, [CLI, 'run', TINY, '--out', out, '--quiet', '--no-charts', '--seed', seed], { cwd: ROOT });
            child.on('exit', (code) => resolve(code));
          }),
      ),
    );
    expect(codes).toEqual([0, 0, 0, 0]);
    expect(readdirSync(parent)).toEqual(['out']);
    const files = snapshot(out);
    expect(Object.keys(files).sort()).toEqual(['.kvsim-output', 'requests.csv', 'summary.json', 'tiers.csv']);
    // One run's files, not a mix: requests.csv is the one of the seed summary.json names.
    const seed = String((JSON.parse(files['summary.json']) as { seed: number }).seed);
    const alone = join(tmp.make(), 'alone');
    expect((await runCli(['run', TINY, '--out', alone, '--quiet', '--no-charts', '--seed', seed])).status).toBe(0);
    expect(snapshot(alone)).toEqual(files);
  }, 60_000);
});

describe('an --out folder with a folder named like an output file', () => {
  it('is replaced as a whole (the old per-file rename failed half way, leaving a mix)', async () => {
    const parent = tmp.make();
    const out = join(parent, 'out');
    mkdirSync(join(out, 'summary.json'), { recursive: true });
    writeFileSync(join(out, 'requests.csv'), 'from an earlier run\n');
    const r = await runCli(['run', TINY, '--out', out, '--quiet', '--no-charts']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const files = snapshot(out);
    expect(Object.keys(files).sort()).toEqual(['.kvsim-output', 'requests.csv', 'summary.json', 'tiers.csv']);
    expect(files['requests.csv']).not.toContain('earlier run');
    expect(readdirSync(parent)).toEqual(['out']);
  }, 30_000);
});
