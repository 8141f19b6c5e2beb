import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CacheAwareIndex } from '../../src/policies/cache-aware-index.js';
import { CacheAwareRouter } from '../../src/policies/cache-aware.js';
import type { PrefillView } from '../../src/policies/router.js';
import type { Request } from '../../src/workload/request.js';

const SPT = 3e-4; // seconds per backlog token (one prefill model for the pool)

/** Fake instances obeying the index's premise: a non-holder's estimate is backlog·SPT + P. */
function pool(n: number) {
  const backlog = new Array<number>(n).fill(0);
  const loads = new Array<number>(n).fill(0);
  const holds = Array.from({ length: n }, () => new Map<number, number>()); // hash -> reuse saving (s)
  const views: (PrefillView & { backlogTokens(): number })[] = Array.from({ length: n }, (_, i) => ({
    index: i,
    load: () => loads[i],
    backlogTokens: () => backlog[i],
    estimateTtft: (req: Request) => backlog[i] * SPT + (req.inputTokens * 1e-4 - (holds[i].get(req.blockHashes[0]) ?? 0)),
  }));
  return { backlog, loads, holds, views };
}

describe('cache_aware with its index picks what the full scan picks', () => {
  it('random backlogs, loads and cached prefixes', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('backlog' as const), at: fc.nat(), v: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('load' as const), at: fc.nat(), v: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ kind: fc.constant('add' as const), at: fc.nat(), v: fc.integer({ min: 0, max: 5 }) }),
      fc.record({ kind: fc.constant('evict' as const), at: fc.nat(), v: fc.integer({ min: 0, max: 5 }) }),
      fc.record({ kind: fc.constant('route' as const), at: fc.nat(), v: fc.integer({ min: 0, max: 5 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(op, { maxLength: 120 }), (n, ops) => {
        const { backlog, loads, holds, views } = pool(n);
        // Lower bounds: the fastest prefill any hit could give (holders save at most 0.007 s here).
        const index = new CacheAwareIndex(views, { secondsPerToken: SPT, prefillTime: (n, c) => (n + c) * 1e-4 - (c > 0 ? 0.007 : 0) });
        const indexed = new CacheAwareRouter();
        indexed.index = index;
        indexed.blockSize = 512;
        const scan = new CacheAwareRouter();
        for (const o of ops) {
          const i = o.at % n;
          if (o.kind === 'backlog') {
            backlog[i] = o.v;
            index.changed(i);
          } else if (o.kind === 'load') {
            loads[i] = o.v;
            index.changed(i);
          } else if (o.kind === 'add' && !holds[i].has(o.v)) {
            holds[i].set(o.v, 0.001 * (1 + o.at % 7));
            index.added(i, o.v);
          } else if (o.kind === 'evict' && holds[i].has(o.v)) {
            holds[i].delete(o.v);
            index.removed(i, o.v);
          } else if (o.kind === 'route') {
            const req: Request = { id: 0, arrival: 0, inputTokens: 600 + 100 * o.v, outputTokens: 1, blockHashes: [o.v, 99] };
            expect(indexed.route(req, views)).toBe(scan.route(req, views));
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('many holders of a shared system prompt: estimates from prefix hits, as the real instances compute them', () => {
    // The real premise: estimate = backlog·SPT + prefillTime(prompt − cached, cached), cached =
    // min(hits·512, prompt − 1), hits = leading prompt blocks held. Prompts share a 3-block system
    // prompt [1, 2, 3] and go on with blocks 10..13, so up to 45 of 60 instances hold block 1 (more
    // than 32: the index keeps such a list as collected and reuses it while it is unchanged) and a
    // few the longer prefixes: the router skips holders that cannot beat the best (ties included).
    const BS = 512;
    const prefillTime = (n: number, c: number) => n * 1e-4 + n * c * 3e-9 + 0.002;
    const op = fc.oneof(
      fc.record({ kind: fc.constant('backlog' as const), at: fc.nat(), v: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant('load' as const), at: fc.nat(), v: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ kind: fc.constant('hold' as const), at: fc.nat(), v: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('evict' as const), at: fc.nat({ max: 4 }), v: fc.constantFrom(1, 2, 3, 10, 11) }),
      fc.record({ kind: fc.constant('route' as const), at: fc.nat(), v: fc.integer({ min: 0, max: 7 }) }),
    );
    const chain = [1, 2, 3, 10, 11, 12, 13];
    const prompt = (v: number) => chain.slice(0, v);
    const depthOf = (h: number) => chain.indexOf(h);
    fc.assert(
      // indexedDepth: blocks from that index of a prompt on are not indexed (holdingDepth stops there).
      fc.property(fc.integer({ min: 1, max: 60 }), fc.array(op, { maxLength: 150 }), fc.constantFrom(16, 2, 4), (n, ops, indexedDepth) => {
        const backlog = new Array<number>(n).fill(0);
        const loads = new Array<number>(n).fill(0);
        const holds = Array.from({ length: n }, () => new Set<number>());
        const views: (PrefillView & { backlogTokens(): number })[] = Array.from({ length: n }, (_, i) => ({
          index: i,
          load: () => loads[i],
          backlogTokens: () => backlog[i],
          estimateTtft: (req: Request) => {
            const full = Math.floor(req.inputTokens / BS);
            let hits = 0;
            while (hits < full && holds[i].has(req.blockHashes[hits])) hits++;
            const cached = Math.min(hits * BS, req.inputTokens - 1);
            return backlog[i] * SPT + 0 + prefillTime(req.inputTokens - cached, cached);
          },
        }));
        const index = new CacheAwareIndex(views, { secondsPerToken: SPT, prefillTime }, indexedDepth);
        const indexed = new CacheAwareRouter();
        indexed.index = index;
        indexed.blockSize = BS;
        const scan = new CacheAwareRouter();
        // Most instances start holding the system prompt (idle, equal): the case the skip is for.
        for (let i = 0; i < n; i++) {
          if (i % 4 === 3) continue;
          for (const h of prompt(3)) {
            holds[i].add(h);
            index.added(i, h, -1, depthOf(h));
          }
        }
        for (const o of ops) {
          const i = o.at % n;
          if (o.kind === 'backlog') {
            backlog[i] = o.v * 100;
            index.changed(i);
          } else if (o.kind === 'load') {
            loads[i] = o.v;
            index.changed(i);
          } else if (o.kind === 'hold') {
            for (const h of prompt(o.v)) {
              if (holds[i].has(h)) continue;
              holds[i].add(h);
              index.added(i, h, -1, depthOf(h));
            }
          } else if (o.kind === 'evict' && holds[i].has(o.v)) {
            holds[i].delete(o.v);
            index.removed(i, o.v);
          } else if (o.kind === 'route') {
            const blocks = prompt(o.v);
            const req: Request = { id: 0, arrival: 0, inputTokens: Math.max(1, blocks.length * BS + (o.at % 3) * 200 - 100), outputTokens: 1, blockHashes: blocks };
            expect(indexed.route(req, views)).toBe(scan.route(req, views));
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
