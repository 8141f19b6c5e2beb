import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Writes all files or none: each goes to a temp file first, then all are renamed into place,
 * so an interrupted or failed run never leaves a half-written result.
 */
export function writeFilesAtomically(dir: string, files: Readonly<Record<string, string>>): void {
  const staged: [string, string][] = [];
  for (const [name, content] of Object.entries(files)) {
    const target = join(dir, name);
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, content);
    staged.push([tmp, target]);
  }
  for (const [tmp, target] of staged) renameSync(tmp, target);
}
