/**
 * One benchmark case in its own process, so peak RSS and CPU time are that case's alone: runs
 * `kvsim run` in-process (start-up included) and prints one JSON line of measurements.
 * Usage: node dist/bench/bench-case.js SCENARIO OUT_DIR CHARTS(0|1) [--set k=v ...]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../cli/run-command.js';

const [scenario, out, charts, ...rest] = process.argv.slice(2);
const sets: string[] = [];
for (let i = 0; i < rest.length; i++) if (rest[i] === '--set') sets.push(rest[++i]);

await runCommand({ scenario, out, sets, quiet: true, charts: charts === '1', seeds: {}, jobs: 1 });
const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
  sim: { events: number };
  requests: { total: number };
  makespan_s: number;
  stability?: { stable: boolean; verdict: string };
};
const cpu = process.cpuUsage();
process.stdout.write(
  `${JSON.stringify({
    wall_s: performance.now() / 1000,
    cpu_s: (cpu.user + cpu.system) / 1e6,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    events: summary.sim.events,
    requests: summary.requests.total,
    simulated_s: summary.makespan_s,
    stable: summary.stability?.stable ?? null,
    verdict: summary.stability?.verdict ?? null,
  })}\n`,
);
