import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/scenario/input-error.js';
import { openMooncakeTrace, type TraceOptions } from '../../src/workload/mooncake-trace.js';
import type { Request } from '../../src/workload/request.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const read = (path: string, opts?: TraceOptions): Request[] => [...openMooncakeTrace(path, opts)];

const dir = mkdtempSync(join(tmpdir(), 'kvsim-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The InputError thrown while iterating `path`. */
function iterError(path: string): InputError {
  try {
    read(path);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error(`expected ${path} to fail`);
}

describe('openMooncakeTrace on fixtures', () => {
  const good = fixture('trace-good.jsonl');

  it('reads fields, converts ms to s and numbers ids in order', () => {
    const w = openMooncakeTrace(good);
    expect(w.blockSize).toBe(512);
    expect(w.source).toBe(good);
    expect([...w]).toEqual([
      { id: 0, arrival: 0, inputTokens: 1000, outputTokens: 10, blockHashes: [0, 1] },
      { id: 1, arrival: 1.5, inputTokens: 600, outputTokens: 5, blockHashes: [0, 2] },
      { id: 2, arrival: 2, inputTokens: 512, outputTokens: 7, blockHashes: [0] },
      { id: 3, arrival: 4, inputTokens: 513, outputTokens: 1, blockHashes: [0, 3] },
    ]);
  });

  it('200-line slice of the conversation trace', () => {
    const path = fixture('conversation-200.jsonl');
    const raw = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const w = openMooncakeTrace(path);
    const reqs = [...w];
    expect(reqs).toHaveLength(200);
    reqs.forEach((r, i) => {
      expect(r.id).toBe(i);
      expect(r.arrival).toBe(raw[i].timestamp / 1000);
      expect(r.inputTokens).toBe(raw[i].input_length);
      expect(r.outputTokens).toBe(raw[i].output_length);
      expect(r.blockHashes).toEqual(raw[i].hash_ids);
      expect(r.blockHashes.length).toBe(Math.ceil(r.inputTokens / 512));
      if (i > 0) expect(r.arrival).toBeGreaterThanOrEqual(reqs[i - 1].arrival);
    });
    // Re-iterable: a second pass re-reads the file and gives the same requests.
    expect([...w]).toEqual(reqs);
  });

  it('skips blank lines and handles \\r\\n and a last line without newline', () => {
    const lines = readFileSync(good, 'utf8').trim().split('\n');
    const p = join(dir, 'crlf.jsonl');
    writeFileSync(p, `\r\n${lines[0]}\r\n\r\n${lines[1]}\r\n   \t\r\n${lines[2]}\r\n${lines[3]}`);
    expect(read(p)).toEqual(read(good));
  });

  it('an empty file is an empty workload', () => {
    const p = join(dir, 'empty.jsonl');
    writeFileSync(p, '');
    expect(read(p)).toEqual([]);
  });

  it('timeScale multiplies arrivals', () => {
    expect(read(good, { timeScale: 0.5 }).map((r) => r.arrival)).toEqual([0, 0.75, 1, 2]);
    expect(read(good, { timeScale: 2 }).map((r) => r.arrival)).toEqual([0, 3, 4, 8]);
  });

  it('limit caps the number of requests and stops reading', () => {
    expect(read(good, { limit: 2 }).map((r) => r.id)).toEqual([0, 1]);
    expect(read(good, { limit: 0 })).toEqual([]);
    expect(read(good, { limit: 100 })).toHaveLength(4);
    // Line 3 is broken, but with limit 2 it is never parsed.
    expect(read(fixture('trace-bad-json.jsonl'), { limit: 2 })).toHaveLength(2);
  });

  it('startOffset skips earlier requests and rebases arrivals to 0', () => {
    const r = read(good, { startOffset: 1.5 });
    expect(r.map((x) => x.id)).toEqual([0, 1, 2]);
    expect(r.map((x) => x.arrival)).toEqual([0, 0.5, 2.5]);
    expect(r[0].inputTokens).toBe(600);
    // Offset first, then scale; limit counts yielded requests.
    const s = read(good, { startOffset: 1.6, timeScale: 2, limit: 1 });
    expect(s).toHaveLength(1);
    expect(s[0].arrival).toBeCloseTo(0.8, 12);
    expect(s[0].inputTokens).toBe(512);
  });

  it('rejects bad options', () => {
    expect(() => openMooncakeTrace(good, { timeScale: 0 })).toThrow(/timeScale/);
    expect(() => openMooncakeTrace(good, { timeScale: -1 })).toThrow(InputError);
    expect(() => openMooncakeTrace(good, { limit: 1.5 })).toThrow(/limit/);
    expect(() => openMooncakeTrace(good, { startOffset: -1 })).toThrow(/startOffset/);
  });

  it('a missing file fails at open time', () => {
    const p = join(dir, 'nope.jsonl');
    expect(() => openMooncakeTrace(p)).toThrow(InputError);
    expect(() => openMooncakeTrace(p)).toThrow(/cannot read trace file: not found/);
  });

  const bad: [string, number, RegExp][] = [
    ['trace-bad-json.jsonl', 3, /invalid JSON/],
    ['trace-missing-field.jsonl', 2, /"output_length" must be an integer >= 1.*got nothing/],
    ['trace-negative-length.jsonl', 3, /"input_length" must be an integer >= 1.*got -512/],
    ['trace-zero-output.jsonl', 2, /"output_length" must be an integer >= 1.*got 0/],
    ['trace-negative-hash.jsonl', 2, /"hash_ids"\[1\] must be an integer >= 0/],
    ['trace-hash-mismatch.jsonl', 2, /"hash_ids" has 3 ids but input_length 600 needs ceil\(600\/512\) = 2/],
    ['trace-decreasing-timestamp.jsonl', 4, /timestamp 2000 is earlier than 4000 on line 3/],
    // A repeated id would be double-counted by the prefix cache's refcounts.
    ['trace-duplicate-hash.jsonl', 1, /"hash_ids" repeats block id 3/],
  ];
  for (const [name, line, re] of bad) {
    it(`${name}: error names line ${line}`, () => {
      const path = fixture(name);
      const err = iterError(path);
      expect(err.where).toBe(path);
      expect(err.field).toBe(`line ${line}`);
      expect(err.message).toMatch(re);
      expect(err.message).toContain(`${path}: line ${line}: `);
      expect(err.message).not.toContain('\n');
    });
  }

  it('rejects ill-typed fields and non-objects', () => {
    const cases: [string, RegExp][] = [
      ['[1, 2]', /expected a JSON object/],
      ['null', /expected a JSON object/],
      ['{"timestamp": "0", "input_length": 1, "output_length": 1, "hash_ids": [0]}', /"timestamp"/],
      ['{"timestamp": 0.5, "input_length": 1, "output_length": 1, "hash_ids": [0]}', /"timestamp"/],
      ['{"timestamp": -1, "input_length": 1, "output_length": 1, "hash_ids": [0]}', /"timestamp"/],
      ['{"timestamp": 0, "input_length": 1.5, "output_length": 1, "hash_ids": [0]}', /"input_length"/],
      ['{"timestamp": 0, "input_length": 0, "output_length": 1, "hash_ids": []}', /"input_length"/],
      ['{"timestamp": 0, "input_length": 1, "output_length": 1, "hash_ids": "0"}', /"hash_ids" must be an array/],
      ['{"timestamp": 0, "input_length": 1, "output_length": 1, "hash_ids": [0.5]}', /"hash_ids"\[0\]/],
      ['{"timestamp": 0, "input_length": 1, "output_length": 1, "hash_ids": []}', /has 0 ids/],
      ['{"timestamp": 0, "input_length": 10000001, "output_length": 1, "hash_ids": [0]}', /^.*"input_length" 10000001 is above the plausible 10,000,000 tokens$/],
      ['{"timestamp": 0, "input_length": 1, "output_length": 10000001, "hash_ids": [0]}', /^.*"output_length" 10000001 is above the plausible 10,000,000 tokens$/],
    ];
    cases.forEach(([text, re], i) => {
      const p = join(dir, `typed-${i}.jsonl`);
      writeFileSync(p, `\n${text}\n`);
      const err = iterError(p);
      expect(err.field).toBe('line 2');
      expect(err.message).toMatch(re);
    });
  });

  it('equal timestamps are fine and extra keys are ignored', () => {
    const p = join(dir, 'equal.jsonl');
    writeFileSync(
      p,
      '{"timestamp": 7, "input_length": 1, "output_length": 1, "hash_ids": [5], "extra": true}\n' +
        '{"timestamp": 7, "input_length": 1024, "output_length": 1, "hash_ids": [6, 7]}\n',
    );
    expect(read(p).map((r) => r.arrival)).toEqual([0.007, 0.007]);
  });
});

const REQUIRED = process.env.KVSIM_REQUIRE_TRACES === '1';

describe('openMooncakeTrace on the full public traces', () => {
  const traces: [string, number][] = [
    ['conversation_trace.jsonl', 12_031],
    ['synthetic_trace.jsonl', 3_993],
  ];
  for (const [name, count] of traces) {
    const path = fileURLToPath(new URL(`../../../shared/traces/${name}`, import.meta.url));
    const exists = existsSync(path);
    // `.ci/run` sets KVSIM_REQUIRE_TRACES=1: there a missing trace is a failure, not a skip.
    it.runIf(REQUIRED && !exists)(`${name} is required here (KVSIM_REQUIRE_TRACES=1) but missing: ${path}`, () => {
      expect(existsSync(path)).toBe(true);
    });
    if (!exists && !REQUIRED) console.warn(`skipped full-trace test for ${name}: ../shared/traces is missing (${path})`);
    it.skipIf(!exists)(`${name}: ${count} valid requests, sorted, in under 2 s of CPU`, () => {
      const w = openMooncakeTrace(path);
      const t0 = process.cpuUsage();
      let n = 0;
      let prev = 0;
      let blocks = 0;
      for (const r of w) {
        // Plain checks in the loop: expect() per request would dominate the timing.
        if (r.id !== n++) throw new Error(`id ${r.id} out of order`);
        if (r.arrival < prev) throw new Error(`arrival decreases at ${r.id}`);
        prev = r.arrival;
        blocks += r.blockHashes.length;
      }
      const cpu = process.cpuUsage(t0);
      expect(n).toBe(count);
      expect(blocks).toBeGreaterThan(count);
      // CPU time, not wall time (shared CI machines): ~50 ms on a laptop; a generous bound.
      expect((cpu.user + cpu.system) / 1e3).toBeLessThan(2000);
    });
  }
});
