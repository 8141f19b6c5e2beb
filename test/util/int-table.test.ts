import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntMap, IntSet, IntTable } from '../../src/util/int-table.js';
import { LruPolicy } from '../../src/policies/eviction/lru.js';

// Small dense keys collide in probe runs (exercising backward-shift deletion); large, negative and
// fractional keys take the non-int32 hash path; keys 5 mod 16 (and negatives) are integer keys
// of different 16-key groups in the same position of their bucket runs.
const key = fc.oneof(
  fc.integer({ min: 0, max: 300 }),
  fc.integer(),
  fc.integer({ min: -200, max: 200 }).map((g) => 16 * g + 5),
  fc.constantFrom(2 ** 40 + 3, -(2 ** 52), 0.5, -0),
);

// Only int32 keys: the tables never leave their tag-is-key mode.
const intKey = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer(), fc.integer({ min: -200, max: 200 }).map((g) => 16 * g + 5));

describe('IntSet / IntMap behave as Set / Map for membership, size and values', () => {
  it.each([
    ['any keys', key],
    ['int32 keys only', intKey],
  ])('random operations (many inserts and deletes: growth and backward shift), %s', (_, key) => {
    const op = fc.tuple(fc.constantFrom('add', 'delete', 'set'), key, fc.double({ noNaN: true }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const s = new IntSet();
        const m = new IntMap();
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
          expect(m.size).toBe(refM.size);
          expect(s.has(k)).toBe(refS.has(k));
          expect(m.get(k)).toBe(refM.get(k));
        }
        for (const k of refS) expect(s.has(k)).toBe(true);
        for (const [k, v] of refM) expect(m.get(k)).toBe(v);
      }),
    );
  });
});

describe('IntMap.set', () => {
  it('keeps the value of a key whose insert grows the table (regression: it was written to the old column)', () => {
    // 1,000 keys from an empty map: the slot columns grow several times, each time on a set().
    const m = new IntMap();
    for (let k = 0; k < 1000; k++) m.set(k, k + 0.5);
    for (let k = 0; k < 1000; k++) expect(m.get(k)).toBe(k + 0.5);
  });
});

describe('LruPolicy (one linked list over a KeyLists table) is a FIFO with move-to-tail', () => {
  it('matches an array model', () => {
    const op = fc.tuple(fc.constantFrom('push', 'touch', 'delete', 'shift'), fc.integer({ min: 0, max: 40 }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const q = new LruPolicy();
        let ref: number[] = [];
        for (const [kind, k] of ops) {
          if (kind === 'push') {
            ref = [...ref.filter((x) => x !== k), k];
            q.add(k);
          } else if (kind === 'touch') {
            if (ref.includes(k)) ref = [...ref.filter((x) => x !== k), k];
            q.access(k);
          } else if (kind === 'delete') {
            q.remove(k, true);
            ref = ref.filter((x) => x !== k);
          } else {
            expect(q.evict()).toBe(ref.shift());
          }
          expect(q.size).toBe(ref.length);
          expect(q.candidateSlot(k) >= 0).toBe(ref.includes(k));
        }
        const rest: number[] = [];
        for (let x = q.evict(); x !== undefined; x = q.evict()) rest.push(x);
        expect(rest).toEqual(ref);
      }),
    );
  });
});

/** IntTable's per-key flag, opened for the test. */
class FlaggedTable extends IntTable {
  flagged(key: number): number {
    return this.findFlagged(key);
  }

  flag(key: number): void {
    this.setFlag(key);
  }
}

describe('IntTable flags stay with their keys', () => {
  it.each([
    ['any keys', key],
    ['int32 keys only', intKey],
  ])('through inserts, flags, removals (backward shift) and growth (rehash), %s', (_, key) => {
    const op = fc.tuple(fc.constantFrom('insert', 'flag', 'remove'), key);
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const t = new FlaggedTable();
        const ref = new Map<number, { slot: number; flag: boolean }>();
        for (const [kind, k] of ops) {
          const r = ref.get(k);
          if (kind === 'insert') {
            const slot = t.insert(k);
            if (r) expect(slot).toBe(r.slot);
            else ref.set(k, { slot, flag: false }); // a new key's flag is clear
          } else if (kind === 'flag' && r) {
            t.flag(k);
            r.flag = true;
          } else if (kind === 'remove') {
            expect(t.remove(k)).toBe(r ? r.slot : -1);
            ref.delete(k);
          }
          for (const [k2, e] of ref) {
            expect(t.find(k2)).toBe(e.slot);
            expect(t.flagged(k2)).toBe(e.flag ? e.slot : -1);
          }
          expect(t.flagged(k + 0.25)).toBe(ref.get(k + 0.25)?.flag ? ref.get(k + 0.25)!.slot : -1);
          expect(new Map(t.entries())).toEqual(new Map([...ref].map(([k2, e]) => [k2, e.slot])));
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('IntTable whose user keeps int32 keys elsewhere (slot -> key column written late)', () => {
  it.each([
    ['any keys', key],
    ['int32 keys only', intKey],
  ])('membership, entries and keyAt match a Set through inserts, deletes and growth, %s', (_, key) => {
    const op = fc.tuple(fc.constantFrom('add', 'delete', 'keys'), key);
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const late = new IntSet(0, true);
        const ref = new Set<number>();
        for (const [what, k] of ops) {
          if (what === 'add') {
            late.add(k);
            ref.add(k);
          } else if (what === 'delete') expect(late.delete(k)).toBe(ref.delete(k));
          else {
            // Asking for keys makes the table store them from then on.
            const entries = late.entries();
            expect(new Set(entries.map(([ek]) => ek))).toEqual(ref);
            for (const [ek, slot] of entries) expect(late.keyAt(slot) === ek).toBe(true);
          }
          expect(late.has(k)).toBe(ref.has(k));
          expect(late.size).toBe(ref.size);
        }
        expect(new Set(late.entries().map(([ek]) => ek))).toEqual(new Set([...ref].map((x) => (x === 0 ? 0 : x))));
      }),
      { numRuns: 150 },
    );
  });
});
