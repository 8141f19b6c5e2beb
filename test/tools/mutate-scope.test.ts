/**
 * The mutation-testing scope of cluster.ts is given to StrykerJS as line ranges computed from
 * method names: check they cover exactly those methods' bodies, and that a renamed method fails
 * loudly instead of leaving the scope silently empty.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM helper shared with stryker.config.mjs, no type declarations
import { methodRanges } from './mutate-scope.mjs';
// @ts-expect-error -- the StrykerJS config is plain ESM
import config, { clusterMethods } from '../../stryker.config.mjs';

const FILE = 'src/cluster/cluster.ts';

describe('mutation scope of cluster.ts', () => {
  const lines = readFileSync(FILE, 'utf8').split('\n');

  it('each configured range starts at its method signature and ends at its closing brace', () => {
    const ranges: string[] = methodRanges(FILE, clusterMethods);
    expect(ranges).toHaveLength(clusterMethods.length);
    ranges.forEach((range, k) => {
      const [start, end] = range.slice(FILE.length + 1).split('-').map(Number);
      const first = lines[start - 1];
      expect(first).toMatch(new RegExp(`^\\s*(private )?${clusterMethods[k]}\\(`));
      const indent = first.match(/^\s*/)![0];
      expect(lines[end - 1]).toBe(`${indent}}`);
    });
    expect(config.mutate).toEqual(expect.arrayContaining(ranges));
  });

  it('a method name absent from the file is an error', () => {
    expect(() => methodRanges(FILE, ['submit', 'noSuchMethod'])).toThrow(/no method noSuchMethod in src\/cluster\/cluster.ts/);
  });
});
