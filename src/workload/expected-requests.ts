import { closeSync, openSync, readSync } from 'node:fs';
import type { Scenario } from '../scenario/schema.js';
import { notRegularFile } from '../util/input-file.js';

const LF = 0x0a;
const CHUNK_BYTES = 1 << 20;

/**
 * About how many requests a scenario's workload hands out, counted no further than `cap` + 1 (a
 * caller asking "is this run short?" needs no more). Synthetic: the smaller of num_requests and
 * rate × duration (sessions keep the request rate at ~rate). Trace: its lines, at most `limit`;
 * lines before `start` or blank ones are counted too, so a trace's figure is an upper bound.
 * Reads a trace only until more than `cap` lines are found; one it cannot read, or that is not a
 * regular file (opening a FIFO would wait for a writer), counts as long: the run reports it itself.
 */
export function expectedRequests(s: Scenario, cap: number): number {
  const w = s.workload;
  if (w.type === 'synthetic') {
    const byTime = w.duration === undefined ? Infinity : w.arrival.rate * w.duration;
    return Math.min(w.num_requests ?? Infinity, byTime, cap + 1);
  }
  return Math.min(w.limit ?? Infinity, linesUpTo(w.path, cap + 1));
}

/** Lines of `path` (a last line without a break included), counting no further than `most`. */
function linesUpTo(path: string, most: number): number {
  if (notRegularFile(path) !== undefined) return most;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return most;
  }
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let lines = 0;
    let lastByte = LF;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      const chunk = n === CHUNK_BYTES ? buf : buf.subarray(0, n); // stale bytes past n are not this file's
      for (let at = chunk.indexOf(LF); at !== -1; at = chunk.indexOf(LF, at + 1)) {
        if (++lines >= most) return most;
      }
      lastByte = chunk[n - 1];
    }
    return lastByte === LF ? lines : Math.min(most, lines + 1);
  } catch {
    return most;
  } finally {
    closeSync(fd);
  }
}
