import { z } from 'zod';
import { parseQuantity, type UnitKind } from './units.js';
import { formatInteger } from '../util/format-number.js';

/**
 * Plausibility bounds for numeric scenario keys. Every number a scenario can set is declared with
 * one of these helpers, so that
 * - an absurd value (that would hang the run, exhaust memory or overflow to NaN) is an input error
 *   naming the key, with a hint when it looks like a unit mistake;
 * - the bounds appear in the generated reference (`x-range`, plus JSON Schema minimum/maximum for
 *   plain numbers), so users can see them.
 * Bounds are wide on purpose: they exclude nonsense, not unusual but real clusters.
 * (test/scenario/bounds.test.ts fails for a numeric key declared without them.)
 */

/** Says what the user probably meant, given the parsed value and what they typed. */
export type Hint = (value: number, raw: unknown) => string | undefined;

export interface Range {
  min: number;
  max: number;
  /** The minimum itself is not allowed (e.g. a rate must be > 0). */
  exclusiveMin?: boolean;
  hint?: Hint;
}

const SCALES: Record<UnitKind | 'plain', [number, string][]> = {
  bytes: [[1e15, 'PB'], [1e12, 'TB'], [1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB'], [1, 'B']],
  bandwidth: [[1e12, 'TB/s'], [1e9, 'GB/s'], [1e6, 'MB/s'], [1e3, 'kB/s'], [1, 'B/s']],
  time: [[86_400, 'days'], [3600, 'h'], [60, 'min'], [1, 's'], [1e-3, 'ms'], [1e-6, 'us'], [1e-9, 'ns']],
  plain: [],
};

const num = (x: number) => (Number.isInteger(x) && Math.abs(x) < 1e15 ? formatInteger(x) : String(+x.toPrecision(6)));
/** A number as the user could type it back (no thousands separators). */
const typed = (x: number) => String(+x.toPrecision(6));

/** A bound as a reader would write it: "400 Gb/s"-style units for quantities. */
export function formatBound(kind: UnitKind | 'plain', x: number): string {
  if (x === 0) return kind === 'plain' ? '0' : `0 ${SCALES[kind].find(([f]) => f === 1)![1]}`;
  const scale = SCALES[kind].find(([f]) => Math.abs(x) >= f);
  return scale ? `${num(x / scale[0])} ${scale[1]}` : num(x);
}

/** "1 … 4,096", "> 0 … 1", "0 s … 1 h" */
export function rangeText(kind: UnitKind | 'plain', r: Range): string {
  return `${r.exclusiveMin ? '> ' : ''}${formatBound(kind, r.min)} … ${formatBound(kind, r.max)}`;
}

/** The message for a value outside `r` (undefined when inside). */
export function outOfRange(kind: UnitKind | 'plain', r: Range, v: number, raw: unknown): string | undefined {
  const low = r.exclusiveMin ? v <= r.min : v < r.min;
  if (!low && v <= r.max) return undefined;
  let msg: string;
  if (low && r.min === 0) msg = r.exclusiveMin ? 'must be greater than zero' : 'must not be negative';
  else msg = `${formatBound(kind, v)} is outside the plausible range ${rangeText(kind, r)}`;
  const hint = r.hint?.(v, raw);
  return hint ? `${msg}; ${hint}` : msg;
}

function refineRange<T extends z.ZodType<number>>(schema: T, kind: UnitKind | 'plain', r: Range) {
  return schema.superRefine((v, ctx) => {
    const msg = outOfRange(kind, r, v, v);
    if (msg) ctx.addIssue({ code: 'custom', message: msg });
  });
}

/** JSON Schema keywords of a plain numeric range (quantities only get the text: their input may be a string). */
function jsonBounds(r: Range) {
  return { ...(r.exclusiveMin ? { exclusiveMinimum: r.min } : { minimum: r.min }), maximum: r.max };
}

/** A whole number within `r`. */
export function boundedInt(r: Range) {
  return refineRange(z.number().int(), 'plain', r).meta({ ...jsonBounds(r), 'x-range': rangeText('plain', r) });
}

/** A (possibly fractional) number within `r`. */
export function boundedNumber(r: Range) {
  return refineRange(z.number(), 'plain', r).meta({ ...jsonBounds(r), 'x-range': rangeText('plain', r) });
}

const isBareNumber = (raw: unknown) => typeof raw === 'number' || (typeof raw === 'string' && /^\s*[-+]?\d*\.?\d+(e[-+]?\d+)?\s*$/i.test(raw));

/** Default unit-mistake hints for bare numbers (which are taken in B, B/s or s). */
const BARE_HINTS: Record<UnitKind, (v: number, r: Range) => string | undefined> = {
  bytes: (v, r) => (v < r.min ? `a bare number is bytes; did you mean "${typed(v)} GB"?` : undefined),
  bandwidth: (v, r) => (v < r.min ? `a bare number is bytes/s; did you mean "${typed(v)} GB/s" or "${typed(v)} Gb/s"?` : undefined),
  time: (v, r) => (v > r.max ? `a bare number is seconds; did you mean "${typed(v)} ms" or "${typed(v)} us"?` : undefined),
};

/** A quantity with units ("400 Gb/s", "2 s", "80 GiB") within `r` (bounds in B, B/s or s). */
export function boundedQuantity(kind: UnitKind, r: Range) {
  return z
    .union([z.number(), z.string()])
    .transform((raw, ctx) => {
      const n = parseQuantity(raw, kind);
      if (typeof n === 'string') {
        ctx.addIssue({ code: 'custom', message: n });
        return z.NEVER;
      }
      const hint: Hint = (v, input) => r.hint?.(v, input) ?? (isBareNumber(input) ? BARE_HINTS[kind](v, r) : undefined);
      const msg = outOfRange(kind, { ...r, hint }, n, raw);
      if (msg) {
        ctx.addIssue({ code: 'custom', message: msg });
        return z.NEVER;
      }
      return n;
    })
    .meta({ 'x-range': rangeText(kind, r) });
}

/** Hint for fractions typed as percentages (90 for 0.9); percentages are typed whole, so 1.5 gets no "0.015?". */
export const percentHint: Hint = (v) => (v > 1 && v <= 100 && Number.isInteger(v) ? `a fraction, not a percentage: did you mean ${typed(v / 100)}?` : undefined);
