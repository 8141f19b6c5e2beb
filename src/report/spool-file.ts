import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes of text collected before one write to the spool. */
const FLUSH_AT = 1 << 20;
let counter = 0;

/** Appends text to an open file descriptor from byte `at` on, in writes of ~1 MB. */
export class FileAppender {
  private buffered: string[] = [];
  private bufferedChars = 0;

  constructor(
    private readonly fd: number,
    /** Bytes written so far (the next write goes there). */
    public bytes = 0,
  ) {}

  /** Bytes written plus those still buffered. */
  get size(): number {
    return this.bytes + Buffer.byteLength(this.buffered.join(''));
  }

  append(text: string): void {
    this.buffered.push(text);
    this.bufferedChars += text.length;
    if (this.bufferedChars >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.buffered.length === 0) return;
    const buf = Buffer.from(this.buffered.join(''));
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off, this.bytes + off);
    this.bytes += buf.length;
    this.buffered = [];
    this.bufferedChars = 0;
  }
}

/**
 * A file written while the simulation runs, too large to hold as one string (V8 strings stop at
 * ~512 MB; requests.csv of 10M requests is ~2 GB). It lives in the OS temp folder and is unlinked
 * as soon as it is opened, so a crash or Ctrl-C (the simulation is synchronous: no handler could
 * run) leaves nothing behind; publishing copies it next to its target, then renames it in place.
 * Another thread of the process may append to it through `fd` (see csv-worker.ts), then report
 * what it wrote with `appended`.
 */
export class SpoolFile {
  private fd: number;
  private readonly out: FileAppender;

  constructor() {
    const path = join(tmpdir(), `kvsim-${process.pid}-${counter++}.spool`);
    this.fd = openSync(path, 'wx+', 0o600);
    unlinkSync(path);
    this.out = new FileAppender(this.fd);
  }

  get size(): number {
    return this.out.size;
  }

  /** The open descriptor, for a writer thread; it appends from byte `size` on. */
  get descriptor(): number {
    this.out.flush();
    return this.fd;
  }

  /** Counts `bytes` another thread appended through `descriptor`. */
  appended(bytes: number): void {
    this.out.bytes += bytes;
  }

  append(text: string): void {
    this.out.append(text);
  }

  /** Writes the whole content to the open file descriptor `out`. */
  copyTo(out: number): void {
    this.out.flush();
    const chunk = Buffer.allocUnsafe(FLUSH_AT);
    let pos = 0;
    while (pos < this.out.bytes) {
      const n = readSync(this.fd, chunk, 0, Math.min(chunk.length, this.out.bytes - pos), pos);
      if (n === 0) break;
      let off = 0;
      while (off < n) off += writeSync(out, chunk, off, n - off);
      pos += n;
    }
  }

  /** The content as a string (small files and tests). */
  text(): string {
    this.out.flush();
    const buf = Buffer.alloc(this.out.bytes);
    let pos = 0;
    while (pos < this.out.bytes) pos += readSync(this.fd, buf, pos, this.out.bytes - pos, pos);
    return buf.toString();
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
