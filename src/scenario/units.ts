import { math } from '../util/math.js';
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
  try {
    const n = math.unit(text).toNumber(target);
    if (!Number.isFinite(n)) return `${quote(value)} is not a finite ${kind}`;
    return n;
  } catch {
    return `${quote(value)} is not a ${kind} quantity; expected e.g. ${EXAMPLES[kind]}`;
  }
}
