import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HolderLists } from '../../src/policies/holder-lists.js';

describe('HolderLists keeps the multiset of positions per hash', () => {
  it('matches a Map of arrays under random adds and deletes', () => {
    const op = fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 5 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 500 }), (ops) => {
        const h = new HolderLists();
        const ref = new Map<number, number[]>();
        for (const [add, hash, pos] of ops) {
          const list = ref.get(hash) ?? [];
          if (add) {
            h.add(hash, pos);
            ref.set(hash, [...list, pos]);
          } else {
            h.delete(hash, pos);
            const i = list.indexOf(pos);
            if (i >= 0) list.splice(i, 1);
            if (list.length === 0) ref.delete(hash);
          }
          const out: number[] = [];
          expect(h.collect(hash, out)).toBe(out.length);
          expect(out.sort()).toEqual([...(ref.get(hash) ?? [])].sort());
          expect(h.size).toBe(ref.size);
        }
      }),
    );
  });
});
