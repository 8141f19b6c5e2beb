import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyLists, NO_LIST } from '../../src/util/key-lists.js';

describe('KeyLists', () => {
  it('behaves as arrays of keys: append at the tail, unlink anywhere (head, middle, tail), pop the head', () => {
    const op = fc.tuple(fc.constantFrom('append', 'unlink', 'pop', 'drop'), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 2 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 500 }), (ops) => {
        const t = new KeyLists(3);
        const ref: number[][] = [[], [], []];
        const where = (k: number) => ref.findIndex((l) => l.includes(k));
        for (const [what, k, list] of ops) {
          if (what === 'append') {
            const s = t.slotOf(k);
            if (where(k) >= 0) continue; // in a list already: append needs a slot in none
            expect(t.listAt(s)).toBe(NO_LIST);
            t.append(s, list);
            ref[list].push(k);
          } else if (what === 'unlink') {
            const w = where(k);
            if (w < 0) continue;
            t.unlink(t.find(k));
            ref[w].splice(ref[w].indexOf(k), 1);
            expect(t.listAt(t.find(k))).toBe(NO_LIST);
          } else if (what === 'pop') {
            const h = t.head(list);
            if (ref[list].length === 0) {
              expect(h).toBe(-1);
              continue;
            }
            expect(t.keyAt(h)).toBe(ref[list][0]);
            t.unlink(h);
            ref[list].shift();
          } else {
            const w = where(k);
            const had = t.has(k);
            expect(t.drop(k)).toBe(had);
            if (w >= 0) ref[w].splice(ref[w].indexOf(k), 1);
          }
          for (let l = 0; l < 3; l++) {
            expect(t.length(l)).toBe(ref[l].length);
            const h = t.head(l);
            expect(h < 0 ? undefined : t.keyAt(h)).toBe(ref[l][0]);
          }
        }
        // Draining every list from its head gives the reference order.
        for (let l = 0; l < 3; l++) {
          const got: number[] = [];
          for (let h = t.head(l); h >= 0; h = t.head(l)) {
            got.push(t.keyAt(h));
            t.unlink(h);
          }
          expect(got).toEqual(ref[l]);
          expect(t.length(l)).toBe(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
