/**
 * One `kvsim` command in this process, for the sweep benchmark: runs the CLI with the given
 * arguments and, at exit, writes this process's CPU time (user + system over all of its threads,
 * worker threads included) and peak RSS as JSON to OUT_JSON.
 * Usage: node dist/bench/sweep-case.js OUT_JSON kvsim-args...
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [out, ...args] = process.argv.slice(2);
process.on('exit', () => {
  const cpu = process.cpuUsage();
  writeFileSync(out, JSON.stringify({ cpu_s: (cpu.user + cpu.system) / 1e6, peak_rss_mb: process.resourceUsage().maxRSS / 1024 }));
});
// The CLI reads its arguments from process.argv, as when started as `kvsim`.
process.argv = [process.argv[0], fileURLToPath(new URL('../cli/main.js', import.meta.url)), ...args];
await import('../cli/main.js');
