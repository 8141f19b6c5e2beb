import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../src/scenario/input-error.js';
import { escapeControl, MAX_ECHO_CHARS, showValue } from '../../src/util/show-value.js';

describe('showValue: echoing user values in one error line', () => {
  it('renders small values like JSON', () => {
    expect(showValue({ a: [1, 'x', null] })).toBe('{"a":[1,"x",null]}');
    expect(showValue(undefined)).toBe('nothing');
  });

  it('survives a value that contains itself (self-referencing YAML alias)', () => {
    const a: unknown[] = [1];
    a.push(a);
    expect(showValue(a)).toBe('[1,[circular]]');
  });

  it('cuts a huge value to ~200 characters and says how long the rendering was', () => {
    const s = showValue('x'.repeat(5_000_000));
    // 200 kept + "… (N characters)"; the render itself stops early, so N is ~budget, not 5M.
    expect(s.length).toBeLessThan(MAX_ECHO_CHARS + 40);
    expect(s.startsWith('"xxx')).toBe(true);
    expect(s).toContain('…');
    const big = showValue(Array.from({ length: 1_000_000 }, (_, i) => i));
    expect(big.length).toBeLessThan(MAX_ECHO_CHARS + 40);
  });

  it('escapes control bytes so nothing reaches the terminal raw', () => {
    expect(escapeControl('a\u001b[31mb\nc\u0000')).toBe('a\\x1b[31mb\\nc\\x00');
    fc.assert(
      fc.property(fc.anything(), (v) => {
        const s = showValue(v);
        // eslint-disable-next-line no-control-regex
        expect(s).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
        expect(s.length).toBeLessThan(MAX_ECHO_CHARS + 40);
      }),
      { numRuns: 300, seed: 15 },
    );
  });

  it('InputError keeps its message on one printable line whatever it is given', () => {
    const e = new InputError('a\nb.yaml', 'line\r2', `bad \u001b]0;title\u0007 ${'y'.repeat(100_000)}`);
    expect(e.message).not.toMatch(/[\n\r\u001b\u0007]/);
    expect(e.message.length).toBeLessThan(3_200);
  });
});
