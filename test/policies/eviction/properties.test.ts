import { rngStream } from '../../../src/engine/rng.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSlotIndexed, type EvictionPolicy } from '../../../src/policies/eviction/policy.js';
import { EVICTION_POLICIES, EVICTION_POLICY_NAMES } from '../../../src/policies/eviction/registry.js';

type Op =
  | { t: 'add'; key: number; cost: number | undefined }
  | { t: 'access'; key: number }
  | { t: 'remove'; key: number; forget: boolean }
  | { t: 'evict' };

const key = fc.nat(11);
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('add' as const), key, cost: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }) }), weight: 4 },
  { arbitrary: fc.record({ t: fc.constant('access' as const), key }), weight: 4 },
  { arbitrary: fc.record({ t: fc.constant('remove' as const), key, forget: fc.boolean() }), weight: 2 },
  { arbitrary: fc.constant({ t: 'evict' as const }), weight: 3 },
);
const ops = fc.array(op, { maxLength: 300 });
const capacity = fc.integer({ min: 0, max: 30 });

function apply(p: EvictionPolicy, o: Op): number | undefined {
  switch (o.t) {
    case 'add':
      p.add(o.key, o.cost);
      return undefined;
    case 'access':
      p.access(o.key);
      return undefined;
    case 'remove':
      p.remove(o.key, o.forget);
      return undefined;
    case 'evict':
      return p.evict();
  }
}

/** Runs `ops` and returns the victims (undefined included) in order. */
function victims(p: EvictionPolicy, list: readonly Op[]): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  for (const o of list) {
    const v = apply(p, o);
    if (o.t === 'evict') out.push(v);
  }
  return out;
}

// ---------------------------------------------------------------- naive reference models (O(n))

interface Rec {
  freq: number;
  cost: number;
  touch: number;
  seq: number;
  added: boolean;
  candidate: boolean;
  /** Aging level (last victim's score) when the key was last queued. */
  level: number;
}

/** LRU / LFU / FIFO / cost-aware by a linear scan for the smallest (score, tiebreak). */
class ScanModel implements EvictionPolicy {
  readonly recs = new Map<number, Rec>();
  private clock = 0;
  private seqs = 0;

  /** Dynamic aging: the score of the last victim (LFU-DA). */
  private level = 0;

  constructor(
    readonly name: string,
    private readonly score: (r: Rec) => [number, number],
    private readonly aging = false,
  ) {}

  get size(): number {
    let n = 0;
    for (const r of this.recs.values()) if (r.candidate) n++;
    return n;
  }

  private rec(key: number): Rec {
    let r = this.recs.get(key);
    if (!r) {
      r = { freq: 0, cost: 1, touch: 0, seq: this.seqs++, added: false, candidate: false, level: 0 };
      this.recs.set(key, r);
    }
    return r;
  }

  add(key: number, cost?: number): void {
    const r = this.rec(key);
    if (!r.added) {
      r.added = true;
      r.freq++;
    }
    if (cost !== undefined) r.cost = cost;
    if (this.name === 'fifo' && r.candidate) return; // already in line
    r.candidate = true;
    r.touch = ++this.clock;
    r.level = this.level;
  }

  access(key: number): void {
    if (this.name === 'lru' && !this.recs.get(key)?.candidate) return; // LRU keeps no history
    const r = this.rec(key);
    r.freq++;
    if (r.candidate) {
      r.touch = ++this.clock;
      r.level = this.level;
    }
  }

  remove(key: number, forget: boolean): void {
    const r = this.recs.get(key);
    if (!r) return;
    r.candidate = false;
    if (forget || this.name === 'lru') this.recs.delete(key);
  }

  evict(): number | undefined {
    let best: number | undefined;
    let bs: [number, number] = [Infinity, Infinity];
    for (const [k, r] of this.recs) {
      if (!r.candidate) continue;
      const s = this.score(r);
      if (s[0] < bs[0] || (s[0] === bs[0] && s[1] < bs[1])) {
        best = k;
        bs = s;
      }
    }
    if (best !== undefined) this.recs.delete(best);
    if (best !== undefined && this.aging) this.level = bs[0];
    return best;
  }
}

/** S3-FIFO on plain arrays. */
class S3Model implements EvictionPolicy {
  readonly name = 's3fifo';
  private readonly recs = new Map<number, { freq: number; main: boolean; candidate: boolean }>();
  private readonly S: number[] = [];
  private readonly M: number[] = [];
  private readonly G: number[] = [];
  private readonly sCap: number;
  private readonly gCap: number;

  constructor(capacity: number) {
    this.sCap = Math.max(1, Math.floor(capacity / 10));
    this.gCap = capacity - this.sCap;
  }

  get size(): number {
    return this.S.length + this.M.length;
  }

  private rec(key: number) {
    let r = this.recs.get(key);
    if (!r) {
      const g = this.G.indexOf(key);
      if (g >= 0) this.G.splice(g, 1);
      r = { freq: 0, main: g >= 0, candidate: false };
      this.recs.set(key, r);
    }
    return r;
  }

  add(key: number): void {
    const r = this.rec(key);
    if (r.candidate) return;
    r.candidate = true;
    (r.main ? this.M : this.S).push(key);
  }

  access(key: number): void {
    const r = this.rec(key);
    r.freq = Math.min(3, r.freq + 1);
  }

