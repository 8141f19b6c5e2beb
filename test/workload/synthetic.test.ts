import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/scenario/input-error.js';
import {
  syntheticRequests,
  syntheticWorkload,
  type LengthDist,
  type SyntheticConfig,
  type SyntheticRequest,
} from '../../src/workload/synthetic.js';

const base: SyntheticConfig = {
  blockSize: 512,
  numRequests: 2000,
  arrival: { process: 'poisson', rate: 5 },
  inputTokens: { dist: 'lognormal', mean: 1500, cv: 1, max: 20000 },
  outputTokens: { dist: 'uniform', min: 1, max: 400 },
};

function interArrivals(rs: readonly SyntheticRequest[]): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < rs.length; i++) gaps.push(rs[i].arrival - rs[i - 1].arrival);
  return gaps;
}
function meanCv(xs: number[]): { mean: number; cv: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, cv: Math.sqrt(v) / mean };
}
function bySession(rs: readonly SyntheticRequest[]): Map<number, SyntheticRequest[]> {
  const m = new Map<number, SyntheticRequest[]>();
  for (const r of rs) {
    const list = m.get(r.session) ?? [];
    list.push(r);
    m.set(r.session, list);
  }
  for (const list of m.values()) list.sort((a, b) => a.turn - b.turn);
  return m;
}
function boundsOf(d: LengthDist): [number, number] {
  if (d.dist === 'fixed') return [d.value, d.value];
  if (d.dist === 'uniform') return [d.min, d.max];
  return [Math.max(1, d.min ?? 1), d.max ?? Infinity];
}
/** Chained hashes: an id always sits at the same position after the same parent id. */
function checkChains(rs: readonly SyntheticRequest[]): void {
  const seen = new Map<number, [number, number]>();
  for (const r of rs) {
    r.blockHashes.forEach((id, i) => {
      const parent = i === 0 ? -1 : r.blockHashes[i - 1];
      const prev = seen.get(id);
      if (prev === undefined) seen.set(id, [i, parent]);
      else if (prev[0] !== i || prev[1] !== parent) {
        throw new Error(`block id ${id} at position ${i} after ${parent}, earlier at ${prev[0]} after ${prev[1]}`);
      }
    });
  }
}

