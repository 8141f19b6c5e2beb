import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes collected before one write to the spool. */
const FLUSH_AT = 1 << 20;
let counter = 0;

/**
 * A file written while the simulation runs, too large to hold as one string (V8 strings stop at
 * ~512 MB; requests.csv of 10M requests is ~2 GB). It lives in the OS temp folder and is unlinked
 * as soon as it is opened, so a crash or Ctrl-C (the simulation is synchronous: no handler could
 * run) leaves nothing behind; publishing copies it next to its target, then renames it in place.
 */
export class SpoolFile {
  private fd: number;
  /**
   * Text is encoded into this buffer as it is appended, then written in one call when full: no
   * string outlives its `append` (thousands of buffered rows would survive young-generation GCs
   * and be copied by each).
   */
  private readonly chunk: Buffer;
  private used = 0;
  private bytes = 0;

  /** `chunkBytes`: bytes buffered before one write (small in tests, to cross chunk boundaries). */
  constructor(chunkBytes = FLUSH_AT) {
    const path = join(tmpdir(), `kvsim-${process.pid}-${counter++}.spool`);
    this.fd = openSync(path, 'wx+', 0o600);
    unlinkSync(path);
    this.chunk = Buffer.allocUnsafe(chunkBytes);
  }

  get size(): number {
    return this.bytes + this.used;
  }

  append(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units).
    const most = 3 * text.length;
    if (this.used + most > this.chunk.length) {
      this.flush();
      if (most > this.chunk.length) {
        this.writeAll(Buffer.from(text), Buffer.byteLength(text));
        return;
      }
    }
    this.used += this.chunk.write(text, this.used);
  }

  /** The first `length` bytes of `bytes` (copied: the caller may reuse its buffer). */
  appendBytes(bytes: Uint8Array, length: number): void {
    if (this.used + length > this.chunk.length) {
      this.flush();
      if (length > this.chunk.length) {
        this.writeAll(bytes, length);
        return;
      }
    }
    this.chunk.set(bytes.subarray(0, length), this.used);
    this.used += length;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.writeAll(this.chunk, this.used);
    this.used = 0;
  }

  private writeAll(buf: Uint8Array, length: number): void {
    let off = 0;
    while (off < length) off += writeSync(this.fd, buf, off, length - off, this.bytes + off);
    this.bytes += length;
  }

  /** Writes the whole content to the open file descriptor `out`. */
  copyTo(out: number): void {
    this.flush();
    const chunk = Buffer.allocUnsafe(FLUSH_AT);
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
    this.flush();
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