  remove(key: number, forget: boolean): void {
    const r = this.recs.get(key);
    if (!r) return;
    if (r.candidate) {
      const q = r.main ? this.M : this.S;
      q.splice(q.indexOf(key), 1);
      r.candidate = false;
    }
    if (forget) this.recs.delete(key);
  }

  evict(): number | undefined {
    for (;;) {
      if (this.S.length > 0 && (this.S.length >= this.sCap || this.M.length === 0)) {
        const k = this.S.shift()!;
        const r = this.recs.get(k)!;
        if (r.freq >= 1) {
          r.freq = 0;
          r.main = true;
          this.M.push(k);
          continue;
        }
        this.recs.delete(k);
        if (this.gCap > 0) {
          this.G.push(k);
          if (this.G.length > this.gCap) this.G.shift();
        }
        return k;
      }
      if (this.M.length === 0) return undefined;
      const k = this.M.shift()!;
      const r = this.recs.get(k)!;
      if (r.freq > 0) {
        r.freq--;
        this.M.push(k);
        continue;
      }
      this.recs.delete(k);
      return k;
    }
  }
}

const MODELS: Record<string, (capacity: number) => EvictionPolicy> = {
  lru: () => new ScanModel('lru', (r) => [0, r.touch]),
  lfu: () => new ScanModel('lfu', (r) => [r.freq, r.touch]),
  fifo: () => new ScanModel('fifo', (r) => [r.seq, 0]),
  // The registry's default alpha is 2 (vLLM RFC 23641): benefit = freq × cost².
  cost_aware: () => new ScanModel('cost_aware', (r) => [r.freq * r.cost ** 2, r.touch]),
  s3fifo: (c) => new S3Model(c),
};

// ------------------------------------------------------------------------------------- tests

describe('eviction registry', () => {
  it('lists every policy by its name', () => {
    expect(EVICTION_POLICY_NAMES).toEqual(['lru', 'lfu', 'fifo', 's3fifo', 'cost_aware']);
    for (const name of EVICTION_POLICY_NAMES) expect(EVICTION_POLICIES[name](100, { rng: rngStream(1, 'test') }).name).toBe(name);
  });
});

describe.each(EVICTION_POLICY_NAMES)('%s (properties)', (name) => {
  const make = (cap: number) => EVICTION_POLICIES[name](cap, { rng: rngStream(1, 'test') });

  it('evicts only current candidates, each once per add, and its size matches', () => {
    fc.assert(
      fc.property(capacity, ops, (cap, list) => {
        const p = make(cap);
        const candidates = new Set<number>();
        for (const o of list) {
          const v = apply(p, o);
          if (o.t === 'add') candidates.add(o.key);
          else if (o.t === 'remove') candidates.delete(o.key);
          else if (o.t === 'evict') {
            if (candidates.size === 0) expect(v).toBeUndefined();
            else {
              expect(v).toBeDefined();
              expect(candidates.has(v!)).toBe(true); // never a pinned, evicted or unknown key
              candidates.delete(v!);
            }
          }
          expect(p.size).toBe(candidates.size);
        }
        // Draining returns every remaining candidate exactly once, then undefined.
        const rest: number[] = [];
        for (let v = p.evict(); v !== undefined; v = p.evict()) rest.push(v);
        expect(rest.length).toBe(candidates.size);
        expect(new Set(rest)).toEqual(candidates);
        expect(p.size).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic and matches a naive reference model', () => {
    fc.assert(
      fc.property(capacity, ops, (cap, list) => {
        const got = victims(make(cap), list);
        expect(victims(make(cap), list)).toEqual(got);
        expect(got).toEqual(victims(MODELS[name](cap), list));
      }),
      { numRuns: 150 },
    );
  });
});

/** The table-based policies, which lend their slots to a lower tier's store. */
const SLOT_INDEXED = EVICTION_POLICY_NAMES.filter((n) => isSlotIndexed(EVICTION_POLICIES[n](10, { rng: rngStream(1, 'test') })));

describe.each(SLOT_INDEXED)('%s (slot-indexed properties)', (name) => {
  it('candidateSlot finds exactly the current candidates, before and after any key was pinned', () => {
    expect(['lru', 's3fifo'].every((n) => SLOT_INDEXED.includes(n as never))).toBe(true);
    fc.assert(
      fc.property(capacity, ops, (cap, list) => {
        const p = EVICTION_POLICIES[name](cap, { rng: rngStream(1, 'test') });
        if (!isSlotIndexed(p)) throw new Error(`${name} stopped being slot-indexed`);
        const candidates = new Set<number>();
        for (const o of list) {
          const v = apply(p, o);
          if (o.t === 'add') candidates.add(o.key);
          else if (o.t === 'remove') candidates.delete(o.key);
          else if (v !== undefined) candidates.delete(v);
          for (let k = 0; k <= 11; k++) expect(p.candidateSlot(k) >= 0).toBe(candidates.has(k));
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('lfu with dynamic aging (LFU-DA)', () => {
  it('matches a naive reference model: score = level when queued + frequency, level = last victim score', () => {
    fc.assert(
      fc.property(capacity, ops, (cap, list) => {
        const got = victims(EVICTION_POLICIES.lfu(cap, { aging: true }), list);
        expect(got).toEqual(victims(new ScanModel('lfu', (r) => [r.level + r.freq, r.touch], true), list));
      }),
      { numRuns: 150 },
    );
  });
});
