/**
 * Reader for the Mooncake trace format (https://github.com/kvcache-ai/Mooncake, FAST25-release/traces):
 * one JSON object per line,
 * {"timestamp": ms, "input_length": n, "output_length": n, "hash_ids": [...]}, 512-token blocks.
 *
 * Policies for edge cases, chosen after measuring both public traces (conversation: 12,031
 * requests; synthetic: 3,993 requests; every line of both satisfies all of these):
 * - Blank (whitespace-only) lines are skipped; they still count for `line N` in errors.
 * - `timestamp`, `input_length`, `output_length` must be integers (JSON `5.0` is accepted as 5).
 *   `timestamp` >= 0, `input_length` >= 1, `output_length` >= 1. Neither trace has a 0 output
 *   length (minimum is 1 in both), so 0 is rejected rather than silently patched: a trace that
 *   has one is likely not a Mooncake trace, and Request.outputTokens promises >= 1.
 * - `hash_ids` must be an array of non-negative integers of length exactly
 *   ceil(input_length / 512). Both traces match this on 100% of lines, so no tolerance is
 *   allowed: a mismatch means a different block size or a corrupted line.
 * - Timestamps must be non-decreasing (both traces are sorted; equal timestamps are common: the
 *   conversation trace's arrivals are quantised to ~3 s, 1,180 distinct values). A decrease is
 *   an error naming both lines, because silently re-sorting would need the whole file in memory.
 * - Extra keys are ignored, for forward compatibility.
 * - An id may not repeat within one line: a chained id names its whole prefix, so a repeat is
 *   corruption (and would double-count a block in the prefix cache).
 * - Hash chaining across lines (same id => same prefix) is not checked: it holds in both traces
 *   but checking it would need a map of every id ever seen.
 */
import { InputError } from '../scenario/input-error.js';
import { showValue, truncate } from '../util/show-value.js';
import { assertReadable, readLines } from './line-reader.js';
import type { Request, Workload } from './request.js';

export const MOONCAKE_BLOCK_SIZE = 512;
/**
 * Plausibility bounds of one line. Timestamps count milliseconds from the start of the trace:
 * ~3 years is far beyond any published trace (both Mooncake traces span about an hour), while
 * epoch milliseconds (1.7e12 today) are far above it. Lengths above 10M tokens exceed any model.
 */
export const MAX_TRACE_TIMESTAMP_MS = 1e11;
export const MAX_TRACE_TOKENS = 10_000_000;

/** Where the public Mooncake traces come from, for the "trace not found" error. */
export const MOONCAKE_TRACE_SOURCE =
  'the public Mooncake traces (conversation_trace.jsonl, synthetic_trace.jsonl, toolagent_trace.jsonl) are in github.com/kvcache-ai/Mooncake under FAST25-release/traces';

export interface TraceOptions {
  /** Multiplies inter-arrival times: 0.5 replays twice as fast. Default 1. */
  timeScale?: number;
  /** Maximum number of requests to yield. Default: all. */
  limit?: number;
  /** Seconds: skip requests before this trace time and rebase arrivals to 0. Default 0. */
  startOffset?: number;
  /** Drop malformed lines (counted in `skippedLines`) instead of failing on the first one. */
  skipBadLines?: boolean;
}

function checkOptions(opts: TraceOptions): Required<Omit<TraceOptions, 'skipBadLines'>> {
  const { timeScale = 1, limit = Infinity, startOffset = 0 } = opts;
  if (!(Number.isFinite(timeScale) && timeScale > 0)) {
    throw new InputError('scenario', 'workload.timeScale', `must be a number > 0, got ${timeScale}`);
  }
  if (!(limit === Infinity || (Number.isInteger(limit) && limit >= 0))) {
    throw new InputError('scenario', 'workload.limit', `must be an integer >= 0, got ${limit}`);
  }
  if (!(Number.isFinite(startOffset) && startOffset >= 0)) {
    throw new InputError('scenario', 'workload.startOffset', `must be a number of seconds >= 0, got ${startOffset}`);
  }
  return { timeScale, limit, startOffset };
}

const show = showValue;

/** Strictly increasing ids cannot repeat (every line of both public traces): no Set needed to check them. */
function increasing(xs: readonly number[]): boolean {
  for (let i = 1; i < xs.length; i++) if (!(xs[i - 1] < xs[i])) return false;
  return true;
}

function tooManyTokens(path: string, field: string, key: string, n: number): InputError {
  return new InputError(path, field, `"${key}" ${n} is above the plausible ${MAX_TRACE_TOKENS.toLocaleString('en-US')} tokens`);
}