describe('syntheticWorkload', () => {
  it('is a re-iterable Workload with the configured block size', () => {
    const w = syntheticWorkload({ ...base, numRequests: 50 }, 1);
    expect(w.blockSize).toBe(512);
    expect(w.source).toMatch(/synthetic/);
    const a = [...w];
    expect(a).toHaveLength(50);
    expect([...w]).toEqual(a);
  });

  it('same seed => identical requests; different seed => different', () => {
    const cfg: SyntheticConfig = {
      ...base,
      prefixGroups: { count: 4, prefixTokens: 1000, zipfAlpha: 1 },
      sessions: { turnsMean: 3, thinkTime: 20 },
    };
    expect(syntheticRequests(cfg, 42)).toEqual(syntheticRequests(cfg, 42));
    expect(syntheticRequests(cfg, 'abc')).toEqual(syntheticRequests(cfg, 'abc'));
    const a = syntheticRequests(cfg, 42);
    const b = syntheticRequests(cfg, 43);
    expect(a.map((r) => r.arrival)).not.toEqual(b.map((r) => r.arrival));
    expect(a.map((r) => r.inputTokens)).not.toEqual(b.map((r) => r.inputTokens));
  });

  it('uses no Math.random', () => {
    const src = readFileSync(new URL('../../src/workload/synthetic.ts', import.meta.url), 'utf8');
    expect(src).not.toMatch(/Math\.random/);
  });

  it('changing one distribution does not reshuffle the others', () => {
    const a = syntheticRequests(base, 7);
    const b = syntheticRequests({ ...base, outputTokens: { dist: 'lognormal', mean: 300, cv: 2 } }, 7);
    expect(b.map((r) => r.arrival)).toEqual(a.map((r) => r.arrival));
    expect(b.map((r) => r.inputTokens)).toEqual(a.map((r) => r.inputTokens));
    expect(b.map((r) => r.outputTokens)).not.toEqual(a.map((r) => r.outputTokens));
    // With sessions too (context limit not binding): arrivals and turn structure are kept.
    const s = { ...base, sessions: { turnsMean: 4, thinkTime: 10 } };
    const c = syntheticRequests(s, 7);
    const d = syntheticRequests({ ...s, outputTokens: { dist: 'fixed', value: 100 } }, 7);
    expect(d.map((r) => [r.arrival, r.session, r.turn])).toEqual(c.map((r) => [r.arrival, r.session, r.turn]));
  });

  it('ids are 0..n-1 in arrival order', () => {
    const rs = syntheticRequests({ ...base, sessions: { turnsMean: 5, thinkTime: 0 } }, 3);
    rs.forEach((r, i) => {
      expect(r.id).toBe(i);
      if (i > 0) expect(r.arrival).toBeGreaterThanOrEqual(rs[i - 1].arrival);
    });
    // thinkTime 0 makes ties: they keep generation (turn) order.
    for (let i = 1; i < rs.length; i++) {
      if (rs[i].arrival === rs[i - 1].arrival && rs[i].session === rs[i - 1].session) {
        expect(rs[i].turn).toBeGreaterThan(rs[i - 1].turn);
      }
    }
  });

  it('poisson: mean inter-arrival within 3% of 1/rate over 20k requests, CV ~ 1', () => {
    const rs = syntheticRequests({ ...base, numRequests: 20_000, arrival: { process: 'poisson', rate: 8 } }, 11);
    const { mean, cv } = meanCv(interArrivals(rs));
    expect(Math.abs(mean - 1 / 8) / (1 / 8)).toBeLessThan(0.03);
    expect(cv).toBeGreaterThan(0.95);
    expect(cv).toBeLessThan(1.05);
  });

  it('gamma cv>1 is burstier than poisson with the same mean rate', () => {
    const n = 20_000;
    const p = meanCv(interArrivals(syntheticRequests({ ...base, numRequests: n }, 5)));
    const g = meanCv(
      interArrivals(syntheticRequests({ ...base, numRequests: n, arrival: { process: 'gamma', rate: 5, cv: 3 } }, 5)),
    );
    expect(Math.abs(g.mean - 0.2) / 0.2).toBeLessThan(0.06);
    expect(g.cv).toBeGreaterThan(2.5);
    expect(g.cv).toBeGreaterThan(p.cv * 2);
    // cv < 1 is smoother than poisson.
    const s = meanCv(
      interArrivals(syntheticRequests({ ...base, numRequests: n, arrival: { process: 'gamma', rate: 5, cv: 0.5 } }, 5)),
    );
    expect(Math.abs(s.mean - 0.2) / 0.2).toBeLessThan(0.03);
    expect(s.cv).toBeGreaterThan(0.45);
    expect(s.cv).toBeLessThan(0.55);
  });

  it('sessions: overall request rate ~ rate, turns ~ turnsMean', () => {
    const rs = syntheticRequests(
      { ...base, numRequests: 20_000, sessions: { turnsMean: 4, thinkTime: 5 }, inputTokens: { dist: 'fixed', value: 200 } },
      9,
    );
    const span = rs[rs.length - 1].arrival - rs[0].arrival;
    expect(Math.abs(rs.length / span - 5) / 5).toBeLessThan(0.05);
    // Sessions complete well before the end: mean turns per session close to 4.
    const complete = [...bySession(rs).values()].filter((l) => l[0].arrival < span / 2);
    const turns = complete.reduce((a, l) => a + l.length, 0) / complete.length;
    expect(turns).toBeGreaterThan(3.7);
    expect(turns).toBeLessThan(4.3);
  });

  it('lognormal lengths have about the configured mean', () => {
    const rs = syntheticRequests(
      { ...base, numRequests: 20_000, outputTokens: { dist: 'lognormal', mean: 300, cv: 0.5 } },
      2,
    );
    const { mean, cv } = meanCv(rs.map((r) => r.outputTokens));
    expect(Math.abs(mean - 300) / 300).toBeLessThan(0.03);
    expect(Math.abs(cv - 0.5)).toBeLessThan(0.05);
  });

  it('prefix groups share their full prefix blocks, and only within the group', () => {
    // 2000 prefix tokens = 3 full blocks + a partial one that mixes in each session's own tokens.
    const rs = syntheticRequests(
      { ...base, numRequests: 500, prefixGroups: { count: 5, prefixTokens: 2000, zipfAlpha: 1.2 } },
      4,
    );
    const lead = new Map<number, string>();
    const counts = [0, 0, 0, 0, 0];
    const fourth = new Set<number>();
    for (const r of rs) {
      counts[r.group]++;
      const key = JSON.stringify(r.blockHashes.slice(0, 3));
      if (lead.has(r.group)) expect(key).toBe(lead.get(r.group));
      else lead.set(r.group, key);
      expect(fourth.has(r.blockHashes[3])).toBe(false); // each session's partial prefix block is its own
      fourth.add(r.blockHashes[3]);
    }
    expect(lead.size).toBe(5);
    const firstIds = [...lead.values()].map((k) => JSON.parse(k) as number[]);
    for (let g = 0; g < 5; g++) {
      for (let h = g + 1; h < 5; h++) {
        expect(firstIds[g].some((id) => firstIds[h].includes(id))).toBe(false);
      }
    }
    // Zipf: the first group is the most popular.
    expect(counts[0]).toBe(Math.max(...counts));
    expect(counts[0]).toBeGreaterThan(counts[4] * 3);
  });

  it("turn k+1 extends turn k's full blocks; the formerly partial block gets a new id", () => {
    const B = 128;
    const rs = syntheticRequests(
      {
        ...base,
        blockSize: B,
        numRequests: 3000,
        sessions: { turnsMean: 6, thinkTime: 30 },
        prefixGroups: { count: 3, prefixTokens: 300, zipfAlpha: 0 },
        inputTokens: { dist: 'uniform', min: 1, max: 700 },
        outputTokens: { dist: 'uniform', min: 1, max: 300 },
      },
      8,
    );
    let pairs = 0;
    let partials = 0;
    for (const turns of bySession(rs).values()) {
      for (let k = 0; k + 1 < turns.length; k++) {
        const [a, b] = [turns[k], turns[k + 1]];
        if (b.turn !== a.turn + 1) continue; // a later turn may be cut off by numRequests
        pairs++;
        expect(b.arrival).toBeGreaterThanOrEqual(a.arrival);
        expect(b.inputTokens).toBeGreaterThan(a.inputTokens + a.outputTokens);
        const full = Math.floor(a.inputTokens / B);
        expect(b.blockHashes.slice(0, full)).toEqual(a.blockHashes.slice(0, full));
        if (a.inputTokens % B !== 0) {
          partials++;
          expect(b.blockHashes[full]).not.toBe(a.blockHashes[full]);
        }
        // Everything past the shared prefix is new.
        for (const id of b.blockHashes.slice(full)) expect(a.blockHashes).not.toContain(id);
      }
    }
    expect(pairs).toBeGreaterThan(1000);
    expect(partials).toBeGreaterThan(900);
    checkChains(rs);
  });

  it('hashes length == ceil(inputTokens / blockSize)', () => {
    for (const B of [1, 16, 512, 1000]) {
      const rs = syntheticRequests(
        { ...base, blockSize: B, numRequests: 300, sessions: { turnsMean: 3, thinkTime: 1 } },
        B,
      );
      for (const r of rs) expect(r.blockHashes.length).toBe(Math.ceil(r.inputTokens / B));
    }
  });

  it('maxContextTokens ends sessions and truncates a first turn that would not fit', () => {
    const max = 4000;
    const rs = syntheticRequests(
      {
        ...base,
        numRequests: 2000,
        maxContextTokens: max,
        prefixGroups: { count: 2, prefixTokens: 1000, zipfAlpha: 1 },
        sessions: { turnsMean: 20, thinkTime: 5 },
        inputTokens: { dist: 'uniform', min: 500, max: 5000 },
      },
      6,
    );
    for (const r of rs) expect(r.inputTokens).toBeLessThanOrEqual(max);
    expect(rs.some((r) => r.turn === 0 && r.inputTokens === max)).toBe(true); // truncated first turns
    const longest = Math.max(...[...bySession(rs).values()].map((l) => l.length));
    expect(longest).toBeLessThan(8); // 20-turn sessions cannot fit in 4000 tokens
  });

  it('numRequests keeps the first N by arrival: a bigger N extends a smaller one', () => {
    const cfg: SyntheticConfig = { ...base, sessions: { turnsMean: 5, thinkTime: 60 } };
    const small = syntheticRequests({ ...cfg, numRequests: 300 }, 1);
    const big = syntheticRequests({ ...cfg, numRequests: 900 }, 1);
    expect(small).toHaveLength(300);
    expect(big.slice(0, 300)).toEqual(small);
  });

  it('is generated lazily: the first requests of a 10M-request workload come without generating the rest', () => {
    // Materialising 10M requests would take minutes and gigabytes; this takes milliseconds.
    const it10M = syntheticWorkload({ ...base, numRequests: 10_000_000 }, 1)[Symbol.iterator]();
    const first: SyntheticRequest[] = [];
    for (let i = 0; i < 1000; i++) first.push(it10M.next().value as SyntheticRequest);
    expect(first).toEqual(syntheticRequests({ ...base, numRequests: 1000 }, 1));
  });

  it('duration caps arrivals; with numRequests, whichever comes first', () => {
    const cfg: SyntheticConfig = { ...base, numRequests: undefined, duration: 100, sessions: { turnsMean: 3, thinkTime: 20 } };
    const d100 = syntheticRequests(cfg, 2);
    expect(d100.every((r) => r.arrival <= 100)).toBe(true);
    expect(d100[d100.length - 1].arrival).toBeGreaterThan(95);
    const d200 = syntheticRequests({ ...cfg, duration: 200 }, 2);
    expect(d200.filter((r) => r.arrival <= 100)).toEqual(d100);
    expect(syntheticRequests({ ...cfg, numRequests: 10 }, 2)).toEqual(d100.slice(0, 10));
    expect(syntheticRequests({ ...cfg, numRequests: 1_000_000 }, 2)).toEqual(d100);
  });

  it('rejects nonsensical configs with InputError(scenario, workload.<field>)', () => {
    const cases: [Partial<SyntheticConfig> & Record<string, unknown>, string][] = [
      [{ arrival: { process: 'poisson', rate: 0 } }, 'workload.arrival.rate'],
      [{ arrival: { process: 'poisson', rate: -1 } }, 'workload.arrival.rate'],
      [{ arrival: { process: 'gamma', rate: 1, cv: 0 } }, 'workload.arrival.cv'],
      [{ inputTokens: { dist: 'uniform', min: 10, max: 5 } }, 'workload.inputTokens'],
      [{ outputTokens: { dist: 'lognormal', mean: 0, cv: 1 } }, 'workload.outputTokens.mean'],
      [{ outputTokens: { dist: 'lognormal', mean: 10, cv: 1, min: 50, max: 20 } }, 'workload.outputTokens'],
      [{ outputTokens: { dist: 'fixed', value: 0 } }, 'workload.outputTokens.value'],
      [{ numRequests: undefined, duration: undefined }, 'workload.numRequests'],
      [{ numRequests: 0 }, 'workload.numRequests'],
      [{ duration: -5 }, 'workload.duration'],
      [{ blockSize: 0 }, 'workload.blockSize'],
      [{ sessions: { turnsMean: 0.5, thinkTime: 1 } }, 'workload.sessions.turnsMean'],
      [{ sessions: { turnsMean: 2, thinkTime: -1 } }, 'workload.sessions.thinkTime'],
      [{ prefixGroups: { count: 0, prefixTokens: 10, zipfAlpha: 1 } }, 'workload.prefixGroups.count'],
      [{ prefixGroups: { count: 2, prefixTokens: 200_000, zipfAlpha: 1 } }, 'workload.prefixGroups.prefixTokens'],
      [{ numRequests: undefined, duration: 1e9 }, 'workload.duration'],
    ];
    for (const [patch, field] of cases) {
      let err: unknown;
      try {
        syntheticWorkload({ ...base, ...patch } as SyntheticConfig, 1);
      } catch (e) {
        err = e;
      }
      expect(err, field).toBeInstanceOf(InputError);
      expect((err as InputError).where).toBe('scenario');
      expect((err as InputError).field).toBe(field);
    }
  });
});

