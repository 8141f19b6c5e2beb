/**
 * One inference request as the simulator sees it: when it arrives, how long its prompt and
 * answer are, and the chained hashes of its prompt's prefix blocks (Mooncake trace format:
 * equal ids at equal positions mean a reusable prefix KV cache).
 */
export interface Request {
  /** 0-based, in arrival order. */
  readonly id: number;
  /** Arrival time in seconds from the start of the simulation. */
  readonly arrival: number;
  readonly inputTokens: number;
  /** Tokens to generate (>= 1); the first one comes out of prefill. */
  readonly outputTokens: number;
  /**
   * Prefix-chained block ids, one per `blockSize` tokens of the prompt (the last block may be
   * partial). Only full blocks are reusable, as in vLLM's prefix caching.
   */
  readonly blockHashes: readonly number[];
}

/** A stream of requests, sorted by arrival, with the block size its hashes use. */
export interface Workload extends Iterable<Request> {
  /** Tokens per hash block (512 in the Mooncake traces). */
  readonly blockSize: number;
  /** Human-readable origin, e.g. the trace path or "synthetic". */
  readonly source: string;
  /** Malformed trace lines dropped so far (only with skip_bad_lines). */
  readonly skippedLines?: number;
}
