/**
 * End to end: scenarios derived from scenarios/medium-nfs-rdma.yaml (60 s of traffic instead of
 * 10 min), written as temporary YAML files and run through loadScenario + runScenario.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { requestsCsv } from '../../src/report/requests-csv.js';
import { runScenario, type RunResult } from '../../src/run.js';
import { loadScenario } from '../../src/scenario/load.js';
import { checkRun } from './checks.js';

/** A parsed scenario YAML, edited freely before being written back. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Scenario = Record<string, any>;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TRACE = join(ROOT, 'test/fixtures/conversation-200.jsonl');
const BASE = parse(readFileSync(join(ROOT, 'scenarios/medium-nfs-rdma.yaml'), 'utf8')) as Scenario;
const dir = mkdtempSync(join(tmpdir(), 'kvsim-kv-tiers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const short = (s: Scenario) => {
  s.workload.duration = '60 s';
};
/** Smaller HBM (KV ~40 GB per instance) and local tiers so that HBM evicts and the tiers fill. */
const small = (s: Scenario) => {
  short(s);
  s.prefill.gpu_memory_utilization = 0.4;
  s.cache.local_cpu.size = '10 GB';
  s.cache.local_disk.size = '20 GB';
};
/** Local tiers of a few 512-token blocks (168 MB each for Llama-3.1-70B): they overflow. */
const tiny = (s: Scenario) => {
  small(s);
  s.cache.local_cpu.size = '1 GB';
  s.cache.local_disk.size = '2 GB';
};
const s3 = (s: Scenario) => {
  s.cache.remote.backend = 's3';
};
const hbmOnly = (s: Scenario) => {
  delete s.cache.local_cpu;
  delete s.cache.local_disk;
  delete s.cache.remote;
};

const VARIANTS: Record<string, (s: Scenario) => void> = {
  nfs: short,
  s3: (s) => (short(s), s3(s)),
  hbm: (s) => (short(s), hbmOnly(s)),
  'nfs-small': small,
  's3-small': (s) => (small(s), s3(s)),
  'hbm-small': (s) => (small(s), hbmOnly(s)),
  'nfs-small-layerwise': (s) => (small(s), (s.cache.use_layerwise = true)),
  'nfs-tiny-evicted': (s) => (tiny(s), (s.cache.offload = 'evicted')),
  'nfs-small-hot': (s) => (small(s), (s.cache.offload = 'hot'), (s.cache.hot_threshold = 1)),
  'nfs-trace': () => {},
  'hbm-trace': hbmOnly,
};

function file(name: string): string {
  const s = structuredClone(BASE);
  VARIANTS[name](s);
  s.name = name;
  const f = join(dir, `${name}.yaml`);
  writeFileSync(f, stringify(s));
  return f;
}

const cache = new Map<string, RunResult>();
function run(name: string): RunResult {
  let r = cache.get(name);
  if (!r) {
    r = runScenario(loadScenario(file(name), [], name.endsWith('-trace') ? TRACE : undefined));
    cache.set(name, r);
  }
  return r;
}

