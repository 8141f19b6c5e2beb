import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Queue } from '../../src/util/queue.js';

describe('Queue', () => {
  it('is first in, first out, and empty gives undefined', () => {
    const q = new Queue<number>();
    expect(q.shift()).toBeUndefined();
    q.push(1);
    q.push(2);
    expect(q.peek()).toBe(1);
    expect(q.shift()).toBe(1);
    expect(q.length).toBe(1);
    expect([...q]).toEqual([2]);
  });

  it('behaves as an array used as a FIFO across compactions (property)', () => {
    // Runs of pushes and shifts long enough to cross the 1,024-shift compaction several times.
    const op = fc.oneof(fc.record({ push: fc.integer({ min: 1, max: 700 }) }), fc.record({ shift: fc.integer({ min: 1, max: 900 }) }));
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 30 }), (ops) => {
        const q = new Queue<number>();
        const ref: number[] = [];
        let next = 0;
        for (const o of ops) {
          if ('push' in o) {
            for (let i = 0; i < o.push; i++) {
              q.push(next);
              ref.push(next++);
            }
          } else {
            for (let i = 0; i < o.shift; i++) expect(q.shift()).toBe(ref.shift());
          }
          expect(q.length).toBe(ref.length);
          expect(q.peek()).toBe(ref[0]);
        }
        expect([...q]).toEqual(ref);
      }),
      { numRuns: 60 },
    );
  });
});
