import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes read per call when the spool is copied out. */
const COPY_CHUNK = 1 << 20;
let counter = 0;

/**
 * A file written while the simulation runs, too large to hold as one string (V8 strings stop at
 * ~512 MB; requests.csv of 10M requests is ~2 GB). It lives in the OS temp folder and is unlinked
 * as soon as it is opened, so a crash or Ctrl-C (the simulation is synchronous: no handler could
 * run) leaves nothing behind; publishing copies it next to its target, then renames it in place.
 * Writers hand it large blocks (ByteRows composes rows in a megabyte before handing them over),
 * so it writes each block through, unbuffered.
 */
export class SpoolFile {
  private fd: number;
  private bytes = 0;

  constructor() {
    const path = join(tmpdir(), `kvsim-${process.pid}-${counter++}.spool`);
    this.fd = openSync(path, 'wx+', 0o600);
    unlinkSync(path);
  }

  get size(): number {
    return this.bytes;
  }

  /** Writes the first `length` bytes of `bytes` at the end of the file. */
  append(bytes: Uint8Array, length = bytes.length): void {
    let off = 0;
    while (off < length) off += writeSync(this.fd, bytes, off, length - off, this.bytes + off);
    this.bytes += length;
  }

  /** Writes the whole content to the open file descriptor `out`. */
  copyTo(out: number): void {
    const chunk = Buffer.allocUnsafe(COPY_CHUNK);
    let pos = 0;
    while (pos < this.bytes) {
      const n = readSync(this.fd, chunk, 0, Math.min(chunk.length, this.bytes - pos), pos);
      if (n === 0) break;
      let off = 0;
      while (off < n) off += writeSync(out, chunk, off, n - off);
      pos += n;
    }
  }

  /** The content as a string (small files and tests). */
  text(): string {
    const buf = Buffer.alloc(this.bytes);
    let pos = 0;
    while (pos < this.bytes) pos += readSync(this.fd, buf, pos, this.bytes - pos, pos);
    return buf.toString();
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
