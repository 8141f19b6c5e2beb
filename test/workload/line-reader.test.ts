import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readLines } from '../../src/workload/line-reader.js';
import { InputError } from '../../src/scenario/input-error.js';

const dir = mkdtempSync(join(tmpdir(), 'kvsim-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
function file(content: string | Buffer): string {
  const p = join(dir, `f${fileNo++}.txt`);
  writeFileSync(p, content);
  return p;
}

/** What an editor would show: split on \n, drop the \r of \r\n, no phantom last line. */
function expected(content: string): string[] {
  if (content === '') return [];
  const parts = content.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

function read(path: string, bufferSize?: number): string[] {
  const out: string[] = [];
  let n = 0;
  for (const { line, lineNo } of readLines(path, bufferSize)) {
    expect(lineNo).toBe(++n);
    out.push(line);
  }
  return out;
}

const CASES: Record<string, string> = {
  empty: '',
  'single newline': '\n',
  'no trailing newline': 'alpha\nbeta\ngamma',
  'trailing newline': 'alpha\nbeta\ngamma\n',
  crlf: 'alpha\r\nbeta\r\n\r\ngamma\r\n',
  'crlf, no trailing newline': 'alpha\r\nbeta',
  'blank lines': '\n\na\n\n\nb\n\n',
  'lone \\r kept inside a line': 'a\rb\nc\r',
  'one long line': 'x'.repeat(1000),
  'multi-byte utf-8': 'héllo wörld\n日本語のテキスト\n🙂🙃\nend',
};

describe('readLines', () => {
  for (const [name, content] of Object.entries(CASES)) {
    it(`${name}: same lines at every buffer size`, () => {
      const p = file(content);
      for (const size of [1, 2, 3, 4, 5, 7, 16, 1 << 20]) {
        expect(read(p, size), `bufferSize ${size}`).toEqual(expected(content));
      }
    });
  }

  it('\\r\\n split exactly at a buffer boundary', () => {
    // "ab\r" fills a 3-byte buffer, "\n" starts the next one.
    const p = file('ab\r\ncd\r\n');
    expect(read(p, 3)).toEqual(['ab', 'cd']);
    expect(read(p, 4)).toEqual(['ab', 'cd']);
  });

  it('strips a UTF-8 byte-order mark', () => {
    const p = file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a\nb\n')]));
    expect(read(p, 2)).toEqual(['a', 'b']);
  });

  it('matches a plain split on random content and buffer sizes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('', '\r', '{"a": 1}')), {
          maxLength: 20,
        }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        (lines, eol, trailing, size) => {
          const clean = lines.map((l) => l.replace(/[\r\n]/g, ''));
          const content = clean.join(eol) + (trailing && clean.length > 0 ? eol : '');
          expect(read(file(content), size)).toEqual(expected(content));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a missing file is an InputError naming the path and ENOENT', () => {
    const p = join(dir, 'does-not-exist.jsonl');
    let err: unknown;
    try {
      read(p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).where).toBe(p);
    expect((err as InputError).message).toMatch(/cannot read trace file \(ENOENT/);
  });

  it('a directory is an InputError, not a crash', () => {
    expect(() => read(dir)).toThrow(InputError);
  });

  it('stops reading when the consumer breaks out early', () => {
    const p = file('a\nb\nc\n');
    for (let i = 0; i < 5000; i++) {
      // Would run out of file descriptors if `break` did not close the file.
      for (const l of readLines(p, 1)) {
        expect(l.line).toBe('a');
        break;
      }
    }
  });
});
