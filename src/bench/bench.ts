/**
 * `npm run bench`: simulator speed and memory at scale. Each case runs `kvsim run` in a child
 * process (start-up, simulation and output files included; charts only for the conversation
 * trace, as a user would run it) and reports wall s, CPU s (user + system: the machine may be
 * shared, wall time alone would mislead), events, events and requests per CPU second, peak RSS.
 * Updates bench.json (the cases run, the others kept). The 1M / 100k CPU ratio is measured in the same
 * invocation.
 *
 *   npm run bench                     every case but the whole production day and sweep64
 *   npm run bench -- conversation large-100k   only these (production-day: the whole 24 h)
 *   npm run bench -- sweep64 [--repeats N]     the 64-run sweep on 1 and 2 threads (sweep-bench.ts;
 *                                              sweep64-medium: the same grid on medium.yaml,
 *                                              sweep64-medium-1h: over a peak hour)
 *
 * Speed is measured here, never asserted in tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SWEEPS, sweepReport, timeSweep } from './sweep-bench.js';

interface Case {
  label: string;
  file: string;
  sets: string[];
  charts: boolean;
  /** Skipped when this file is absent (the Mooncake traces live outside the repository). */
  needs?: string;
  /** Too long for the default run: only when named on the command line. */
  onlyWhenNamed?: boolean;
}

interface Measured {
  wall_s: number;
  cpu_s: number;
  peak_rss_mb: number;
  events: number;
  requests: number;
  simulated_s: number;
  stable: boolean | null;
  verdict: string | null;
}

// large.yaml carries the recipe's expectations; checking them needs every request's record, so
// the scale cases drop them ({}) and measure the simulation with bounded memory.
const largeN = (n: number): string[] => [`workload.num_requests=${n}`, 'workload.duration=200 h', 'expectations={}'];
const CASES: Case[] = [
  { label: 'conversation', file: 'scenarios/conversation-trace.yaml', sets: [], charts: true, needs: resolve('../shared/traces/conversation_trace.jsonl') },
  { label: 'large-100k', file: 'scenarios/large.yaml', sets: largeN(100_000), charts: false },
  { label: 'large-1M', file: 'scenarios/large.yaml', sets: largeN(1_000_000), charts: false },
  // The first simulated hour of the production day (~420k requests): the whole day (~10M) takes
  // ~24x as long, so it runs only when named: npm run bench -- production-day
  { label: 'production-day-1h', file: 'scenarios/production-day.yaml', sets: ['workload.duration=1 h'], charts: false },
  { label: 'production-day', file: 'scenarios/production-day.yaml', sets: [], charts: false, onlyWhenNamed: true },
];

const argv = process.argv.slice(2);
const repeatsAt = argv.indexOf('--repeats');
const repeats = repeatsAt >= 0 ? Number(argv[repeatsAt + 1]) : 3;
const only = repeatsAt < 0 ? argv : argv.filter((_, i) => i !== repeatsAt && i !== repeatsAt + 1);
if (!(repeats >= 1)) throw new Error('--repeats: expected a whole number from 1');
const runner = fileURLToPath(new URL('./bench-case.js', import.meta.url));
const results: Record<string, Measured & { events_per_cpu_s: number; requests_per_cpu_s: number }> = {};

const head = ['case', 'requests', 'events', 'wall s', 'CPU s', 'Mevents/CPU-s', 'req/CPU-s', 'peak RSS MB'];
const widths = [16, 11, 13, 9, 9, 14, 11, 12];
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('');
const selected = CASES.filter((c) => (only.length ? only.includes(c.label) : !c.onlyWhenNamed));
if (selected.length) console.log(line(head));
for (const c of selected) {
  if (c.needs && !existsSync(c.needs)) {
    console.warn(`bench: skipping ${c.label}: ${c.needs} not found`);
    continue;
  }
  const out = mkdtempSync(join(tmpdir(), `kvsim-bench-${c.label}-`));
  try {
    const args = [runner, c.file, out, c.charts ? '1' : '0', ...c.sets.flatMap((s) => ['--set', s])];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) {
      console.error(`bench: ${c.label} failed (exit ${r.status}):\n${r.stderr}`);
      process.exitCode = 1;
      continue;
    }
    const m = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Measured;
    results[c.label] = { ...m, events_per_cpu_s: m.events / m.cpu_s, requests_per_cpu_s: m.requests / m.cpu_s };
    console.log(
      line([
        c.label,
        m.requests.toLocaleString('en-US'),
        m.events.toLocaleString('en-US'),
        m.wall_s.toFixed(2),
        m.cpu_s.toFixed(2),
        (m.events / m.cpu_s / 1e6).toFixed(2),
        Math.round(m.requests / m.cpu_s).toLocaleString('en-US'),
        m.peak_rss_mb.toFixed(0),
      ]),
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
// Not simulator-speed cases: the sweep's parallel speed-up (issue 12's target), only when named.
const sweeps: Record<string, ReturnType<typeof sweepReport>> = {};
for (const [name, args] of Object.entries(SWEEPS)) {
  if (!only.includes(name)) continue;
  console.log(`${name}: 64 runs (${args.slice(0, 2).join(' ')}), --jobs 1 and 2 alternating, ${repeats} times each (load ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
  const report = sweepReport(timeSweep(args, [1, 2], repeats, (l) => console.log(l)));
  sweeps[name] = report;
  for (const t of report) {
    const ratio = 'wall_ratio_median' in t ? `; vs --jobs 1: wall ${t.wall_ratio_median!.toFixed(2)}x (median), ${t.wall_ratio_min!.toFixed(2)}x (min), CPU ${t.cpu_ratio_median!.toFixed(2)}x` : '';
    console.log(`  --jobs ${t.jobs}: wall min ${t.wall_min_s.toFixed(2)} s, median ${t.wall_median_s.toFixed(2)} s; CPU min ${t.cpu_min_s.toFixed(2)} s, median ${t.cpu_median_s.toFixed(2)} s${ratio}`);
  }
}
const small = results['large-100k'];
const big = results['large-1M'];
const ratio = small && big ? big.cpu_s / small.cpu_s : null;
if (ratio !== null) console.log(`large 1M / 100k CPU time: ${ratio.toFixed(2)}x (10x = linear)`);
// Cases run now replace their entries; the others keep their last measurement (the 1M / 100k
// ratio only when both ran in this invocation).
const previous = (existsSync('bench.json') ? JSON.parse(readFileSync('bench.json', 'utf8')) : {}) as Record<string, unknown>;
const merged = {
  ...previous,
  node: process.version,
  cases: { ...(previous.cases as object | undefined), ...results },
  ratio_1m_100k_cpu: ratio ?? previous.ratio_1m_100k_cpu ?? null,
  ...sweeps,
};
writeFileSync('bench.json', `${JSON.stringify(merged, null, 2)}\n`);
console.log('updated bench.json');
