import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyedLists } from '../../src/util/keyed-lists.js';

// Int32 keys (the key word holds them) and, optionally, wider ones (read from the table instead).
const intKey = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: -200, max: 200 }).map((g) => 16 * g + 5), fc.integer());
const anyKey = fc.oneof(intKey, fc.constantFrom(2 ** 40 + 3, -(2 ** 52), 0.5, -0));

describe('KeyedLists', () => {
  it('keeps the key in its record next to the subclass words, which stay its own', () => {
    class Two extends KeyedLists {
      constructor() {
        super(2, 0, 2);
      }
      get(slot: number, k: number): number {
        return this.word(slot, k);
      }
      set(slot: number, v: number, k: number): void {
        this.setWord(slot, v, k);
      }
    }
    const t = new Two();
    const a = t.slotOf(-7);
    const b = t.slotOf(123_456);
    t.set(a, 11, 0);
    t.set(a, 12, 1);
    t.append(a, 1);
    t.append(b, 1);
    expect([t.keyAt(a), t.keyAt(b)]).toEqual([-7, 123_456]);
    expect([t.get(a, 0), t.get(a, 1), t.get(b, 0)]).toEqual([11, 12, 0]);
    expect(t.head(1)).toBe(a);
  });

  it.each([
    ['int32 keys', intKey],
    ['any keys (wide keys switch to the table)', anyKey],
  ])('keyAt of every live slot is its key through inserts, removals and growth, %s', (_, key) => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), key), { maxLength: 400 }), fc.integer({ min: 0, max: 3 }), (ops, words) => {
        const t = new KeyedLists(2, 0, words);
        const ref = new Map<number, number>(); // key -> slot
        for (const [add, k] of ops) {
          if (add) {
            const s = t.slotOf(k);
            if (ref.has(k)) expect(s).toBe(ref.get(k));
            else t.append(s, s % 2);
            ref.set(k, s);
          } else if (ref.has(k)) {
            expect(t.drop(k)).toBe(true);
            ref.delete(k);
          }
          for (const [rk, s] of ref) expect(t.keyAt(s) === rk).toBe(true); // -0 and 0 are one key, as in a Map
        }
        expect(t.size).toBe(ref.size);
      }),
      { numRuns: 100 },
    );
  });
});
