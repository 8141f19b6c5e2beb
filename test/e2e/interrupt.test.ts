import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './cli-helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kvsim-int-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Ctrl-C', () => {
  it('interrupting a run stops it and leaves no output folder and no temp files', async () => {
    ensureBuilt();
    const out = join(dir, 'out');
    // An hour of the large scenario simulates for tens of seconds: it is surely interrupted mid-run.
    const child = spawn(process.execPath, ['dist/cli/main.js', 'run', 'scenarios/large.yaml', '--set', 'workload.duration=1 h', '--out', out], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    setTimeout(() => child.kill('SIGINT'), 1500);
    const { code, signal } = await done;
    expect(code === 0).toBe(false);
    expect(signal === 'SIGINT' || (code !== null && code !== 0)).toBe(true);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
