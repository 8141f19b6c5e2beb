import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAzureTrace, type AzureTraceOptions } from '../../src/workload/azure-trace.js';
import type { Request } from '../../src/workload/request.js';
import { InputError } from '../../src/scenario/input-error.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run.js';

const FIXTURE = 'test/fixtures/azure-conv-12.csv';
const BASE: AzureTraceOptions = { timeScale: 1, limit: Infinity, startOffset: 0, skipBadLines: false, blockSize: 512, seed: 1 };
const dir = mkdtempSync(join(tmpdir(), 'kvsim-azure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const all = (path: string, opts: Partial<AzureTraceOptions> = {}): Request[] => [...openAzureTrace(path, { ...BASE, ...opts })];

describe('Azure LLM inference trace reader', () => {
  it('reads arrivals from date-time differences and lengths from the columns', () => {
    const reqs = all(FIXTURE);
    expect(reqs).toHaveLength(12);
    // 18:15:46.68059 → 47.08059 → 47.93059 → 49.18059: 0, 0.4, 1.25, 2.5 s
    expect(reqs.slice(0, 4).map((r) => r.arrival)).toEqual([0, expect.closeTo(0.4, 12), expect.closeTo(1.25, 12), expect.closeTo(2.5, 12)]);
    expect(reqs[0]).toMatchObject({ id: 0, inputTokens: 1374, outputTokens: 44 });
    // ceil(1374 / 512) = 3 blocks; ceil(4096 / 512) = 8
    expect(reqs[0].blockHashes).toHaveLength(3);
    expect(reqs[5].blockHashes).toHaveLength(8);
  });

  it('without prefix_groups no prompt shares a block', () => {
    const ids = all(FIXTURE).flatMap((r) => r.blockHashes);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('with prefix_groups, requests share their group prefix full blocks and nothing else', () => {
    const reqs = all(FIXTURE, { prefixGroups: { count: 2, prefixTokens: 1024, zipfAlpha: 1 } });
    // Group k's shared ids are 2k, 2k+1 (1024 / 512 = 2 blocks); fresh ids start at 2·2 = 4.
    for (const r of reqs) {
      const shared = Math.min(2, Math.floor(r.inputTokens / 512));
      const head = r.blockHashes.slice(0, shared);
      expect(head.every((h) => h < 4)).toBe(true);
      expect(r.blockHashes.slice(shared).every((h) => h >= 4)).toBe(true);
      if (shared === 2) expect(head[1]).toBe(head[0] + 1);
    }
    const groups = new Set(reqs.map((r) => r.blockHashes[0]).filter((h) => h < 4));
    expect(groups.size).toBe(2);
    // Deterministic per seed, and the seed picks the groups.
    expect(all(FIXTURE, { prefixGroups: { count: 2, prefixTokens: 1024, zipfAlpha: 1 } })).toEqual(reqs);
    const other = [2, 3, 4, 5, 6].map((seed) => all(FIXTURE, { seed, prefixGroups: { count: 2, prefixTokens: 1024, zipfAlpha: 1 } }));
    expect(other.some((o) => JSON.stringify(o) !== JSON.stringify(reqs))).toBe(true);
  });

  it('applies limit, start and time_scale', () => {
    const reqs = all(FIXTURE, { startOffset: 2, limit: 3, timeScale: 0.5 });
    // first kept: 18:15:49.18059 (2.5 s after the first) → (2.5 − 2)·0.5 = 0.25; then 3.31941 → 0.659705
    expect(reqs.map((r) => r.arrival)).toEqual([expect.closeTo(0.25, 12), expect.closeTo(0.659705, 12), expect.closeTo(0.909705, 12)]);
  });

  it('accepts plain-seconds timestamps', () => {
    const p = file('secs.csv', 'TIMESTAMP,ContextTokens,GeneratedTokens\n10.5,100,5\n12,200,6\n');
    expect(all(p).map((r) => r.arrival)).toEqual([0, 1.5]);
  });

  it.each([
    ['no-header.csv', '2023-11-16 18:15:46.68,10,1\n', 'line 1', 'TIMESTAMP, ContextTokens, GeneratedTokens'],
    ['bad-ctx.csv', 'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,abc,1\n', 'line 2', 'ContextTokens'],
    ['zero-gen.csv', 'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,10,0\n', 'line 2', 'GeneratedTokens'],
    ['bad-ts.csv', 'TIMESTAMP,ContextTokens,GeneratedTokens\nyesterday,10,1\n', 'line 2', 'TIMESTAMP'],
    ['unsorted.csv', 'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:47,10,1\n2023-11-16 18:15:46,10,1\n', 'line 3', 'sorted'],
  ])('%s: one InputError naming the line', (name, text, line, mention) => {
    const p = file(name, text);
    let err: unknown;
    try {
      all(p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toContain(line);
    expect((err as InputError).message).toContain(mention);
  });

  it('skip_bad_lines drops and counts malformed lines', () => {
    const p = file('mixed.csv', 'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,10,1\nbad,1,1\n2023-11-16 18:15:48,20,2\n');
    const w = openAzureTrace(p, { ...BASE, skipBadLines: true });
    expect([...w].map((r) => r.inputTokens)).toEqual([10, 20]);
    expect(w.skippedLines).toBe(1);
  });

  it('a missing file names where the public traces are', () => {
    expect(() => openAzureTrace(join(dir, 'nope.csv'), BASE)).toThrow(/cannot read trace file: not found; the public Azure .* github.com\/Azure\/AzurePublicDataset/);
  });

  it('runs end to end as a scenario workload with modelled prefix reuse', () => {
    const { summary } = runScenario(loadScenario('test/fixtures/scenarios/tiny-azure.yaml'));
    expect(summary.requests.finished).toBe(12);
    expect(summary.kv_cache.hit_rate).toBeGreaterThan(0);
    expect(summary.workload).toContain('azure-conv-12.csv');
  });
});
