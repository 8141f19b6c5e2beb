import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IndexedHeap } from '../../src/util/indexed-heap.js';

interface Item {
  key: number;
  id: number;
  at: number;
}

const heapOf = () =>
  new IndexedHeap<Item>(
    (a, b) => a.key < b.key || (a.key === b.key && a.id < b.id),
    (x, at) => {
      x.at = at;
    },
  );

describe('IndexedHeap', () => {
  it('pops 3, 1, 2 pushed as 1, 2, 3 after re-keying 3 to the least (hand example)', () => {
    const h = heapOf();
    const items = [10, 20, 30].map((key, id) => ({ key, id, at: -1 }));
    for (const x of items) h.push(x);
    items[2].key = 5;
    h.fix(items[2].at);
    expect([h.pop().id, h.pop().id, h.pop().id]).toEqual([2, 0, 1]);
    expect(items.map((x) => x.at)).toEqual([-1, -1, -1]);
  });

  it('property: every item knows its index; pops come out in order after any re-keying', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 50 })), { maxLength: 30 }),
        fc.boolean(),
        (keys, changes, build) => {
          const h = heapOf();
          const items = keys.map((key, id) => ({ key, id, at: -1 }));
          if (build) {
            h.items.push(...items);
            h.heapify();
          } else for (const x of items) h.push(x);
          for (const [i, key] of changes) {
            const x = items[i % items.length];
            x.key = key;
            h.fix(x.at);
          }
          for (const x of items) expect(h.items[x.at]).toBe(x);
          const popped: Item[] = [];
          while (h.size) popped.push(h.pop());
          const sorted = [...items].sort((a, b) => a.key - b.key || a.id - b.id);
          expect(popped).toEqual(sorted);
        },
      ),
    );
  });

  it('property: removing items anywhere leaves the others in order, each told its index (removed: -1)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (keys, removals) => {
          const h = heapOf();
          const items = keys.map((key, id) => ({ key, id, at: -1 }));
          for (const x of items) h.push(x);
          const gone = new Set<Item>();
          for (const r of removals) {
            const left = items.filter((x) => !gone.has(x));
            if (left.length === 0) break;
            const x = left[r % left.length];
            h.remove(x.at);
            gone.add(x);
            expect(x.at).toBe(-1);
          }
          const kept = items.filter((x) => !gone.has(x));
          for (const x of kept) expect(h.items[x.at]).toBe(x);
          const popped: Item[] = [];
          while (h.size) popped.push(h.pop());
          expect(popped).toEqual(kept.sort((a, b) => a.key - b.key || a.id - b.id));
        },
      ),
    );
  });
});