/** One trace line as a request's fields, or an InputError naming the line. */
function parseLine(path: string, line: string, lineNo: number, prevTs: number, prevLine: number): { t: number; inLen: number; outLen: number; hashes: number[] } {
  const field = `line ${lineNo}`;
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch (e) {
    throw new InputError(path, field, `invalid JSON (${truncate(e instanceof Error ? e.message : String(e))})`);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    throw new InputError(path, field, `expected a JSON object with timestamp, input_length, output_length, hash_ids`);
  }
  const r = o as Record<string, unknown>;
  const ts = r.timestamp;
  const inLen = r.input_length;
  const outLen = r.output_length;
  const hashes = r.hash_ids;
  if (!Number.isSafeInteger(ts) || (ts as number) < 0) {
    throw new InputError(path, field, `"timestamp" must be an integer >= 0 (milliseconds), got ${show(ts)}`);
  }
  if ((ts as number) > MAX_TRACE_TIMESTAMP_MS) {
    const hint = (ts as number) > 1e12 && (ts as number) < 1e14 ? ` (it looks like epoch time, ${new Date(ts as number).toISOString().slice(0, 10)})` : '';
    throw new InputError(path, field, `"timestamp" ${ts as number} is implausibly large${hint}; the trace format counts milliseconds from the start of the trace`);
  }
  if (!Number.isSafeInteger(inLen) || (inLen as number) < 1) {
    throw new InputError(path, field, `"input_length" must be an integer >= 1 (tokens), got ${show(inLen)}`);
  }
  if (!Number.isSafeInteger(outLen) || (outLen as number) < 1) {
    throw new InputError(path, field, `"output_length" must be an integer >= 1 (tokens), got ${show(outLen)}`);
  }
  // Two plain checks, not a loop over [key, value] pairs: that built three arrays per trace line.
  if ((inLen as number) > MAX_TRACE_TOKENS) throw tooManyTokens(path, field, 'input_length', inLen as number);
  if ((outLen as number) > MAX_TRACE_TOKENS) throw tooManyTokens(path, field, 'output_length', outLen as number);
  if (!Array.isArray(hashes)) {
    throw new InputError(path, field, `"hash_ids" must be an array of block ids, got ${show(hashes)}`);
  }
  for (let i = 0; i < hashes.length; i++) {
    const h = hashes[i];
    if (!Number.isSafeInteger(h) || h < 0) {
      throw new InputError(path, field, `"hash_ids"[${i}] must be an integer >= 0, got ${show(h)}`);
    }
  }
  if (!increasing(hashes) && new Set(hashes).size !== hashes.length) {
    const dup = hashes.find((h, i) => hashes.indexOf(h) !== i);
    throw new InputError(path, field, `"hash_ids" repeats block id ${show(dup)}: chained prefix ids are unique within a request`);
  }
  const need = Math.ceil((inLen as number) / MOONCAKE_BLOCK_SIZE);
  if (hashes.length !== need) {
    throw new InputError(
      path,
      field,
      `"hash_ids" has ${hashes.length} ids but input_length ${inLen as number} needs ceil(${inLen as number}/${MOONCAKE_BLOCK_SIZE}) = ${need} (one per ${MOONCAKE_BLOCK_SIZE}-token block)`,
    );
  }
  const t = ts as number;
  if (t < prevTs) {
    throw new InputError(
      path,
      field,
      `timestamp ${t} is earlier than ${prevTs} on line ${prevLine}: the trace must be sorted by arrival`,
    );
  }
  return { t, inLen: inLen as number, outLen: outLen as number, hashes: hashes as number[] };
}

/**
 * Opens a Mooncake trace as a Workload. The file is checked now (InputError if unreadable) but
 * read lazily, line by line; every iteration re-reads it from the start, so memory use does not
 * grow with the trace. Lines are validated as they are read: a bad line throws InputError
 * (`<path>: line N: ...`) during iteration.
 */
export function openMooncakeTrace(path: string, opts: TraceOptions = {}): Workload {
  const { timeScale, limit, startOffset } = checkOptions(opts);
  const skipBadLines = opts.skipBadLines === true;
  const skipped = { count: 0 };
  assertReadable(path, MOONCAKE_TRACE_SOURCE);
  const startMs = startOffset * 1000;

  function* iterate(): Generator<Request, void, undefined> {
    if (limit === 0) return;
    let id = 0;
    skipped.count = 0;
    let prevTs = -Infinity;
    let prevLine = 0;
    for (const { line, lineNo } of readLines(path)) {
      // Fast path for the common case; trim() only for lines that start oddly.
      if (line.length === 0 || (line.charCodeAt(0) !== 0x7b /* { */ && line.trim().length === 0)) continue;
      let parsed: ReturnType<typeof parseLine>;
      try {
        parsed = parseLine(path, line, lineNo, prevTs, prevLine);
      } catch (e) {
        // --skip-bad-lines: drop the line, count it, keep going (the count is reported).
        if (!(skipBadLines && e instanceof InputError)) throw e;
        skipped.count++;
        continue;
      }
      const { t, inLen, outLen, hashes } = parsed;
      prevTs = t;
      prevLine = lineNo;
      if (t < startMs) continue;
      yield {
        id: id++,
        arrival: ((t - startMs) / 1000) * timeScale,
        inputTokens: inLen,
        outputTokens: outLen,
        blockHashes: hashes,
      };
      if (id >= limit) return;
    }
  }

  return {
    blockSize: MOONCAKE_BLOCK_SIZE,
    source: path,
    get skippedLines() {
      return skipped.count;
    },
    [Symbol.iterator]: iterate,
  };
}
