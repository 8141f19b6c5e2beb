/**
 * One `kvsim` command in this process, for the sweep benchmark: runs the CLI with the given
 * arguments and, at exit, writes this process's CPU time (user + system over all of its threads,
 * worker threads included) and peak RSS as JSON to OUT_JSON; on Linux also the CPU time of this
 * thread and of the threads still alive at exit (V8's GC and compiler threads, libuv's pool): the
 * rest is the worker threads', which have ended by then.
 * Usage: node dist/bench/sweep-case.js OUT_JSON kvsim-args...
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** CPU seconds of each live thread of this process (Linux /proc; first field of schedstat: ns on CPU). */
function threadCpu(): Map<number, number> | undefined {
  try {
    const tids = readdirSync('/proc/self/task').map(Number);
    return new Map(tids.map((tid) => [tid, Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e9]));
  } catch {
    return undefined;
  }
}

const [out, ...args] = process.argv.slice(2);
process.on('exit', () => {
  const cpu = process.cpuUsage();
  const cpu_s = (cpu.user + cpu.system) / 1e6;
  const threads = threadCpu();
  const main_thread_cpu_s = threads?.get(process.pid);
  const helper_threads_cpu_s = threads ? [...threads].reduce((sum, [tid, s]) => (tid === process.pid ? sum : sum + s), 0) : undefined;
  writeFileSync(out, JSON.stringify({ cpu_s, main_thread_cpu_s, helper_threads_cpu_s, peak_rss_mb: process.resourceUsage().maxRSS / 1024 }));
});
// The CLI reads its arguments from process.argv, as when started as `kvsim`.
process.argv = [process.argv[0], fileURLToPath(new URL('../cli/main.js', import.meta.url)), ...args];
await import('../cli/main.js');
