/**
 * One benchmark case in its own process, so peak RSS and CPU time are that case's alone: runs
 * the CLI as users run it (`dist/cli/main.js`: the bundle, with its code cache) in this process,
 * start-up included, and prints one JSON line of measurements when the process exits.
 * Usage: node dist/bench/bench-case.js SCENARIO OUT_DIR CHARTS(0|1) [--set k=v ...]
 */
import { readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const [scenario, out, charts, ...sets] = process.argv.slice(2);
const cli = new URL('../cli/main.js', import.meta.url);

process.on('exit', (code) => {
  if (code !== 0) return;
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
    sim: { events: number };
    requests: { total: number };
    makespan_s: number;
    stability?: { stable: boolean; verdict: string };
  };
  const cpu = process.cpuUsage();
  // Synchronous: an exit handler's asynchronous writes to a pipe may be lost.
  writeSync(
    1,
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
});
// What `node dist/cli/main.js run SCENARIO --out OUT_DIR --quiet [--no-charts] --set ...` sees.
process.argv = [process.argv[0], cli.pathname, 'run', scenario, '--out', out, '--quiet', ...(charts === '1' ? [] : ['--no-charts']), ...sets];
await import(cli.href);
