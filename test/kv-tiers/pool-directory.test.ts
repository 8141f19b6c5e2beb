import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PoolDirectory } from '../../src/storage/kv-tiers/pool-directory.js';

/** The reference: a scan of the holders other than `self` for the least (load, index). */
function leastLoaded(holders: Iterable<number>, self: number, load: (owner: number) => number): number {
  let best = -1;
  let bestLoad = Infinity;
  for (const owner of holders) {
    if (owner === self) continue;
    const l = load(owner);
    if (l < bestLoad || (l === bestLoad && owner < best)) {
      best = owner;
      bestLoad = l;
    }
  }
  return best;
}

describe('PoolDirectory peer choice', () => {
  it('picks the least loaded holder other than self, ties to the lower index (hand-checked)', () => {
    const d = new PoolDirectory();
    for (const o of [4, 1, 7]) d.added(42, o);
    const load = [0, 3, 0, 0, 1, 0, 0, 1];
    // Loads: 1→3, 4→1, 7→1. Least: 4 and 7 tie at 1, lower index 4; asked by 4 itself: 7.
    expect(d.leastLoadedHolder(42, 0, (o) => load[o], 0)).toBe(4);
    expect(d.leastLoadedHolder(42, 4, (o) => load[o], 0)).toBe(7);
    expect(d.leastLoadedHolder(42, 7, (o) => load[o], 0)).toBe(4);
    expect(d.peerHolding(42, 1)).toBe(4);
    expect(d.peerHolding(42, 3)).toBe(1);
    // Loads changed: a new version, so the memo is not used (1 is now least).
    load[1] = 0;
    expect(d.leastLoadedHolder(42, 0, (o) => load[o], 1)).toBe(1);
    expect(d.leastLoadedHolder(43, 0, (o) => load[o], 1)).toBe(-1);
    // The only holder asking for itself gets none.
    d.added(44, 2);
    expect(d.leastLoadedHolder(44, 2, (o) => load[o], 1)).toBe(-1);
    expect(d.peerHolding(44, 2)).toBe(-1);
  });

  it('memoised answers equal a fresh scan of the holders through any sequence of changes', () => {
    // Ops: add/remove holders, change a load (bumps the version, as the network does), or ask.
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), hash: fc.nat(3), owner: fc.nat(7) }),
      fc.record({ kind: fc.constant('remove' as const), hash: fc.nat(3), owner: fc.nat(7) }),
      fc.record({ kind: fc.constant('load' as const), owner: fc.nat(7), load: fc.nat(3) }),
      fc.record({ kind: fc.constant('ask' as const), hash: fc.nat(3), self: fc.nat(7), lowest: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const d = new PoolDirectory();
        const held = new Map<number, Map<number, number>>();
        const load = new Array<number>(8).fill(0);
        let version = 0;
        for (const o of ops) {
          if (o.kind === 'add') {
            d.added(o.hash, o.owner);
            const m = held.get(o.hash) ?? new Map<number, number>();
            m.set(o.owner, (m.get(o.owner) ?? 0) + 1);
            held.set(o.hash, m);
          } else if (o.kind === 'remove') {
            d.removed(o.hash, o.owner);
            const m = held.get(o.hash);
            const n = m?.get(o.owner);
            if (m && n !== undefined) {
              if (n > 1) m.set(o.owner, n - 1);
              else m.delete(o.owner);
            }
          } else if (o.kind === 'load') {
            load[o.owner] = o.load;
            version++;
          } else {
            const owners = [...(held.get(o.hash)?.keys() ?? [])];
            const want = o.lowest ? leastLoaded(owners, o.self, () => 0) : leastLoaded(owners, o.self, (w) => load[w]);
            const got = o.lowest ? d.peerHolding(o.hash, o.self) : d.leastLoadedHolder(o.hash, o.self, (w) => load[w], version);
            expect(got).toBe(want);
          }
        }
      }),
    );
  });
});
