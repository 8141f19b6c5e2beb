/**
 * stopOptimizing (src/util/jit.ts) flips a V8 flag at run time, which Node documents as possibly
 * ignored: these check, in fresh processes, that a hot function is optimized by default and no
 * longer once stopOptimizing ran, and that the build's code-cache training run keeps the flags.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../e2e/cli-helpers.js';

/** Runs a hot function after `before` (a statement) in a fresh node with --trace-opt; whether V8 optimized it. */
function optimizedAfter(before: string): boolean {
  ensureBuilt();
  const jit = pathToFileURL(join(ROOT, 'dist/util/jit.js')).href;
  const script =
    `const { stopOptimizing } = await import(${JSON.stringify(jit)}); ${before}\n` +
    'function hotSpot(x) { return x * 2 + 1; }\nlet s = 0; for (let i = 0; i < 300000; i++) s += hotSpot(i);\nconsole.log(s);';
  const r = spawnSync(process.execPath, ['--trace-opt', '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toContain('90000000000'); // the loop ran: the sum of 2i + 1 over i < 300,000 is 300,000^2
  return /completed optimizing[^\n]*hotSpot/.test(r.stdout);
}

describe('stopOptimizing', () => {
  it('a hot function is optimized by default', () => {
    expect(optimizedAfter('')).toBe(true);
  });
  it('no function is optimized after stopOptimizing()', () => {
    expect(optimizedAfter('stopOptimizing();')).toBe(false);
  });
  it('leaves the flags alone in the code-cache training run (a cache is stamped with the flags it was made under)', () => {
    expect(optimizedAfter("globalThis[Symbol.for('kvsim.saveCodeCache')] = () => {}; stopOptimizing();")).toBe(true);
  });
});
