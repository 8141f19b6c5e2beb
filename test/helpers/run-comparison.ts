import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { RequestRecord } from '../../src/metrics/request-record.js';
import type { runScenario } from '../../src/run.js';

/** The golden suite's base scenario: small random clusters are built on it with --set overrides. */
export const GOLDEN_BASE = fileURLToPath(new URL('../golden/base.yaml', import.meta.url));

/** Relative tolerance of a reordered floating-point sum of at most ~1e5 terms (≈ 1e5 · 2^-53, with margin). */
export const SUM_ORDER_REL = 1e-9;

const TIMES = ['prefillStart', 'prefillEnd', 'transferStart', 'transferEnd', 'decodeStart', 'firstToken', 'finish'] as const;

/**
 * Asserts two plain values (numbers, objects, arrays, strings) are equal, numbers to relative
 * tolerance `rel` (of the larger magnitude, at least 1). Fails naming the path of the first difference.
 */
export function expectDeepClose(a: unknown, b: unknown, rel: number, path = ''): void {
  if (typeof a === 'number' && typeof b === 'number') {
    const tol = rel * Math.max(1, Math.abs(a), Math.abs(b));
    if (!(Math.abs(a - b) <= tol || (Number.isNaN(a) && Number.isNaN(b)))) expect.fail(`${path}: ${a} vs ${b}`);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      expectDeepClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], rel, `${path}.${k}`);
    }
    return;
  }
  expect(a, path).toEqual(b);
}

type Run = ReturnType<typeof runScenario>;

/**
 * Two runs of one scenario made two ways agree: every summary number up to summation order (the
 * simulator's own counters aside), and every request on the same instances with the same
 * timeline — exactly, or to `timesRel` when the two ways sum step times in other orders.
 */
export function expectSameRuns(reference: Run, other: Run, timesRel = 0): void {
  const { sim: _a, ...a } = reference.summary;
  const { sim: _b, ...b } = other.summary;
  expectDeepClose(b, a, SUM_ORDER_REL, 'summary');
  const ra: readonly RequestRecord[] = reference.metrics.records;
  const rb: readonly RequestRecord[] = other.metrics.records;
  expect(rb.length).toBe(ra.length);
  for (let i = 0; i < ra.length; i++) {
    expect(rb[i].prefillInstance, `request ${i} prefill`).toBe(ra[i].prefillInstance);
    expect(rb[i].decodeInstance, `request ${i} decode`).toBe(ra[i].decodeInstance);
    for (const k of TIMES) {
      if (timesRel === 0) expect(rb[i][k], `request ${i}.${k}`).toBe(ra[i][k]);
      else expectDeepClose(rb[i][k], ra[i][k], timesRel, `request ${i}.${k}`);
    }
  }
}
