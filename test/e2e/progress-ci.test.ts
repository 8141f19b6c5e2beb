/**
 * e2e: progress on stderr only on a terminal (a pseudo-terminal from util-linux `script`), never on a
 * pipe or with --quiet; CI mode: --json prints summary.json to stdout, --check gates with exit 1.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, lines, ROOT, runCliAsync, tempDirs } from './cli-helpers.js';

const TINY = 'test/fixtures/scenarios/tiny-8b.yaml';
const GRID = 'test/fixtures/sweeps/tiny-grid.yaml';
const tmp = tempDirs('kvsim-progress-');
beforeAll(() => ensureBuilt(), 180_000);
afterAll(() => tmp.cleanup());

/** Runs the CLI with stderr on a pseudo-terminal and stdout to /dev/null; returns what the terminal got. */
function onTerminal(args: string[]): { status: number | null; terminal: string } {
  const cmd = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', `${cmd} >/dev/null`, '/dev/null'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, terminal: r.stdout };
}

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

describe.runIf(hasScript)('progress on a terminal', () => {
  it('a sweep shows runs done and an ETA on stderr', async () => {
    const r = onTerminal(['sweep', GRID, '--out', tmp.make(), '--no-charts', '--jobs', '1']);
    expect(r.status).toBe(0);
    expect(r.terminal).toMatch(/kvsim sweep: \d\/8 runs \(\d+%\), \d+ s elapsed, ETA/);
    expect(r.terminal).toContain('\r\x1b[K');
  });
  it('nothing with --quiet', async () => {
    const r = onTerminal(['sweep', GRID, '--out', tmp.make(), '--no-charts', '--jobs', '1', '--quiet']);
    expect(r.status).toBe(0);
    expect(r.terminal).toBe('');
  });
});

describe.runIf(hasScript)('--help', () => {
  it('uses the terminal width (no mid-word wrap at 80 columns on a wide terminal)', async () => {
    const r = spawnSync('script', ['-qec', `stty cols 150; ${process.execPath} ${CLI} sweep --help`, '/dev/null'], { cwd: ROOT, encoding: 'utf8' });
    const widest = Math.max(...r.stdout.split(/\r?\n/).map((l) => l.length));
    expect(widest).toBeGreaterThan(100);
    expect(widest).toBeLessThanOrEqual(150);
  });
});

describe('--help on a pipe (80 columns)', () => {
  it('wraps at word boundaries, never mid-word', async () => {
    const r = await runCliAsync(['plan', '--help']);
    expect(r.status).toBe(0);
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
    // Both texts are wider than the column: a character-count wrap splits them ("SLO targ" / "ets").
    const flat = r.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain("meet the scenario's SLO targets");
    expect(flat).toContain('threads running simulations in parallel, this one included (default: one per core)');
  });
});

describe('progress on a pipe', () => {
  it('prints nothing on stderr', async () => {
    const r = await runCliAsync(['sweep', GRID, '--out', tmp.make(), '--no-charts', '--jobs', '1']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('CI mode', () => {
  it('--json prints exactly summary.json on stdout', async () => {
    const out = tmp.make();
    const r = await runCliAsync(['run', TINY, '--json', '--out', out, '--no-charts']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(JSON.parse(r.stdout).scenario).toBe('tiny-8b');
  });
  it('--check passes (exit 0) when every SLO is met', async () => {
    const r = await runCliAsync(['run', TINY, '--check', '--quiet', '--out', tmp.make(), '--no-charts']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
  it('--check exits 1 with a one-line reason when an SLO is missed (outputs still written)', async () => {
    const out = tmp.make();
    const r = await runCliAsync(['run', TINY, '--check', '--json', '--set', 'slo.ttft_p95=50 ms', '--out', out, '--no-charts']);
    expect(r.status).toBe(1);
    expect(lines(r.stderr)).toHaveLength(1);
    // tiny-8b's TTFT p95 at seed 7 is 73.8 ms (see summary.json): a true statement of the miss.
    const p95 = JSON.parse(r.stdout).ttft_s.p95;
    expect(r.stderr).toBe(`kvsim: check failed: ttft_p95 ${(p95 * 1e3).toFixed(1)} ms > 50.0 ms: MISSED\n`);
  });
  it('--check with replicates fails if any seed misses, naming exactly the seeds that miss', async () => {
    const probe = await runCliAsync(['run', TINY, '--json', '--seeds', '3', '--jobs', '1', '--out', tmp.make(), '--no-charts']);
    const values: number[] = JSON.parse(probe.stdout).replicates.metrics.ttft_p95_s.values;
    expect(Math.min(...values)).toBeLessThan(Math.max(...values));
    // A target between the best and the worst seed: some seeds meet it, some miss it.
    const target = (Math.min(...values) + Math.max(...values)) / 2;
    const r = await runCliAsync(['run', TINY, '--check', '--quiet', '--seeds', '3', '--jobs', '1', '--set', `slo.ttft_p95=${target}`, '--out', tmp.make(), '--no-charts']);
    expect(r.status).toBe(1);
    expect(lines(r.stderr)).toHaveLength(1);
    const seeds = [7, 8, 9];
    seeds.forEach((seed, i) => expect(r.stderr.includes(`seed ${seed}: ttft_p95`)).toBe(values[i] > target));
  });
});
