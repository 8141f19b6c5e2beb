/**
 * Shared helpers for tests that run the built CLI (dist/cli/main.js) as a child process, the way a
 * user does. `npm test` builds dist/ before vitest starts; `ensureBuilt()` only builds when
 * dist/cli/main.js is missing (e.g. `npx vitest run test/e2e` on a fresh checkout), the way
 * `npm run build` does.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Project root (the CLI runs with this as its current folder). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = 'dist/cli/main.js';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * Builds dist/ with tsc if the CLI entry is missing. Several test files may call this at once in
 * parallel workers: a lock folder (mkdir is atomic) makes one of them build while the others wait.
 */
export function ensureBuilt(): void {
  const entry = join(ROOT, CLI);
  if (existsSync(entry)) return;
  const lock = join(tmpdir(), `kvsim-test-build-${Buffer.from(ROOT).toString('hex').slice(-24)}.lock`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Someone else is building; a lock older than 3 minutes is left over from a killed run.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000) rmdirSync(lock);
      } catch {
        /* gone already */
      }
      if (existsSync(entry) && !existsSync(lock)) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for another test worker to build ${CLI}`);
      sleep(200);
    }
  }
  try {
    if (existsSync(entry)) return;
    // The build users get: tsc, then the bundle (scripts/bundle.mjs).
    const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', shell: process.platform === 'win32' });
    if (r.status !== 0) throw new Error(`npm run build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmdirSync(lock);
  }
}

/** Runs `node dist/cli/main.js ...args` from the project root and waits for it. */
export function runCli(args: readonly string[], opts: { cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, CLI), ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Same as runCli, but asynchronous, so many error runs can go in parallel. */
export function runCliAsync(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') {
          reject(err);
          return;
        }
        resolvePromise({ status: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A fresh temp folder; `cleanup()` removes every folder it made. */
export function tempDirs(prefix: string): { make: () => string; cleanup: () => void } {
  const made: string[] = [];
  return {
    make: () => {
      const d = mkdtempSync(join(tmpdir(), prefix));
      made.push(d);
      return d;
    },
    cleanup: () => {
      for (const d of made) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** The non-empty lines of a CLI stream. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0);
}
