import { type FileContent, OutputStaging } from '../output/staging.js';

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
