import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { type FileContent, OutputStaging } from '../output/staging.js';
import { InputError } from '../scenario/input-error.js';

export type { FileContent };

/**
 * Synchronous all-or-nothing publishing of `files` into `dir` (replaced as a whole). Prefer
 * `publishOutputs` (src/output/staging.ts): it also cleans up on SIGINT/SIGTERM during the write.
 * `dir` should have been checked with `resolveOutDir` before the run.
 */
export function writeFilesAtomically(dir: string, files: Readonly<Record<string, FileContent>>): void {
  const staging = OutputStaging.open(dir);
  try {
    for (const [name, content] of Object.entries(files)) staging.write(name, content);
    staging.publish();
  } catch (e) {
    staging.discard();
    throw e;
  }
}

/**
 * One file written whole or not at all (temp file beside it, then a rename), leaving the rest of
 * its folder alone: for outputs that live among the user's own files (`regress --save-baseline`),
 * where replacing the folder as a whole (writeFilesAtomically) would delete them. `flag` names the
 * option in the error.
 */
export function writeFileAtomically(flag: string, path: string, content: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    throw new InputError(flag, path, `cannot write the file there (${err.code ?? err.message}); choose another path`);
  }
}
