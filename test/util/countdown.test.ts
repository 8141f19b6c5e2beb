import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countdown } from '../../src/util/countdown.js';

describe('countdown: a callback that fires its target on the n-th call', () => {
  it('calls done once, on the third of three calls, and never after', () => {
    let fired = 0;
    const tick = countdown(3, () => fired++);
    tick();
    tick();
    expect(fired).toBe(0);
    tick();
    expect(fired).toBe(1);
    tick();
    expect(fired).toBe(1);
  });

  it('for any n, done runs exactly at call n (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 60 }), (n, calls) => {
        let firedAt = -1;
        let call = 0;
        const tick = countdown(n, () => (firedAt = call));
        for (call = 1; call <= calls; call++) tick();
        expect(firedAt).toBe(calls >= n ? n : -1);
      }),
    );
  });
});
