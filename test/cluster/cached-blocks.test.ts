import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CachedBlocks, COMPUTED, PENDING, UNLISTED } from '../../src/cluster/cached-blocks.js';

/** Reference model: per key its users, state and whether it is a candidate; candidates in append order. */
interface Block {
  users: number;
  state: number;
  slot: number;
}

describe('CachedBlocks', () => {
  // Keys of every kind the caches meet: consecutive int32 block ids (a prompt's), negative ones,
  // beyond int32 (2^40 + k: read from the table, not the record) and non-integers.
  const keyArb = fc.oneof(
    fc.integer({ min: 0, max: 40 }),
    fc.integer({ min: -20, max: -1 }),
    fc.integer({ min: 0, max: 6 }).map((k) => 2 ** 40 + k),
    fc.integer({ min: 0, max: 4 }).map((k) => k + 0.5),
  );
  const opArb = fc.oneof(
    fc.record({ kind: fc.constant('allocate' as const), key: keyArb, run: fc.integer({ min: 1, max: 6 }) }),
    fc.record({ kind: fc.constant('use' as const), key: keyArb, n: fc.constantFrom(1, -1) }),
    fc.record({ kind: fc.constant('compute' as const), key: keyArb, deep: fc.boolean() }),
    fc.record({ kind: fc.constant('append' as const), key: keyArb }),
    fc.record({ kind: fc.constant('unlink' as const), key: keyArb }),
    fc.record({ kind: fc.constant('evict' as const) }),
  );

  it('keeps each block\u2019s users, state, key, slot (fixed while cached, below capacity, distinct) and the candidates\u2019 order as a Map and an array do', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 5, 12, 40, Infinity), fc.array(opArb, { maxLength: 200 }), (capacity, ops) => {
        const t = new CachedBlocks(capacity);
        const model = new Map<number, Block>();
        const candidates: number[] = [];
        for (const op of ops) {
          if (op.kind === 'allocate') {
            // A prompt's new blocks: consecutive keys, as many as fit the capacity.
            for (let j = 0; j < op.run && model.size < capacity; j++) {
              const key = op.key + j;
              if (model.has(key)) continue;
              const slot = t.allocated(key);
              model.set(key, { users: 1, state: PENDING, slot });
            }
          } else if (op.kind === 'evict') {
            const s = t.oldest();
            if (candidates.length === 0) {
              expect(s).toBe(-1);
              continue;
            }
            const key = candidates.shift()!;
            expect(s).toBe(model.get(key)!.slot);
            expect(t.keyOf(s)).toBe(key);
            t.unlink(s);
            expect(t.remove(key)).toBe(s);
            model.delete(key);
          } else {
            const b = model.get(op.key);
            if (b === undefined) continue;
            if (op.kind === 'use') {
              if (b.users + op.n < 0) continue;
              t.addUsers(b.slot, op.n);
              b.users += op.n;
            } else if (op.kind === 'compute') {
              if (b.state !== PENDING) continue;
              b.state = op.deep ? UNLISTED : COMPUTED;
              t.computed(op.key, b.slot, b.state);
            } else if (op.kind === 'append') {
              if (candidates.includes(op.key)) continue;
              t.append(b.slot);
              candidates.push(op.key);
            } else {
              t.unlink(b.slot); // a no-op for a block that is not a candidate
              const i = candidates.indexOf(op.key);
              if (i >= 0) candidates.splice(i, 1);
            }
          }
          expect(t.size).toBe(model.size);
          expect(t.candidates).toBe(candidates.length);
          expect(t.oldest()).toBe(candidates.length ? model.get(candidates[0])!.slot : -1);
          const slots = new Set<number>();
          for (const [key, b] of model) {
            expect(t.find(key)).toBe(b.slot);
            expect(t.users(b.slot)).toBe(b.users);
            expect(t.state(b.slot)).toBe(b.state);
            expect(t.keyOf(b.slot)).toBe(key);
            expect(t.reusableSlot(key)).toBe(b.state === PENDING ? -1 : b.slot);
            expect(b.slot).toBeGreaterThanOrEqual(0);
            expect(b.slot).toBeLessThan(t.slotCapacity);
            slots.add(b.slot);
          }
          expect(slots.size).toBe(model.size);
        }
        // Taking the oldest until none is left gives the reference order.
        const order: number[] = [];
        for (let s = t.oldest(); s >= 0; s = t.oldest()) {
          order.push(t.keyOf(s));
          t.unlink(s);
        }
        expect(order).toEqual(candidates);
      }),
      { numRuns: 150 },
    );
  });

  it('takes the slots its evictions free again: a cache of 5 blocks cycles through 1,000 keys within its 16 slots', () => {
    const t = new CachedBlocks(5);
    for (let k = 0; k < 1000; k++) {
      if (t.size === 5) {
        const s = t.oldest();
        t.unlink(s);
        t.remove(t.keyOf(s));
      }
      const s = t.allocated(k * 7);
      expect(s).toBeLessThan(16);
      t.addUsers(s, -1);
      t.append(s);
    }
    expect(t.slotCapacity).toBe(16);
  });

  it('gives an aligned group of consecutive ids consecutive slots (records side by side), in a fresh table', () => {
    // Capacity 100 blocks: 256 slots (the power of two >= 2 x 100). Ids 32..47 are one group (32 >> 4 = 2):
    // its home run is 16 aligned slots, id 32 + j at the run's start + j.
    const t = new CachedBlocks(100);
    const slots = Array.from({ length: 16 }, (_, j) => t.allocated(32 + j));
    expect(slots[0] % 16).toBe(0);
    expect(slots).toEqual(slots.map((_, j) => slots[0] + j));
    expect(t.slotCapacity).toBe(256);
  });
});
