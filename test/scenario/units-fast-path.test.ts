import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type * as MathJs from 'mathjs';
import { parseQuantity, type UnitKind } from '../../src/scenario/units.js';
import { distribution } from '../../src/metrics/stats.js';

// The reference: mathjs itself (the fast paths must give the very same doubles).
const math: typeof MathJs = createRequire(import.meta.url)('mathjs/lib/browser/math.js');
const TARGET: Record<UnitKind, string> = { bytes: 'B', bandwidth: 'B/s', time: 's' };

const UNITS: [UnitKind, string][] = [
  ...['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'b', 'Gb', 'Tb'].map((u): [UnitKind, string] => ['bytes', u]),
  ...['B/s', 'MB/s', 'GB/s', 'TB/s', 'GiB/s', 'Mb/s', 'Gb/s', 'Tb/s'].map((u): [UnitKind, string] => ['bandwidth', u]),
  ...['s', 'ms', 'us', 'ns', 'min', 'h'].map((u): [UnitKind, string] => ['time', u]),
];

describe('unit fast path equals mathjs bit for bit', () => {
  it('random values in every unit, with or without a space', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...UNITS),
        fc.oneof(fc.integer({ min: 0, max: 100_000 }).map(String), fc.double({ min: 0, max: 1e6, noNaN: true }).map((x) => String(x)), fc.constantFrom('5.3', '0.9', '1.5', '.5', '2e3')),
        fc.constantFrom(' ', ''),
        ([kind, unit], num, space) => {
          const text = `${num}${space}${unit}`;
          expect(parseQuantity(text, kind)).toBe(math.unit(text).toNumber(TARGET[kind]));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a unit of the wrong kind still gets the error message', () => {
    expect(parseQuantity('5 GB', 'time')).toMatch(/time/);
    expect(parseQuantity('5 s', 'bandwidth')).toMatch(/bandwidth/);
  });
});

describe('distribution equals mathjs quantileSeq bit for bit, and its mean to rounding', () => {
  it('random samples', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 300 }), (xs) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const [p50, p90, p95, p99] = math.quantileSeq(sorted, [0.5, 0.9, 0.95, 0.99], true) as number[];
        const d = distribution(xs);
        expect([d.p50, d.p90, d.p95, d.p99]).toEqual([p50, p90, p95, p99]);
        // The mean is a compensated sum (within 2u of exact, u = ε/2), mathjs's a plain one in sorted
        // order (within (n − 1)·u of exact, samples >= 0); each division adds u: |Δ| <= (n + 3)·u·mean.
        const m = math.mean(sorted) as number;
        expect(Math.abs(d.mean - m)).toBeLessThanOrEqual(((xs.length + 3) * Number.EPSILON * m) / 2);
      }),
      { numRuns: 300 },
    );
  });
});
