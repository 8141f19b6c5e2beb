/**
 * `npm run bench -- sweep64` (or `sweep64-medium`): wall time of a 64-run sweep on one thread and on two (the issue's
 * target: two threads take ≤ 0.6x the serial wall time on 2 cores). Each measurement is a whole
 * `kvsim sweep` process (start-up, grid check, simulations, output files); the runs alternate
 * 1, 2, 1, 2, ... so drifting load from other processes hits both alike. Reports min and median of
 * wall and of CPU time (user + system, all threads: what the parallel run spends beyond the serial
 * one) and the load average, since on a shared machine wall time alone misleads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The 4 × 4 router grid × 4 seeds = 64 runs of both sweeps. */
const ROUTER_GRID = [
  '--vary', 'prefill.router=round_robin,least_loaded,cache_aware,kv_balance',
  '--vary', 'decode.router=round_robin,least_loaded,least_kv,predicted_tbt',
  '--seeds', '4', '--no-charts', '--quiet',
];

/**
 * The 64-run sweeps, by bench case name:
 * - sweep64: an hour of small.yaml at 2 req/s per run (~0.13 CPU s each): the worst case for
 *   parallel speed-up, since each thread's fixed cost (V8 compiling the same hot code, its GC
 *   helpers, start-up) is large beside runs this short;
 * - sweep64-medium: the issue's own planning example, scenarios/medium.yaml as bundled (its 10-minute
 *   window: ~0.1 CPU s per run);
 * - sweep64-medium-1h: the same cluster over a peak hour, the window a capacity planner sizes for
 *   (~1 CPU s per run): each thread's fixed cost (its own compile of the simulator, GC helpers,
 *   start-up: ~1.7 CPU s) is then small beside its share of the runs.
 */
export const SWEEPS: Readonly<Record<string, readonly string[]>> = {
  sweep64: ['sweep', 'scenarios/small.yaml', ...ROUTER_GRID, '--set', 'workload.duration=60 min', '--set', 'workload.arrival.rate=2'],
  'sweep64-medium': ['sweep', 'scenarios/medium.yaml', ...ROUTER_GRID],
  'sweep64-medium-1h': ['sweep', 'scenarios/medium.yaml', ...ROUTER_GRID, '--set', 'workload.duration=60 min'],
};

export interface SweepTiming {
  readonly jobs: number;
  readonly wall_s: number[];
  readonly cpu_s: number[];
  /** This thread's CPU (Linux only), the V8/libuv helper threads' (alive at exit); the rest is the worker threads'. */
  readonly main_thread_cpu_s: number[];
  readonly helper_threads_cpu_s: number[];
  readonly peak_rss_mb: number[];
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs the sweep `repeats` times with each thread count, alternating; throws if a run fails. */
export function timeSweep(args: readonly string[], threadCounts: readonly number[], repeats: number, log: (line: string) => void): SweepTiming[] {
  const caseScript = fileURLToPath(new URL('./sweep-case.js', import.meta.url));
  const timings = threadCounts.map((jobs): SweepTiming => ({ jobs, wall_s: [], cpu_s: [], main_thread_cpu_s: [], helper_threads_cpu_s: [], peak_rss_mb: [] }));
  const dir = mkdtempSync(join(tmpdir(), 'kvsim-bench-sweep-'));
  try {
    for (let r = 0; r < repeats; r++) {
      for (const t of timings) {
        const stats = join(dir, 'stats.json');
        const t0 = performance.now();
        const run = spawnSync(process.execPath, [caseScript, stats, ...args, '--jobs', String(t.jobs), '--out', join(dir, `out-${t.jobs}`)], { encoding: 'utf8' });
        const wall = (performance.now() - t0) / 1000;
        if (run.status !== 0) throw new Error(`kvsim sweep --jobs ${t.jobs} failed (exit ${run.status}):\n${run.stderr}`);
        const m = JSON.parse(readFileSync(stats, 'utf8')) as { cpu_s: number; main_thread_cpu_s?: number; helper_threads_cpu_s?: number; peak_rss_mb: number };
        t.wall_s.push(wall);
        t.cpu_s.push(m.cpu_s);
        t.peak_rss_mb.push(m.peak_rss_mb);
        let split = '';
        if (m.main_thread_cpu_s !== undefined && m.helper_threads_cpu_s !== undefined) {
          t.main_thread_cpu_s.push(m.main_thread_cpu_s);
          t.helper_threads_cpu_s.push(m.helper_threads_cpu_s);
          const workers = Math.max(0, m.cpu_s - m.main_thread_cpu_s - m.helper_threads_cpu_s);
          split = ` (this thread ${m.main_thread_cpu_s.toFixed(2)}${t.jobs > 1 ? `, worker threads ${workers.toFixed(2)}` : ''}, GC/compiler/libuv threads ${m.helper_threads_cpu_s.toFixed(2)})`;
        }
        log(`  run ${r + 1}/${repeats} --jobs ${t.jobs}: ${wall.toFixed(2)} s wall, ${m.cpu_s.toFixed(2)} CPU s${split}, load ${loadavg()[0].toFixed(2)}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return timings;
}

/** The benchmark's report: per thread count min/median wall and CPU, and the parallel/serial ratios. */
export function sweepReport(timings: readonly SweepTiming[]) {
  const serial = timings.find((t) => t.jobs === 1);
  return timings.map((t) => ({
    jobs: t.jobs,
    wall_s: t.wall_s,
    cpu_s: t.cpu_s,
    wall_min_s: Math.min(...t.wall_s),
    wall_median_s: median(t.wall_s),
    cpu_min_s: Math.min(...t.cpu_s),
    cpu_median_s: median(t.cpu_s),
    ...(t.helper_threads_cpu_s.length ? { main_thread_cpu_s: t.main_thread_cpu_s, helper_threads_cpu_s: t.helper_threads_cpu_s } : {}),
    peak_rss_mb: Math.max(...t.peak_rss_mb),
    ...(serial && t !== serial
      ? {
          wall_ratio_min: Math.min(...t.wall_s) / Math.min(...serial.wall_s),
          wall_ratio_median: median(t.wall_s) / median(serial.wall_s),
          cpu_ratio_median: median(t.cpu_s) / median(serial.cpu_s),
        }
      : {}),
  }));
}
