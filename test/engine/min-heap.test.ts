import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { MinHeap } from '../../src/util/min-heap.js';

function drain<T>(h: MinHeap<T>): T[] {
  const out: T[] = [];
  for (let x = h.pop(); x !== undefined; x = h.pop()) out.push(x);
  return out;
}

describe('MinHeap', () => {
  it('is empty at first: size 0, peekKey Infinity, pop undefined', () => {
    const h = new MinHeap<string>();
    expect(h.size).toBe(0);
    expect(h.peekKey()).toBe(Infinity);
    expect(h.pop()).toBeUndefined();
  });

  it('pops in key order', () => {
    const h = new MinHeap<string>();
    h.push(3, 'c');
    h.push(1, 'a');
    h.push(2, 'b');
    h.push(0.5, 'z');
    expect(h.size).toBe(4);
    expect(h.peekKey()).toBe(0.5);
    expect(drain(h)).toEqual(['z', 'a', 'b', 'c']);
    expect(h.size).toBe(0);
  });

  it('pops equal keys in insertion (FIFO) order, interleaved with other keys', () => {
    const h = new MinHeap<string>();
    // keys: 2 2 1 2 1 1 2 -> 1s in push order (b1, b2, b3), then 2s in push order (a1..a4)
    h.push(2, 'a1');
    h.push(2, 'a2');
    h.push(1, 'b1');
    h.push(2, 'a3');
    h.push(1, 'b2');
    h.push(1, 'b3');
    h.push(2, 'a4');
    expect(drain(h)).toEqual(['b1', 'b2', 'b3', 'a1', 'a2', 'a3', 'a4']);
  });

  it('keeps FIFO among equal keys across interleaved pushes and pops', () => {
    const h = new MinHeap<number>();
    for (let i = 0; i < 5; i++) h.push(7, i);
    expect(h.pop()).toBe(0);
    expect(h.pop()).toBe(1);
    h.push(7, 5);
    h.push(7, 6);
    expect(drain(h)).toEqual([2, 3, 4, 5, 6]);
  });

  it('property: equals a stable sort by key, under any interleaving of pushes and pops', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), key: fc.integer({ min: 0, max: 8 }) }),
      fc.record({ kind: fc.constant('pop' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const h = new MinHeap<number>();
        // Reference: a list of [key, seq]; pop = remove the smallest (key, seq).
        const ref: [number, number][] = [];
        let seq = 0;
        for (const o of ops) {
          if (o.kind === 'push') {
            h.push(o.key, seq);
            ref.push([o.key, seq]);
            seq++;
          } else {
            ref.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
            const want = ref.shift();
            expect(h.peekKey()).toBe(want ? want[0] : Infinity);
            expect(h.pop()).toBe(want?.[1]);
          }
          expect(h.size).toBe(ref.length);
        }
        ref.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(drain(h)).toEqual(ref.map((r) => r[1]));
      }),
      { numRuns: 200 },
    );
  });
});
