import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../scenario/input-error.js';
import { notRegularFile } from '../util/input-file.js';

/** One line of a text file, without its terminator ("\n" or "\r\n"). */
export interface Line {
  readonly line: string;
  /** 1-based; blank lines are counted too, so it matches what an editor shows. */
  readonly lineNo: number;
}

export const DEFAULT_BUFFER_SIZE = 1 << 20;
/** Longest line kept in memory (a Mooncake line is ~1 kB; a 128k-token prompt's ids ~2 MB). */
export const MAX_LINE_BYTES = 64 << 20;

const LF = 0x0a;
const CR = 0x0d;

function cannotRead(path: string, err: unknown, whereToGetIt?: string): InputError {
  const msg = err instanceof Error ? err.message : String(err);
  const hint = whereToGetIt && (err as NodeJS.ErrnoException)?.code === 'ENOENT' ? `; ${whereToGetIt}` : '';
  return new InputError(path, '', `cannot read trace file (${msg})${hint}`);
}

/**
 * Throws the same InputError the reader would, but now: lets a caller report a bad path when a
 * workload is opened rather than when the simulation first pulls a request.
 */
export function assertReadable(path: string, whereToGetIt?: string): void {
  const why = notRegularFile(path);
  // A missing trace says where the public traces come from.
  const hint = why === 'not found' && whereToGetIt ? `; ${whereToGetIt}` : '';
  if (why) throw new InputError(path, '', `cannot read trace file: ${why}${hint}`);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw cannotRead(path, e, whereToGetIt);
  }
  closeSync(fd);
}

/**
 * Streams the lines of `path` synchronously, reading `bufferSize` bytes at a time, so memory stays
 * bounded by the buffer plus the longest line. Lines are split on raw bytes before decoding, so a
 * multi-byte UTF-8 character cut by a buffer boundary is decoded intact. Handles "\r\n", a final
 * line without a newline, and a UTF-8 BOM. A file ending with "\n" has no extra empty last line.
 *
 * The file is opened on the first `next()` and closed when iteration ends (also on `break`).
 */
export function* readLines(path: string, bufferSize: number = DEFAULT_BUFFER_SIZE): Generator<Line, void, undefined> {
  if (!Number.isInteger(bufferSize) || bufferSize < 1) {
    throw new RangeError(`readLines: bufferSize must be a positive integer, got ${bufferSize}`);
  }
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw cannotRead(path, e);
  }
  try {
    const buf = Buffer.allocUnsafe(bufferSize);
    // Pieces of a line that started in an earlier chunk (copied: `buf` is reused).
    let carry: Buffer[] = [];
    let carried = 0;
    let lineNo = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, bufferSize, null);
      } catch (e) {
        throw cannotRead(path, e);
      }
      if (n === 0) break;
      // A view of the valid bytes only: stale bytes past `n` must not be searched.
      const chunk = n === bufferSize ? buf : buf.subarray(0, n);
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(LF, start);
        if (nl === -1) {
          if (start < n) {
            carry.push(Buffer.from(chunk.subarray(start, n)));
            carried += n - start;
            if (carried > MAX_LINE_BYTES) {
              throw new InputError(path, `line ${lineNo + 1}`, `longer than ${MAX_LINE_BYTES >> 20} MB without a line break; not a trace line`);
            }
          }
          break;
        }
        let end = nl;
        let text: string;
        if (carry.length > 0) {
          carry.push(chunk.subarray(start, end));
          const whole = Buffer.concat(carry);
          carry = [];
          carried = 0;
          const len = whole.length > 0 && whole[whole.length - 1] === CR ? whole.length - 1 : whole.length;
          text = whole.toString('utf8', 0, len);
        } else {
          if (end > start && chunk[end - 1] === CR) end--;
          text = chunk.toString('utf8', start, end);
        }
        start = nl + 1;
        lineNo++;
        if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        yield { line: text, lineNo };
      }
    }
    if (carry.length > 0) {
      const whole = Buffer.concat(carry);
      const len = whole[whole.length - 1] === CR ? whole.length - 1 : whole.length;
      let text = whole.toString('utf8', 0, len);
      lineNo++;
      if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      yield { line: text, lineNo };
    }
  } finally {
    closeSync(fd);
  }
}
