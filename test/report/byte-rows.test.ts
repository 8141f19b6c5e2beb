import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteRows, SECONDS_MAX_BYTES } from '../../src/report/byte-rows.js';
import { secondsText } from '../../src/util/format-number.js';

/** Everything a ByteRows hands to its sink, as text, with the blocks it handed. */
function compose(capacity: number, write: (w: ByteRows) => void): { text: string; blocks: number } {
  const parts: Buffer[] = [];
  const w = new ByteRows((bytes, length) => parts.push(Buffer.from(bytes.subarray(0, length))), capacity);
  write(w);
  w.flush();
  return { text: Buffer.concat(parts).toString('utf8'), blocks: parts.length };
}

describe('ByteRows', () => {
  it('writes numbers exactly as String(x)', () => {
    const xs = [0, -0, 7, 10, 99, 100, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 1e15 - 1, 1e15, 1e21, 0.1, 1 / 3, -2.5, 1.5e-7, NaN, Infinity, -Infinity];
    expect(compose(4096, (w) => xs.forEach((x) => (w.room(25), w.number(x), w.byte(0x20)))).text).toBe(xs.map((x) => `${String(x)} `).join(''));
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.maxSafeInteger(), fc.nat()), (x) => {
        expect(compose(64, (w) => (w.room(25), w.number(x))).text).toBe(String(x));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes times exactly as secondsText(x), within the room it promises', () => {
    const xs = [0, -0, 3, 2.5, 1.3838527620951246, 0.01962345395384971, 4e-10, -4e-10, 6e-10, -1.25e-3, 86_400.000_000_5, 8.9e6, 9e6, -9e6, 1e7 + 0.25, 1e20 + 0.5, -1e20, 1e21, Infinity, -Infinity];
    expect(compose(4096, (w) => xs.forEach((x) => (w.room(SECONDS_MAX_BYTES), w.seconds(x), w.byte(0x20)))).text).toBe(xs.map((x) => `${secondsText(x)} `).join(''));
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true }), fc.double({ min: -1e4, max: 1e5, noNaN: true }), fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 1e9)), (x) => {
        expect(compose(SECONDS_MAX_BYTES, (w) => (w.room(SECONDS_MAX_BYTES), w.seconds(x))).text).toBe(secondsText(x));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps text byte for byte across blocks, multi-byte characters and pieces larger than a block', () => {
    const pieces = ['row,1\n', 'é€😀', 'x'.repeat(100), '', 'a€b', '€'.repeat(30)];
    const { text, blocks } = compose(32, (w) => pieces.forEach((p) => w.text(p)));
    expect(text).toBe(pieces.join(''));
    expect(blocks).toBeGreaterThan(3);
  });

  it('refuses room larger than a block', () => {
    expect(() => new ByteRows(() => undefined, 16).room(17)).toThrow(RangeError);
  });
});