describe('KV tiers end to end (medium-nfs-rdma, 60 s)', () => {
  it('every run: requests finish, token sources add up, no tier over capacity', () => {
    for (const name of Object.keys(VARIANTS)) {
      const r = run(name);
      expect(r.metrics.records.length, name).toBeGreaterThan(0);
      checkRun(r);
    }
  });

  it('the scenario files keep their tiers (sanity of the derived scenarios)', () => {
    const t = run('nfs').summary.kv_cache.tiers;
    expect(t.remote?.backend).toBe('nfs_rdma');
    expect(run('s3').summary.kv_cache.tiers.remote?.backend).toBe('s3');
    expect(t.local_cpu).toBeDefined();
    expect(t.local_disk).toBeDefined();
    expect(run('hbm').summary.kv_cache.tiers.remote).toBeUndefined();
    expect(run('nfs-trace').metrics.records).toHaveLength(200);
  });

  it('a remote nfs_rdma tier reuses at least as much as HBM alone (and here strictly more)', () => {
    for (const [tiers, hbm] of [['nfs', 'hbm'], ['nfs-small', 'hbm-small'], ['nfs-trace', 'hbm-trace']] as const) {
      const a = run(tiers).summary.kv_cache;
      const b = run(hbm).summary.kv_cache;
      expect(a.hit_rate, `${tiers} vs ${hbm}`).toBeGreaterThanOrEqual(b.hit_rate);
      expect(a.tokens.prompt).toBe(b.tokens.prompt); // same seed, same workload
    }
    // 4 prefill instances share prefixes through the remote store
    expect(run('nfs').summary.kv_cache.tokens.remote).toBeGreaterThan(0);
    expect(run('nfs').summary.kv_cache.hit_rate).toBeGreaterThan(run('hbm').summary.kv_cache.hit_rate);
  });

  it("nfs_rdma's loads wait less than s3's (1-5 ms file operations vs 10-100 ms first bytes)", () => {
    for (const [a, b] of [['s3', 'nfs'], ['s3-small', 'nfs-small']] as const) {
      const s3r = run(a).summary;
      const nfs = run(b).summary;
      expect(nfs.kv_cache.load_s.mean, `${b} vs ${a}`).toBeLessThan(s3r.kv_cache.load_s.mean);
      expect(nfs.ttft_s.p50, `${b} vs ${a}`).toBeLessThanOrEqual(s3r.ttft_s.p50);
    }
  });

  it('a small HBM evicts into the CPU tier, and those blocks are hit again', () => {
    const k = run('nfs-small').summary.kv_cache;
    expect(k.tiers.hbm.evicted_blocks).toBeGreaterThan(0);
    expect(k.tiers.local_cpu!.written_bytes).toBeGreaterThan(0);
    expect(k.tokens.local_cpu).toBeGreaterThan(0);
    expect(k.load_s.count).toBeGreaterThan(0);
  });

  it("offload 'evicted': the remote store only gets what falls out of the disk tier", () => {
    const k = run('nfs-tiny-evicted').summary.kv_cache;
    const bb = run('nfs-tiny-evicted').blockBytes;
    const diskEvicted = k.tiers.local_disk!.evicted_blocks;
    expect(diskEvicted).toBeGreaterThan(0);
    expect(k.tiers.remote!.written_bytes).toBeGreaterThan(0);
    expect(k.tiers.remote!.written_bytes).toBeLessThanOrEqual(diskEvicted * bb);
  });

  it("offload 'hot' (threshold 1): only blocks that were hit (in HBM or a local tier) are written to the remote store", () => {
    const r = run('nfs-small-hot');
    const k = r.summary.kv_cache;
    // hits are whole 512-token blocks, less at most 1 token per request (the last prompt token is
    // always recomputed): count the blocks per request, rounding up
    const hitBlocks = r.metrics.records.reduce((n, x) => n + Math.ceil((x.hbmTokens + x.cpuTokens + x.diskTokens) / 512), 0);
    expect(hitBlocks).toBeGreaterThan(0);
    const written = k.tiers.remote!.written_bytes / r.blockBytes;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThanOrEqual(hitBlocks);
    // write-through writes every computed block: far more
    expect(written).toBeLessThan(run('nfs-small').summary.kv_cache.tiers.remote!.written_bytes / r.blockBytes);
  });

  it('layer-wise loading: compute may start after the first layer, so measured loads are shorter', () => {
    const lw = run('nfs-small-layerwise').summary.kv_cache.load_s;
    const full = run('nfs-small').summary.kv_cache.load_s;
    expect(lw.count).toBeGreaterThan(0);
    expect(lw.mean).toBeLessThan(full.mean);
  });

  it('determinism: the same scenario and seed give an identical summary and requests.csv', () => {
    for (const name of ['nfs-small', 'nfs-trace']) {
      const a = run(name);
      const b = runScenario(loadScenario(file(name), [], name.endsWith('-trace') ? TRACE : undefined));
      expect(b.summary).toEqual(a.summary);
      expect(requestsCsv(b.metrics.records)).toBe(requestsCsv(a.metrics.records));
      expect(b.metrics.occupancy).toEqual(a.metrics.occupancy);
    }
  });
});
