/**
 * Reader of the Azure LLM inference traces (github.com/Azure/AzurePublicDataset:
 * AzureLLMInferenceTrace_{code,conv}.csv, 2023 and 2024), CSV with a header row:
 *
 *     TIMESTAMP,ContextTokens,GeneratedTokens
 *     2023-11-16 18:15:46.6805900,374,44
 *
 * The timestamp is a wall-clock date-time (read as UTC; only differences matter) or a number of
 * seconds. These traces carry no block hashes, so prefix reuse is modelled: with `prefixGroups`,
 * each request draws a group (Zipf over `count` groups, from a seeded stream) and shares its
 * group's first `prefixTokens` tokens (a system prompt / few-shot template) with the group's other
 * requests; the rest of the prompt is unique. Without it, no prompt shares any block — the honest
 * default when nothing is known.
 */
import { rngStream } from '../engine/rng.js';
import { InputError } from '../scenario/input-error.js';
import { assertReadable, readLines } from './line-reader.js';
import type { Request, Workload } from './request.js';

export const AZURE_TRACE_SOURCE =
  'the public Azure LLM inference traces (AzureLLMInferenceTrace_code.csv, AzureLLMInferenceTrace_conv.csv) are in github.com/Azure/AzurePublicDataset';

export interface AzureTraceOptions {
  /** Multiplies inter-arrival times: 0.5 replays twice as fast. */
  timeScale: number;
  /** Maximum number of requests to yield. */
  limit: number;
  /** Seconds after the first request: skip requests before it and rebase arrivals to 0. */
  startOffset: number;
  skipBadLines: boolean;
  /** Tokens per hash block of the modelled prefixes. */
  blockSize: number;
  prefixGroups?: { count: number; prefixTokens: number; zipfAlpha: number };
  seed: number | string;
}

const COLUMNS = ['timestamp', 'contexttokens', 'generatedtokens'] as const;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?Z?$/;

/**
 * A trace timestamp (date-time read as UTC, or plain seconds) as whole seconds and the fraction,
 * kept apart: epoch seconds (~1.7e9) plus a fraction in one double would lose ~0.1 µs, which then
 * shows in every arrival time.
 */
export function parseTimestamp(text: string): { whole: number; frac: number } | undefined {
  const m = DATE_TIME.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s, frac] = m;
    return { whole: Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) / 1000, frac: frac ? Number(`0${frac}`) : 0 };
  }
  const n = /^(\d+)(\.\d+)?$/.exec(text);
  return n ? { whole: Number(n[1]), frac: n[2] ? Number(`0${n[2]}`) : 0 } : undefined;
}

/** Zipf(alpha) over 0..n-1 by inverse CDF. */
function zipf(n: number, alpha: number, rng: () => number): () => number {
  const cdf: number[] = [];
  let sum = 0;
  for (let i = 0; i < n; i++) cdf.push((sum += Math.pow(i + 1, -alpha)));
  return () => {
    const u = rng() * sum;
    const i = cdf.findIndex((c) => c > u);
    return i < 0 ? n - 1 : i;
  };
}

export function openAzureTrace(path: string, opts: AzureTraceOptions): Workload {
  assertReadable(path, AZURE_TRACE_SOURCE);
  const B = opts.blockSize;
  const skipped = { count: 0 };

  function* iterate(): Generator<Request, void, undefined> {
    if (opts.limit === 0) return;
    skipped.count = 0;
    const g = opts.prefixGroups;
    const group = g ? zipf(g.count, g.zipfAlpha, rngStream(opts.seed, 'azure:prefix_group')) : undefined;
    const sharedBlocks = g ? Math.floor(g.prefixTokens / B) : 0;
    // Group k's shared blocks are ids k·sharedBlocks ..; every other block gets a fresh id after them.
    let nextId = g ? g.count * sharedBlocks : 0;
    let cols: number[] | undefined;
    let first: { whole: number; frac: number } | undefined;
    let prev = -Infinity;
    let prevLine = 0;
    let id = 0;
    for (const { line, lineNo } of readLines(path)) {
      if (line.trim() === '') continue;
      const cells = line.split(',').map((c) => c.trim());
      if (!cols) {
        const names = cells.map((c) => c.toLowerCase().replace(/^\uFEFF/, ''));
        cols = COLUMNS.map((c) => names.indexOf(c));
        const missing = COLUMNS.filter((_, i) => cols![i] < 0);
        if (missing.length) throw new InputError(path, `line ${lineNo}`, `expected a header with TIMESTAMP, ContextTokens, GeneratedTokens; missing ${missing.join(', ')}`);
        continue;
      }
      let t: number;
      let stamp: { whole: number; frac: number } | undefined;
      let ctx: number;
      let gen: number;
      try {
        const [ts, c, o] = cols.map((i) => cells[i] ?? '');
        stamp = parseTimestamp(ts);
        t = stamp ? stamp.whole + stamp.frac : NaN;
        ctx = /^\d+$/.test(c) ? Number(c) : NaN;
        gen = /^\d+$/.test(o) ? Number(o) : NaN;
        const where = `line ${lineNo}`;
        if (Number.isNaN(t)) throw new InputError(path, where, `TIMESTAMP must be a date-time like 2023-11-16 18:15:46.68 or seconds, got "${ts}"`);
        if (!(ctx >= 1)) throw new InputError(path, where, `ContextTokens must be an integer >= 1, got "${c}"`);
        if (!(gen >= 1)) throw new InputError(path, where, `GeneratedTokens must be an integer >= 1, got "${o}"`);
        if (t < prev) throw new InputError(path, where, `TIMESTAMP ${ts} is earlier than on line ${prevLine}: the trace must be sorted by arrival`);
      } catch (e) {
        if (!(opts.skipBadLines && e instanceof InputError)) throw e;
        skipped.count++;
        continue;
      }
      prev = t;
      prevLine = lineNo;
      first ??= stamp!;
      const since = stamp!.whole - first.whole + (stamp!.frac - first.frac);
      if (since < opts.startOffset) continue;
      const blocks = Math.ceil(ctx / B);
      const hashes: number[] = [];
      if (group) {
        const k = group();
        // Only full blocks inside both the group prefix and this prompt are shared.
        const shared = Math.min(sharedBlocks, Math.floor(ctx / B));
        for (let i = 0; i < shared; i++) hashes.push(k * sharedBlocks + i);
      }
      while (hashes.length < blocks) hashes.push(nextId++);
      yield { id: id++, arrival: (since - opts.startOffset) * opts.timeScale, inputTokens: ctx, outputTokens: gen, blockHashes: hashes };
      if (id >= opts.limit) return;
    }
    if (!cols) throw new InputError(path, '', 'empty file: expected a header with TIMESTAMP, ContextTokens, GeneratedTokens');
  }

  return {
    blockSize: B,
    source: path,
    get skippedLines() {
      return skipped.count;
    },
    [Symbol.iterator]: iterate,
  };
}
