import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DEVICES } from '../../src/cluster/catalog/hardware.js';
import { MODELS } from '../../src/cluster/catalog/models.js';
import { StepTimeModel, type BatchShape } from '../../src/cluster/step-time.js';
import { arbShape } from './arbitraries.js';

const FIELDS = [
  'prefillTokens',
  'prefillAttention',
  'prefillContextTokens',
  'sampledSeqs',
  'decodeSeqs',
  'decodeContextTokens',
] as const;

const arbBatch = fc.record({
  prefillTokens: fc.integer({ min: 0, max: 32_768 }),
  prefillAttention: fc.double({ min: 0, max: 1e9, noNaN: true }),
  prefillContextTokens: fc.integer({ min: 0, max: 1_000_000 }),
  sampledSeqs: fc.integer({ min: 0, max: 1024 }),
  decodeSeqs: fc.integer({ min: 0, max: 1024 }),
  decodeContextTokens: fc.integer({ min: 0, max: 10_000_000 }),
});


describe('step time properties', () => {
  it('is monotone non-decreasing in each BatchShape field', () => {
    fc.assert(
      fc.property(
        arbShape,
        arbBatch,
        fc.constantFrom(...FIELDS),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (s, b, field, delta) => {
          const m = new StepTimeModel({ ...s, model: MODELS[s.model], device: DEVICES[s.device] });
          const before = m.step(b).time;
          const bigger: BatchShape = { ...b, [field]: b[field] + delta };
          const after = m.step(bigger).time;
          expect(after).toBeGreaterThanOrEqual(before);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is finite and non-negative, and 0 only when there are no new tokens', () => {
    fc.assert(
      fc.property(arbShape, arbBatch, (s, b) => {
        const m = new StepTimeModel({ ...s, model: MODELS[s.model], device: DEVICES[s.device] });
        const c = m.step(b);
        expect(Number.isFinite(c.time)).toBe(true);
        expect(c.time).toBeGreaterThanOrEqual(0);
        expect(c.time === 0).toBe(b.prefillTokens + b.decodeSeqs === 0);
        if (c.time > 0) expect(c.time).toBeCloseTo(c.compute + c.memory + c.comm + c.overhead, 12);
      }),
      { numRuns: 1000 },
    );
  });
});
