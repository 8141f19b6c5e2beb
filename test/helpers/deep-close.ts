import { expect } from 'vitest';

/**
 * Asserts two plain values (numbers, objects, arrays, strings) are equal, numbers to relative
 * tolerance `rel` (of the larger magnitude, at least 1): for results that may differ only in the
 * order of floating-point sums. Fails naming the path of the first difference.
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