describe('syntheticRequests properties', () => {
  const lengthDist: fc.Arbitrary<LengthDist> = fc.oneof(
    fc.integer({ min: 1, max: 3000 }).map((value) => ({ dist: 'fixed' as const, value })),
    fc
      .tuple(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 3000 }))
      .map(([min, span]) => ({ dist: 'uniform' as const, min, max: min + span })),
    fc
      .record({
        mean: fc.double({ min: 1, max: 5000, noNaN: true }),
        cv: fc.double({ min: 0, max: 3, noNaN: true }),
        min: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
        max: fc.option(fc.integer({ min: 100, max: 8000 }), { nil: undefined }),
      })
      .map((r) => ({ dist: 'lognormal' as const, ...r })),
  );
  const config: fc.Arbitrary<SyntheticConfig> = fc.record(
    {
      blockSize: fc.constantFrom(1, 7, 64, 512),
      numRequests: fc.option(fc.integer({ min: 1, max: 150 }), { nil: undefined }),
      duration: fc.double({ min: 0.5, max: 60, noNaN: true }),
      arrival: fc.oneof(
        fc.record({ process: fc.constant('poisson' as const), rate: fc.double({ min: 0.1, max: 20, noNaN: true }) }),
        fc.record({
          process: fc.constant('gamma' as const),
          rate: fc.double({ min: 0.1, max: 20, noNaN: true }),
          cv: fc.double({ min: 0.1, max: 5, noNaN: true }),
        }),
      ),
      inputTokens: lengthDist,
      outputTokens: lengthDist,
      prefixGroups: fc.option(
        fc.record({
          count: fc.integer({ min: 1, max: 6 }),
          prefixTokens: fc.integer({ min: 0, max: 3000 }),
          zipfAlpha: fc.double({ min: 0, max: 3, noNaN: true }),
        }),
        { nil: undefined },
      ),
      sessions: fc.option(
        fc.record({
          turnsMean: fc.double({ min: 1, max: 8, noNaN: true }),
          thinkTime: fc.double({ min: 0, max: 30, noNaN: true }),
        }),
        { nil: undefined },
      ),
      maxContextTokens: fc.option(fc.integer({ min: 3001, max: 40_000 }), { nil: undefined }),
    },
    { requiredKeys: ['blockSize', 'arrival', 'inputTokens', 'outputTokens', 'duration'] },
  );

  it('arrivals non-decreasing, lengths within bounds, consistent hash chains', () => {
    fc.assert(
      fc.property(config, fc.oneof(fc.integer(), fc.string()), (cfg, seed) => {
        const rs = syntheticRequests(cfg, seed);
        const maxCtx = cfg.maxContextTokens ?? 131072;
        const prefix = cfg.prefixGroups?.prefixTokens ?? 0;
        const [inLo] = boundsOf(cfg.inputTokens);
        const [outLo, outHi] = boundsOf(cfg.outputTokens);
        if (cfg.numRequests !== undefined) expect(rs.length).toBeLessThanOrEqual(cfg.numRequests);
        rs.forEach((r, i) => {
          expect(r.id).toBe(i);
          if (i > 0) expect(r.arrival).toBeGreaterThanOrEqual(rs[i - 1].arrival);
          expect(r.arrival).toBeGreaterThan(0);
          expect(r.arrival).toBeLessThanOrEqual(cfg.duration as number);
          expect(Number.isInteger(r.inputTokens)).toBe(true);
          expect(r.inputTokens).toBeLessThanOrEqual(maxCtx);
          expect(r.inputTokens).toBeGreaterThanOrEqual(prefix + Math.min(inLo, maxCtx - prefix));
          expect(Number.isInteger(r.outputTokens)).toBe(true);
          expect(r.outputTokens).toBeGreaterThanOrEqual(outLo);
          expect(r.outputTokens).toBeLessThanOrEqual(outHi);
          expect(r.blockHashes.length).toBe(Math.ceil(r.inputTokens / cfg.blockSize));
          if (!cfg.sessions) expect(r.turn).toBe(0);
        });
        checkChains(rs);
      }),
      { numRuns: 150 },
    );
  });
});
