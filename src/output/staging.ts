import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { SpoolFile } from '../report/spool-file.js';
import { InputError } from '../scenario/input-error.js';
import { OUTPUT_MARKER } from './out-dir.js';
import { removeOnExit, whileWriting } from './signals.js';

/**
 * All-or-nothing publishing of a run's outputs. Writers put every file into a staging folder
 * beside the target (same file system, so renames are atomic); `publish()` then swaps folders:
 * the old results move aside, the staging folder takes the target's name, the old folder is
 * deleted. A reader sees the old results or the new ones, never a mix of two runs (a `--no-charts`
 * rerun leaves no stale charts/), and a failure or signal before the swap leaves the old results
 * untouched and no temp files behind.
 *
 * Streaming writers (e.g. requests.csv written during the simulation) open the staging early and
 * write into `staging.path(name)`.
 */

/** A result file: its text or bytes, or a spool written during the run (too large for one string). */
export type FileContent = string | Uint8Array | SpoolFile;

/** `.<target>.kvsim-<pid>-<random>.staging|.old`: hidden, named after its owner process. */
const TEMP_NAME = /^\.(.+)\.kvsim-(\d+)-[A-Za-z0-9]+\.(staging|old)$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp folders beside `target` left by kvsim processes that no longer exist (killed mid-run). */
function sweepStale(parent: string, target: string): void {
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const e of entries) {
    const m = TEMP_NAME.exec(e);
    if (m && m[1] === target && Number(m[2]) !== process.pid && !alive(Number(m[2]))) {
      rmSync(join(parent, e), { recursive: true, force: true });
    }
  }
}

function cannotWrite(target: string, e: unknown): InputError {
  const err = e as NodeJS.ErrnoException;
  return new InputError('--out', target, `cannot write the results there (${err.code ?? err.message}); choose another folder`);
}

export class OutputStaging {
  /** The staging folder: write every output file in here. */
  readonly dir: string;
  private done = false;
  private readonly release: () => void;

  private constructor(readonly target: string) {
    const parent = dirname(target);
    try {
      mkdirSync(parent, { recursive: true });
      sweepStale(parent, basename(target));
      this.dir = mkdtempSync(join(parent, `.${basename(target)}.kvsim-${process.pid}-`));
    } catch (e) {
      throw cannotWrite(target, e);
    }
    // mkdtemp only appends random characters: give the folder its recognisable suffix.
    const named = `${this.dir}.staging`;
    renameSync(this.dir, named);
    this.dir = named;
    this.release = removeOnExit(this.dir);
  }

  /** Opens a staging folder for results that will replace `target` (an absolute, checked path: see resolveOutDir). */
  static open(target: string): OutputStaging {
    return new OutputStaging(target);
  }

  /** Absolute path of output `name` (relative, may have sub-folders) inside the staging folder; creates its folder. */
  path(name: string): string {
    const rel = normalize(name);
    if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`) || rel === '.' || rel === '') {
      throw new Error(`output file name must stay inside the output folder: ${JSON.stringify(name)}`);
    }
    const full = join(this.dir, rel);
    try {
      mkdirSync(dirname(full), { recursive: true });
    } catch (e) {
      throw cannotWrite(this.target, e);
    }
    return full;
  }

  write(name: string, content: FileContent): void {
    const full = this.path(name);
    try {
      if (content instanceof SpoolFile) {
        const fd = openSync(full, 'w');
        try {
          content.copyTo(fd);
        } finally {
          closeSync(fd);
        }
      } else writeFileSync(full, content);
    } catch (e) {
      throw cannotWrite(this.target, e);
    }
  }

  /** Swaps the staging folder in as the target, replacing any earlier results as a whole. */
  publish(): void {
    if (this.done) throw new Error('output staging already published or discarded');
    this.write(OUTPUT_MARKER, 'Results folder written by kvsim; replaced as a whole by the next run.\n');
    const old = this.dir.replace(/\.staging$/, '.old');
    // Concurrent runs into the same folder: another may publish between our two renames; move
    // its results aside too and try again, so the last to publish wins with a complete run.
    for (let attempt = 1; ; attempt++) {
      let moved = false;
      try {
        try {
          renameSync(this.target, old);
          moved = true;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
        renameSync(this.dir, this.target);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const raced = (code === 'ENOTEMPTY' || code === 'EEXIST') && attempt < 10;
        if (moved) {
          // Lost a race: what we moved aside is older than what now sits at the target. Otherwise
          // put the earlier results back: a failed publish leaves them as they were.
          if (raced) rmSync(old, { recursive: true, force: true });
          else renameSync(old, this.target);
        }
        if (raced) continue;
        this.discard();
        throw cannotWrite(this.target, e);
      }
      if (moved) rmSync(old, { recursive: true, force: true });
      break;
    }
    this.done = true;
    this.release();
  }

  /** Removes the staging folder; earlier results stay as they were. */
  discard(): void {
    if (this.done) return;
    this.done = true;
    rmSync(this.dir, { recursive: true, force: true });
    this.release();
  }
}

/** Test hook: KVSIM_TEST_PAUSE_AFTER_FILES=k pauses (asynchronously) after k staged files, so a test can signal mid-write. */
async function testPause(written: number): Promise<void> {
  const at = process.env.KVSIM_TEST_PAUSE_AFTER_FILES;
  if (at === undefined || Number(at) !== written) return;
  process.stderr.write(`kvsim-test: paused after ${written} files\n`);
  await new Promise((r) => setTimeout(r, 10_000));
}

/**
 * Writes `files` (relative name -> content), then the files `more` produces asynchronously (chart
 * rendering), into a staging folder for `target` and publishes them as one step. SIGINT/SIGTERM
 * meanwhile remove the staging folder (signals.ts) and leave earlier results untouched.
 */
export async function publishOutputs(
  target: string,
  files: Readonly<Record<string, FileContent>>,
  more?: () => Promise<Readonly<Record<string, FileContent>>>,
): Promise<void> {
  await whileWriting(async () => {
    const staging = OutputStaging.open(target);
    try {
      let n = 0;
      const writeAll = async (batch: Readonly<Record<string, FileContent>>) => {
        for (const [name, content] of Object.entries(batch)) {
          staging.write(name, content);
          await testPause(++n);
        }
      };
      await writeAll(files);
      if (more) await writeAll(await more());
      staging.publish();
    } catch (e) {
      staging.discard();
      throw e;
    }
  });
}
