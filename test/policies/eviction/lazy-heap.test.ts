import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LazyHeap } from '../../../src/policies/eviction/lazy-heap.js';

/** Pops every entry: [priority, tick, key] in heap order. */
function drainHeap(h: LazyHeap): [number, number, number][] {
  const out: [number, number, number][] = [];
  while (h.length > 0) {
    out.push([h.topPriority, h.topTick, h.topKey]);
    h.pop();
  }
  return out;
}

const byPriorityThenTick = (a: [number, number, number], b: [number, number, number]) => a[0] - b[0] || a[1] - b[1];

describe('LazyHeap', () => {
  it('pops by priority, then tick (hand example)', () => {
    const h = new LazyHeap();
    // (priority, tick, key): (2,1,10) (1,2,11) (2,3,12) (1,4,13) -> 11, 13 (priority 1 by tick), 10, 12
    h.push(2, 1, 10);
    h.push(1, 2, 11);
    h.push(2, 3, 12);
    h.push(1, 4, 13);
    expect(drainHeap(h).map((e) => e[2])).toEqual([11, 13, 10, 12]);
    h.pop(); // popping an empty heap is a no-op
    expect(h.length).toBe(0);
  });

  it('compact keeps exactly the live entries, still in heap order', () => {
    const h = new LazyHeap();
    // priorities 5,4,3,2,1,0 at ticks 1..6; keep the even ticks: (4,2) (2,4) (0,6) -> keys 6, 4, 2
    for (let t = 1; t <= 6; t++) h.push(6 - t, t, t);
    h.compact((_, tick) => tick % 2 === 0);
    expect(h.length).toBe(3);
    expect(drainHeap(h)).toEqual([[0, 6, 6], [2, 4, 4], [4, 2, 2]]);
  });

  it('any pushes, pops and compactions match a sorted reference', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), priority: fc.integer({ min: 0, max: 5 }) }),
      fc.record({ kind: fc.constant('pop' as const) }),
      fc.record({ kind: fc.constant('compact' as const), mod: fc.integer({ min: 2, max: 4 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const h = new LazyHeap();
        let ref: [number, number, number][] = [];
        let tick = 0;
        for (const o of ops) {
          if (o.kind === 'push') {
            tick++;
            h.push(o.priority, tick, tick * 7);
            ref.push([o.priority, tick, tick * 7]);
          } else if (o.kind === 'pop') {
            ref.sort(byPriorityThenTick);
            if (ref.length) expect([h.topPriority, h.topTick, h.topKey]).toEqual(ref[0]);
            ref = ref.slice(1);
            h.pop();
          } else {
            const live = (key: number, t: number) => key === t * 7 && t % o.mod !== 0;
            h.compact(live);
            ref = ref.filter(([, t, k]) => live(k, t));
          }
          expect(h.length).toBe(ref.length);
        }
        expect(drainHeap(h)).toEqual(ref.sort(byPriorityThenTick));
      }),
      { numRuns: 200, seed: 16 },
    );
  });
});
