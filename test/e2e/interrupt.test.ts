import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './cli-helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kvsim-int-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** User + system CPU seconds of a live process (Linux /proc; 0 elsewhere). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

describe('Ctrl-C', () => {
  it('interrupting a run stops it and leaves no output folder and no temp files', async () => {
    ensureBuilt();
    const out = join(dir, 'out');
    const scenario = 'scenarios/large.yaml';
    expect(existsSync(join(ROOT, scenario))).toBe(true);
    // An hour of the large scenario simulates for tens of seconds: it is surely interrupted mid-run.
    const child = spawn(process.execPath, ['dist/cli/main.js', 'run', scenario, '--set', 'workload.duration=1 h', '--out', out], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    // Interrupt once the child has spent 2 s of CPU (start-up and loading take ~0.5 s: it is
    // simulating by then), read from /proc where there is one, else after 3 s of wall time.
    let runningWhenInterrupted = false;
    const started = Date.now();
    const poll = setInterval(() => {
      if (cpuSeconds(child.pid!) < 2 && Date.now() - started < (existsSync('/proc') ? 30_000 : 3_000)) return;
      clearInterval(poll);
      // Still running (a bad scenario or argument would have exited 2 by now).
      runningWhenInterrupted = child.exitCode === null && child.signalCode === null;
      child.kill('SIGINT');
    }, 100);
    const { code, signal } = await done;
    expect(stderr).toBe('');
    expect(runningWhenInterrupted).toBe(true);
    // Ended by the interrupt itself, not by finishing or failing.
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGINT' });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
