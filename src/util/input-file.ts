import { statSync, type Stats } from 'node:fs';

/**
 * Input files (scenarios, traces) must be regular files: a FIFO or a character device would block
 * or never end, and a pipe (process substitution `<(...)`) can be read only once while kvsim may
 * read a trace several times (compare, plan). Returns why a path cannot be used, or undefined.
 */
export function notRegularFile(path: string): string | undefined {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'not found';
    if (code === 'ELOOP') return 'is a symbolic link loop (a link that points back to itself)';
    if (code === 'ENOTDIR') return 'not found (a part of the path is a file, not a folder)';
    if (code === 'EACCES') return 'permission denied';
    if (code === 'ENAMETOOLONG') return 'the path is too long';
    return `cannot be read (${code ?? String(e)})`;
  }
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'is a folder, not a file';
  if (st.isFIFO()) return 'is a pipe (a FIFO, or process substitution such as <(...)), not a regular file; kvsim may read an input more than once, so save it to a file first';
  if (st.isCharacterDevice()) return 'is a character device, not a regular file';
  if (st.isBlockDevice()) return 'is a block device, not a regular file';
  if (st.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}
