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

  it('with holder slots (delete by slot, O(1)): the same multiset, order-free', () => {
    // Each position is a holder with its own slots: a hash it holds has a slot, freed on delete and
    // reused by its next add (as a prefix cache reuses freed slots). Deleting a hash the position
    // was never told about (e.g. an evicted block that was still pending) changes nothing.
    const op = fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 5 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 500 }), (ops) => {
        const h = new HolderLists();
        const ref = new Map<number, number[]>();
        const slotOf = Array.from({ length: 6 }, () => new Map<number, number>()); // per position: hash -> slot
        const freeSlots = Array.from({ length: 6 }, () => [] as number[]);
        const nextSlot = new Array<number>(6).fill(0);
        for (const [add, hash, pos] of ops) {
          const list = ref.get(hash) ?? [];
          const held = slotOf[pos].get(hash);
          if (add && held === undefined) {
            const slot = freeSlots[pos].pop() ?? nextSlot[pos]++;
            slotOf[pos].set(hash, slot);
            h.add(hash, pos, slot);
            ref.set(hash, [...list, pos]);
          } else if (!add) {
            // A slot the position uses for no hash it told the lists about: nothing to delete.
            h.delete(hash, pos, held ?? nextSlot[pos] + 3);
            if (held !== undefined) {
              slotOf[pos].delete(hash);
              freeSlots[pos].push(held);
              list.splice(list.indexOf(pos), 1);
              if (list.length === 0) ref.delete(hash);
            }
          }
          for (const k of [hash, (hash + 1) % 31]) {
            const out: number[] = [];
            expect(h.collect(k, out)).toBe(out.length);
            expect(out.sort()).toEqual([...(ref.get(k) ?? [])].sort());
            expect(h.countUpTo(k, 2)).toBe(Math.min(3, out.length));
          }
          expect(h.size).toBe(ref.size);
        }
      }),
    );
  });

  it('a version changes with every change of a list, and an unchanged version means the same list in the same order', () => {
    const op = fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 5 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const h = new HolderLists();
        const seen = new Map<number, { version: number; list: number[] }>(); // hash -> last look
        const versions = new Set<number>();
        for (const [add, hash, pos] of ops) {
          const before = h.version(hash);
          const had = h.countUpTo(hash, 100);
          if (add) h.add(hash, pos);
          else h.delete(hash, pos);
          const changed = h.countUpTo(hash, 100) !== had || add;
          const after = h.version(hash);
          if (changed && after !== 0) {
            // A new version, never handed out for any list before.
            expect(after).not.toBe(before);
            expect(versions.has(after)).toBe(false);
          }
          if (!changed) expect(after).toBe(before);
          if (after !== 0) versions.add(after);
          for (let k = 0; k <= 8; k++) {
            const out: number[] = [];
            const n = h.collect(k, out, 0);
            const v = h.version(k);
            expect(v === 0).toBe(n === 0);
            const last = seen.get(k);
            if (last && last.version === v) expect(out).toEqual(last.list);
            seen.set(k, { version: v, list: out });
          }
        }
      }),
    );
  });
});
