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
});
