import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../scenario/input-error.js';
import { SpoolFile } from './spool-file.js';

/** A result file: its text, or a spool written during the run (too large for one string). */
export type FileContent = string | SpoolFile;

/**
 * Writes all files or none: each goes to a temp file first, then all are renamed into place,
 * so an interrupted or failed run never leaves a half-written result. An output folder that
 * cannot be written (a file in the way, no permission) is the user's input error.
 */
export function writeFilesAtomically(dir: string, files: Readonly<Record<string, FileContent>>): void {
  const staged: [string, string][] = [];
  try {
    for (const [name, content] of Object.entries(files)) {
      const target = join(dir, name);
      mkdirSync(dirname(target), { recursive: true });
      const tmp = `${target}.${process.pid}.tmp`;
      staged.push([tmp, target]);
      if (content instanceof SpoolFile) {
        const fd = openSync(tmp, 'w');
        try {
          content.copyTo(fd);
        } finally {
          closeSync(fd);
        }
      } else writeFileSync(tmp, content);
    }
  } catch (e) {
    for (const [tmp] of staged) rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    throw new InputError('--out', dir, `cannot write the results there (${err.code ?? err.message}); choose another folder`);
  }
  for (const [tmp, target] of staged) renameSync(tmp, target);
}
