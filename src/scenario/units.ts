import { mathjs } from '../util/math.js';
import { quote } from '../util/show-value.js';

/** Physical kinds a scenario value can have, with the SI unit kvsim computes in. */
export const UNIT_KINDS = {
  bytes: 'B',
  bandwidth: 'B/s',
  time: 's',
} as const;
export type UnitKind = keyof typeof UNIT_KINDS;

const EXAMPLES: Record<UnitKind, string> = {
  bytes: '"192 GB" or "80 GiB"',
  bandwidth: '"5.3 TB/s" or "400 Gb/s"',
  time: '"500 ms" or "2 s"',
};

/**
 * Parses "192 GB", "400 Gb/s", "500 ms" (or a bare number, taken in the SI unit) into a number of
 * bytes, bytes/s or seconds. Returns an error string instead of throwing, so the schema layer can
 * attach the key path.
 */
export function parseQuantity(value: unknown, kind: UnitKind): number | string {
  const target = UNIT_KINDS[kind];
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : `expected a finite number or ${EXAMPLES[kind]}`;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    return `expected a quantity like ${EXAMPLES[kind]}`;
  }
  const text = value.trim();
  // Longer than any quantity anyone writes: refuse before the unit parser spends time on it.
  if (text.length > 64) return `${quote(value)} is not a ${kind} quantity; expected e.g. ${EXAMPLES[kind]}`;
  if (/^[-+]?\d*\.?\d+(e[-+]?\d+)?$/i.test(text)) {
    const n = Number(text);
    return Number.isFinite(n) ? n : `${quote(value)} is out of range; expected e.g. ${EXAMPLES[kind]}`;
  }
  const fast = fastQuantity(text, kind);
  if (fast !== undefined) return fast;
  try {
    const n = mathjs().unit(text).toNumber(target);
    if (!Number.isFinite(n)) return `${quote(value)} is not a finite ${kind}`;
    return n;
  } catch {
    return `${quote(value)} is not a ${kind} quantity; expected e.g. ${EXAMPLES[kind]}`;
  }
}

/** Unit value × prefix value of the unit names scenarios use, in mathjs's base units (bit, second). */
const FAST_UNITS: Record<string, { kind: 'bytes' | 'time'; factor: number }> = (() => {
  const out: Record<string, { kind: 'bytes' | 'time'; factor: number }> = {};
  const prefixes: Record<string, number> = {
    '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15,
    Ki: 1024, Mi: 1048576, Gi: 1073741824, Ti: 1099511627776, Pi: 1125899906842624,
  };
  for (const [p, v] of Object.entries(prefixes)) {
    out[`${p}B`] = { kind: 'bytes', factor: 8 * v };
    out[`${p}b`] = { kind: 'bytes', factor: 1 * v };
  }
  out.s = { kind: 'time', factor: 1 };
  out.ms = { kind: 'time', factor: 1 * 0.001 };
  out.us = { kind: 'time', factor: 1 * 0.000001 };
  out.ns = { kind: 'time', factor: 1 * 1e-9 };
  out.min = { kind: 'time', factor: 60 };
  out.h = { kind: 'time', factor: 3600 };
  return out;
})();

// The space is optional: expectations write ranges such as "1-3s" or "<500ms".
const FAST_FORM = /^([-+]?\d*\.?\d+(?:e[-+]?\d+)?) ?([A-Za-z]+)(\/s)?$/;

/**
 * The common forms ("192 GB", "400 Gb/s", "500 ms", "500ms") without loading mathjs (~0.1 CPU-s in
 * every thread that loads it, each sweep worker included), computed in the same order as mathjs
 * does (value × unit·prefix in base units, then ÷ the target unit: 8 bits per byte) so the numbers are bit-identical (a test compares them); anything else returns undefined
 * and goes to mathjs, which also produces the error messages.
 */
function fastQuantity(text: string, kind: UnitKind): number | undefined {
  const m = FAST_FORM.exec(text);
  if (!m) return undefined;
  // Own properties only: a unit written "constructor" must not reach Object.prototype.
  const unit = Object.hasOwn(FAST_UNITS, m[2]) ? FAST_UNITS[m[2]] : undefined;
  const perSecond = m[3] !== undefined;
  if (!unit) return undefined;
  if (kind === 'time' && (unit.kind !== 'time' || perSecond)) return undefined;
  if (kind === 'bytes' && (unit.kind !== 'bytes' || perSecond)) return undefined;
  if (kind === 'bandwidth' && (unit.kind !== 'bytes' || !perSecond)) return undefined;
  const value = Number(m[1]) * unit.factor;
  const n = unit.kind === 'bytes' ? value / 8 : value;
  return Number.isFinite(n) ? n : undefined;
}
