import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShardedMap, ShardedSet } from '../../src/util/sharded.js';

describe('ShardedSet / ShardedMap behave as Set / Map for membership, size and values', () => {
  it('random operations', () => {
    const op = fc.tuple(fc.constantFrom('add', 'delete', 'set'), fc.integer({ min: 0, max: 300 }), fc.integer());
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const s = new ShardedSet();
        const m = new ShardedMap<number>();
        const refS = new Set<number>();
        const refM = new Map<number, number>();
        for (const [kind, k, v] of ops) {
          if (kind === 'add') {
            s.add(k);
            refS.add(k);
          } else if (kind === 'delete') {
            expect(s.delete(k)).toBe(refS.delete(k));
            expect(m.delete(k)).toBe(refM.delete(k));
          } else {
            m.set(k, v);
            refM.set(k, v);
          }
          expect(s.size).toBe(refS.size);
          expect(s.has(k)).toBe(refS.has(k));
          expect(m.get(k)).toBe(refM.get(k));
        }
      }),
    );
  });
});
