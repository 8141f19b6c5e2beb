import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../src/scenario/input-error.js';
import { applySet } from '../../src/scenario/load.js';
import { parseCoreYaml } from '../../src/scenario/yaml.js';

const err = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message;
  }
  throw new Error('expected an InputError');
};

describe('parseCoreYaml: the YAML 1.2 core schema and nothing else', () => {
  it('reads plain values', () => {
    expect(parseCoreYaml('a: 1\nb: [x, true, null]\nc: { d: 2.5 }\n', 'f.yaml')).toEqual({ a: 1, b: ['x', true, null], c: { d: 2.5 } });
  });

  it('shared (non-cyclic) aliases are fine', () => {
    expect(parseCoreYaml('a: &n { x: 1 }\nb: *n\n', 'f.yaml')).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  it('a text parsed again gives an equal value that the caller may change without touching the next one', () => {
    const text = 'a: &n { x: 1 }\nb: *n\nc: [1, 2]\n';
    const first = parseCoreYaml(text, 'f.yaml') as { a: { x: number }; b: { x: number }; c: number[] };
    // Aliased nodes stay one object within a copy, as in a fresh parse.
    expect(first.b).toBe(first.a);
    first.a.x = 99;
    first.c.push(3);
    const second = parseCoreYaml(text, 'g.yaml') as typeof first;
    expect(second).toEqual({ a: { x: 1 }, b: { x: 1 }, c: [1, 2] });
    expect(second.b).toBe(second.a);
    // A text that fails is not kept: the error names the current caller each time.
    expect(err(() => parseCoreYaml('a: !foo x\n', 'one.yaml'))).toContain('one.yaml: line 1');
    expect(err(() => parseCoreYaml('a: !foo x\n', 'two.yaml'))).toContain('two.yaml: line 1');
  });

  it.each([
    ['a: !foo bar\n', 'f.yaml: line 1: unsupported YAML tag "!foo"'],
    ['a: 1\nb: !!timestamp 2020-01-01\n', 'f.yaml: line 2: unsupported YAML tag "!!timestamp"'],
    ['a: !!set { x }\n', 'unsupported YAML tag "!!set"'],
    ['a: &x [1, *x]\n', 'f.yaml: a.1: a YAML alias refers to the mapping or list that contains it'],
    ['a:\n  __proto__: { polluted: 1 }\n', 'f.yaml: line 2: key "__proto__" is not allowed'],
    ['constructor: 1\n', 'key "constructor" is not allowed'],
    ['a: 1\na: 2\n', 'f.yaml: line 2: invalid YAML: Map keys must be unique'],
  ])('%j -> %s', (text, message) => {
    expect(err(() => parseCoreYaml(text, 'f.yaml'))).toContain(message);
  });
});

describe('--set / --vary key paths never reach Object.prototype', () => {
  it('any path with a prototype segment is refused; others only touch own keys', () => {
    const segment = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'a', 'b'), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.constantFrom('1', 'x', '{p: 1}'), (path, value) => {
        const target: Record<string, unknown> = { a: { b: 1 } };
        try {
          applySet(target, `${path.join('.')}=${value}`);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
        }
        expect(({} as Record<string, unknown>).p).toBeUndefined();
        expect(Object.prototype).not.toHaveProperty('p');
        expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
      }),
      { numRuns: 400, seed: 15 },
    );
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});
