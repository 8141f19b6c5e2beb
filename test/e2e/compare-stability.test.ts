import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'kvsim-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => ensureBuilt());

describe('kvsim compare never hides an overloaded variant', () => {
  it('the table has a load column (OVERLOADED when so), the verdict is repeated below it, and the CSV carries it', () => {
    // The deliberately overloaded medium: 2 decode nodes overloaded, 3 enough (see test/e2e/plan.test.ts).
    const out = join(dir, 'c');
    const r = runCli(['compare', 'scenarios/medium-overloaded.yaml', '--vary', 'decode.nodes=2,3', '--out', out]);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/ load$/);
    expect(lines.find((l) => l.startsWith('decode.nodes=2 '))).toMatch(/ OVERLOADED \d+\.\d\dx$/);
    expect(lines.find((l) => l.startsWith('decode.nodes=3 '))).toMatch(/ 0\.\d\dx$/);
    expect(r.stdout).toMatch(/^decode\.nodes=2: OVERLOADED: decode pool at \d+\.\d+x capacity$/m);
    expect(r.stdout).not.toMatch(/^decode\.nodes=3:/m);
    const [header, two, three] = readFileSync(join(out, 'compare.csv'), 'utf8').trim().split('\n');
    expect(header).toMatch(/,stable,prefill_load_factor,decode_load_factor,stability$/);
    expect(two).toMatch(/,false,[\d.]+,1\.\d+,OVERLOADED: decode pool at 1\.\d+x capacity$/);
    expect(three).toMatch(/,true,[\d.]+,0\.\d+,"stable \(/);
  });
});
