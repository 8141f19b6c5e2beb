import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FreeKvIndex, TbtIndex } from '../../src/policies/decode-indexes.js';
import { LeastKvRouter } from '../../src/policies/least-kv.js';
import { PredictedTbtRouter } from '../../src/policies/predicted-tbt.js';
import type { DecodeView } from '../../src/policies/router.js';
import type { Request } from '../../src/workload/request.js';

/**
 * Decode instances as the indexes see them, with the contract the cluster keeps: load, running
 * count and free KV change only with a report; the running context may grow unreported (steps),
 * and a prediction catches the instance up (its accounted context becomes the current one).
 * Step time: 3·b + Σcontext, small integers, so equal predictions (ties) are frequent.
 */
interface Mock {
  load: number;
  running: number;
  free: number;
  accounted: number;
  now: number;
}
const stepTime = (b: number, x: number) => 3 * b + x;
const viewsOf = (ms: Mock[]): DecodeView[] =>
  ms.map((m, index) => ({
    index,
    load: () => m.load,
    freeKvBlocks: () => m.free,
    accountedContext: () => m.accounted,
    decodeTime: stepTime,
    predictedTbt: (c: number) => {
      m.accounted = m.now;
      return stepTime(m.load + 1, m.now + c * (m.load + 1 - m.running));
    },
  }));
const req = (inputTokens: number): Request => ({ id: 0, arrival: 0, inputTokens, outputTokens: 1, blockHashes: [] });

const mock = fc.record({ load: fc.nat(3), runningShare: fc.nat(3), free: fc.nat(4), context: fc.nat(6) }).map(
  (m): Mock => ({ load: m.load, running: Math.min(m.load, m.runningShare), free: m.free, accounted: m.context, now: m.context }),
);
const op = fc.oneof(
  fc.record({ kind: fc.constant('change' as const), at: fc.nat(), to: mock }),
  fc.record({ kind: fc.constant('grow' as const), at: fc.nat(), by: fc.nat(3) }),
  fc.record({ kind: fc.constant('route' as const), prompt: fc.nat(4) }),
);

describe('decode routing indexes', () => {
  it('predicted_tbt with ties (hand-checked): equal steps go to more free KV, then the lower index', () => {
    // b = 1 everywhere, contexts [2, 0, 0], prompt 0 -> c = 1: steps 3+3 = 6, 3+1 = 4, 4: 1 and 2
    // tie; free [9, 1, 5] -> 2. Then 2 gets a sequence (load 1, running 1, context 5): 3·2+6 = 12,
    // so 1 wins with 4.
    const ms: Mock[] = [
      { load: 0, running: 0, free: 9, accounted: 2, now: 2 },
      { load: 0, running: 0, free: 1, accounted: 0, now: 0 },
      { load: 0, running: 0, free: 5, accounted: 0, now: 0 },
    ];
    const views = viewsOf(ms);
    const index = new TbtIndex(views);
    expect(index.best(1)).toBe(2);
    Object.assign(ms[2], { load: 1, running: 1, accounted: 5, now: 5 });
    index.changed(2);
    expect(index.best(1)).toBe(1);
  });

  it('property: through any reported changes and unreported growth, both indexes pick what a scan picks', () => {
    fc.assert(
      fc.property(fc.array(mock, { minLength: 1, maxLength: 8 }), fc.array(op, { maxLength: 60 }), (initial, ops) => {
        const ms = initial.map((m) => ({ ...m }));
        const views = viewsOf(ms);
        const tbt = new PredictedTbtRouter();
        tbt.attach(views);
        const kv = new LeastKvRouter();
        kv.attach(views);
        const scanTbt = new PredictedTbtRouter();
        const scanKv = new LeastKvRouter();
        for (const o of ops) {
          if (o.kind === 'change') {
            const p = o.at % ms.length;
            // A reported change: the context may drop (a finish), the rest is arbitrary.
            Object.assign(ms[p], o.to);
            tbt.loadChanged(p);
            kv.loadChanged(p);
          } else if (o.kind === 'grow') {
            ms[o.at % ms.length].now += o.by; // steps ran, not reported (nor needed: bounds stay valid)
          } else {
            // The scan's predictions catch instances up as the indexed ones do; run it second on
            // copies so both see the same state.
            const snapshot = ms.map((m) => ({ ...m }));
            const got = tbt.route(req(o.prompt), views);
            const want = scanTbt.route(req(o.prompt), viewsOf(snapshot));
            expect(got).toBe(want);
            expect(kv.route(req(o.prompt), views)).toBe(scanKv.route(req(o.prompt), views));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('FreeKvIndex: the most free blocks, ties to the lowest position, after changes (hand-checked)', () => {
    const free = [3, 7, 7, 1];
    const views = free.map((_, index) => ({ index, freeKvBlocks: () => free[index] }) as DecodeView);
    const index = new FreeKvIndex(views);
    expect(index.best()).toBe(1); // 7 at 1 and 2: the lower
    free[1] = 2;
    index.changed(1);
    expect(index.best()).toBe(2);
    free[3] = 7;
    index.changed(3);
    expect(index.best()).toBe(2); // 7 at 2 and 3: the lower
  });
});
