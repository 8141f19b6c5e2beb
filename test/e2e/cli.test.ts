/**
 * End-to-end tests of `kvsim run`: the built CLI is spawned as a child process on small fixture
 * scenarios (test/fixtures/scenarios/, each well under a second) and its outputs are read back.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/metrics/summary.js';
import { ensureBuilt, ROOT, runCli, tempDirs, type CliResult } from './cli-helpers.js';

const TINY_8B = 'test/fixtures/scenarios/tiny-8b.yaml';
const TINY_70B = 'test/fixtures/scenarios/tiny-70b.yaml';
const TINY_TRACE = 'test/fixtures/scenarios/tiny-trace.yaml';

const tmp = tempDirs('kvsim-e2e-');
beforeAll(() => ensureBuilt(), 180_000);
afterAll(() => tmp.cleanup());

/** requests.csv columns every row must have (more may be added; they are read by name). */
const CSV_COLUMNS = [
  'id', 'arrival_s', 'input_tokens', 'output_tokens', 'cached_tokens', 'prefill_instance',
  'decode_instance', 'prefill_start_s', 'prefill_end_s', 'transfer_start_s', 'transfer_end_s',
  'decode_start_s', 'first_token_s', 'finish_s', 'prefill_queue_s', 'decode_queue_s', 'ttft_prefill_s',
  'ttft_s', 'tpot_s', 'e2e_s', 'rejected',
];

/**
 * summary.json keys documented in README.md ("keys are stable"). New keys may be added, so the
 * tests check that every documented key is there rather than that nothing else is.
 */
const SUMMARY_KEYS = [
  'scenario', 'seed', 'model', 'mode', 'workload', 'requests', 'makespan_s', 'ttft_s', 'tbt_s', 'tpot_s', 'e2e_s',
  'prefill_queue_s', 'prefill_s', 'handoff_s', 'kv_transfer_s', 'throughput', 'kv_cache', 'kv_transfer',
  'prefill', 'decode', 'slo', 'cost', 'sim', 'ttft_prefill_s', 'decode_queue_s', 'first_decode_step_s', 'stability', 'energy',
];
/** Nested summary.json objects and their documented keys. */
const NESTED_KEYS: Record<string, string[]> = {
  requests: [
    'total', 'finished', 'rejected', 'unfinished', 'rejected_capacity', 'rejected_ttft', 'rejected_tbt',
    'decode_queued', 'skipped_trace_lines',
  ],
  throughput: ['requests_per_s', 'input_tokens_per_s', 'output_tokens_per_s'],
  kv_cache: ['hit_rate', 'tokens', 'tiers', 'load_s', 'compute_saved_s', 'compute_saved_share'],
  kv_transfer: ['transport', 'bytes'],
  slo: ['targets', 'attainment', 'all_met', 'reason'],
  stability: ['stable', 'verdict', 'arrival_span_s', 'drain_s', 'wait_q2_s', 'wait_q4_s', 'pools'],
  cost: ['basis', 'cluster_per_hour', 'per_hour', 'total', 'per_million_output_tokens', 'per_million_tokens', 'pools', 'tiers'],
  energy: ['joules', 'kwh', 'mean_kw', 'pue', 'per_output_token_j', 'per_token_j', 'pools', 'tiers'],
  sim: ['events'],
};
const DISTRIBUTION_KEYS = ['count', 'mean', 'p50', 'p90', 'p95', 'p99', 'max'];
const DISTRIBUTIONS = [
  'ttft_s', 'tbt_s', 'tpot_s', 'e2e_s', 'prefill_queue_s', 'prefill_s', 'handoff_s', 'kv_transfer_s',
  'ttft_prefill_s', 'decode_queue_s', 'first_decode_step_s',
] as const;
const POOL_KEYS = [
  'device', 'nodes', 'devices_per_node', 'tp', 'instances', 'kv_tokens_per_instance', 'busy_share',
  'batch_occupancy', 'kv_occupancy', 'compute_share_of_peak', 'hbm_bandwidth_share_of_peak',
  'compute_bound_share', 'memory_bound_share', 'comm_share', 'overhead_share', 'steps', 'mean_step_s',
  'mean_batch_tokens', 'price_per_hour',
];

interface Run {
  result: CliResult;
  dir: string;
  summaryText: string;
  csvText: string;
  summary: Summary;
  rows: Record<string, string>[];
}

/** Parses RFC 4180 CSV (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text: string): { header: string[]; rows: Record<string, string>[] } {
  expect(text.endsWith('\n'), 'ends with a newline').toBe(true);
  const records: string[][] = [];
  let rec: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      rec.push(field);
      field = '';
    } else if (c === '\n') {
      rec.push(field.endsWith('\r') ? field.slice(0, -1) : field);
      records.push(rec);
      rec = [];
      field = '';
    } else field += c;
  }
  const [header, ...body] = records;
  const rows = body.map((cells) => {
    expect(cells).toHaveLength(header.length);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
  return { header, rows };
}

/**
 * Runs the CLI into a fresh --out folder, expects success and reads both output files. Charts
 * (SVG rendering, ~1 s) are skipped with --no-charts unless `extra` contains '--charts'.
 */
function run(scenario: string, ...extra: string[]): Run {
  const dir = join(tmp.make(), 'out');
  const charts = extra.includes('--charts');
  const args = charts ? extra.filter((a) => a !== '--charts') : [...extra, '--no-charts'];
  const result = runCli(['run', scenario, '--out', dir, ...args]);
  expect(result.stderr, 'stderr').toBe('');
  expect(result.status, result.stderr).toBe(0);
  const summaryText = readFileSync(join(dir, 'summary.json'), 'utf8');
  const csvText = readFileSync(join(dir, 'requests.csv'), 'utf8');
  const { header, rows } = parseCsv(csvText);
  expect(header).toEqual(expect.arrayContaining(CSV_COLUMNS));
  expect(new Set(header).size, 'no duplicate columns').toBe(header.length);
  return { result, dir, summaryText, csvText, summary: JSON.parse(summaryText) as Summary, rows };
}

/** Every file under `dir`, as sorted paths relative to it (outputs may include folders, e.g. charts/). */
function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(dir, join(prefix, e.name)) : [join(prefix, e.name)]))
    .sort();
}

const inUnit = (x: number): void => {
  expect(Number.isFinite(x)).toBe(true);
  expect(x).toBeGreaterThanOrEqual(0);
  expect(x).toBeLessThanOrEqual(1);
};

/** Checks every documented key and the sanity of every value of a summary.json. */
function checkSummary(s: Summary, rows: Record<string, string>[]): void {
  expect(Object.keys(s)).toEqual(expect.arrayContaining(SUMMARY_KEYS));
  for (const [k, keys] of Object.entries(NESTED_KEYS)) {
    expect(Object.keys((s as unknown as Record<string, object>)[k]), k).toEqual(expect.arrayContaining(keys));
  }
  expect(Object.keys(s.kv_cache.tokens)).toEqual(
    expect.arrayContaining(['prompt', 'hbm', 'local_cpu', 'local_disk', 'pool', 'remote', 'recomputed']),
  );
  expect(Object.keys(s.kv_cache.tiers.hbm)).toEqual(
    expect.arrayContaining(['capacity_bytes', 'peak_bytes', 'read_bytes', 'written_bytes', 'evicted_blocks', 'hit_rate']),
  );
  const r = s.requests as unknown as Record<string, number>;
  expect(r.rejected_capacity + r.rejected_ttft + r.rejected_tbt).toBe(s.requests.rejected);
  expect(s.requests.total).toBe(rows.length);
  expect(s.requests.finished + s.requests.rejected).toBe(s.requests.total);
  expect(s.requests.unfinished).toBe(0);
  expect(s.makespan_s).toBeGreaterThan(0);

  for (const k of DISTRIBUTIONS) {
    const d = s[k];
    expect(Object.keys(d), k).toEqual(expect.arrayContaining(DISTRIBUTION_KEYS));
    for (const key of DISTRIBUTION_KEYS) expect(Number.isFinite(d[key as keyof typeof d]), `${k}.${key}`).toBe(true);
    expect(d.p50, k).toBeLessThanOrEqual(d.p90);
    expect(d.p90, k).toBeLessThanOrEqual(d.p95);
    expect(d.p95, k).toBeLessThanOrEqual(d.p99);
    expect(d.p99, k).toBeLessThanOrEqual(d.max);
    expect(d.mean, k).toBeLessThanOrEqual(d.max * (1 + 1e-12));
    expect(d.p50, k).toBeGreaterThanOrEqual(0);
  }
  expect(s.ttft_s.count).toBe(s.requests.finished);
  expect(s.e2e_s.count).toBe(s.requests.finished);
  expect(s.ttft_s.p50).toBeGreaterThan(0);
  expect(s.ttft_s.mean).toBeGreaterThan(0);
  expect(s.e2e_s.p50).toBeGreaterThanOrEqual(s.ttft_s.p50);

  expect(s.throughput.requests_per_s).toBeCloseTo(s.requests.finished / s.makespan_s, 9);
  expect(s.throughput.output_tokens_per_s).toBeGreaterThan(0);

  const kv = s.kv_cache;
  inUnit(kv.hit_rate);
  const t = kv.tokens;
  expect(t.prompt).toBeGreaterThan(0);
  // Every prompt token was either reused from some tier or recomputed.
  expect(t.hbm + t.local_cpu + t.local_disk + t.remote + t.recomputed).toBe(t.prompt);
  expect(t.recomputed).toBeGreaterThan(0); // the last prompt token is always computed
  expect(kv.hit_rate).toBeCloseTo((t.prompt - t.recomputed) / t.prompt, 12);
  inUnit(kv.tiers.hbm.hit_rate);
  expect(kv.tiers.hbm.evicted_blocks).toBeGreaterThanOrEqual(0);
  inUnit(kv.compute_saved_share);
  expect(kv.compute_saved_s).toBeGreaterThanOrEqual(0);
  expect(s.kv_transfer.bytes).toBeGreaterThan(0);

  for (const role of ['prefill', 'decode'] as const) {
    const p = s[role];
    expect(Object.keys(p), role).toEqual(expect.arrayContaining(POOL_KEYS));
    expect(p.instances).toBe((p.nodes * p.devices_per_node) / p.tp);
    expect(p.kv_tokens_per_instance).toBeGreaterThan(0);
    inUnit(p.busy_share);
    expect(p.busy_share, `${role} busy`).toBeGreaterThan(0);
    for (const share of [p.compute_bound_share, p.memory_bound_share, p.comm_share, p.overhead_share]) inUnit(share);
    expect(p.compute_bound_share + p.memory_bound_share).toBeCloseTo(1, 9);
    expect(p.steps).toBeGreaterThan(0);
    expect(p.mean_step_s).toBeGreaterThan(0);
    expect(p.mean_step_s * p.steps).toBeCloseTo(p.busy_share * p.instances * s.makespan_s, 6);
    expect(p.mean_batch_tokens).toBeGreaterThan(0);
    expect(p.price_per_hour).toBeGreaterThan(0);
  }

  inUnit(s.slo.attainment);
  expect(s.cost.cluster_per_hour).toBeCloseTo(s.prefill.price_per_hour + s.decode.price_per_hour, 9);
  expect(s.cost.total).toBeGreaterThan(0);
  expect(s.cost.total).toBeCloseTo((s.cost.cluster_per_hour * s.makespan_s) / 3600, 9);
  expect(s.cost.per_million_output_tokens).toBeGreaterThan(0);
  expect(s.cost.per_million_tokens).toBeGreaterThan(0);
  expect(s.sim.events).toBeGreaterThan(0);

  // requests.csv: one row per request, ids in order, consistent with the summary.
  rows.forEach((r, i) => expect(Number(r.id)).toBe(i));
  const finished = rows.filter((r) => r.finish_s !== '');
  expect(finished).toHaveLength(s.requests.finished);
  for (const r of finished) {
    expect(r.rejected).toBe('');
    expect(Number(r.ttft_s)).toBeGreaterThan(0);
    expect(Number(r.cached_tokens)).toBeLessThan(Number(r.input_tokens));
  }
  const meanTtft = finished.reduce((a, r) => a + Number(r.ttft_s), 0) / finished.length;
  // Each ttft_s is written to the nanosecond (within 0.5 ns), so their mean is within 0.5 ns of the summary's.
  // (plus the rounding of two sums of n values, each at most n·ε·max).
  expect(Math.abs(meanTtft - s.ttft_s.mean)).toBeLessThanOrEqual(0.5e-9 + 2 * finished.length * Number.EPSILON * s.ttft_s.max);
  const cached = rows.reduce((a, r) => a + Number(r.cached_tokens), 0);
  expect(cached).toBe(t.prompt - t.recomputed);
}

describe('kvsim run on a synthetic workload', () => {
  let base: Run;
  beforeAll(() => {
    base = run(TINY_8B, '--charts');
  });

  it('exits 0, prints the report and names the files it wrote', () => {
    const out = base.result.stdout;
    expect(out).toMatch(/^kvsim: tiny-8b \(llama-3\.1-8b\b.*\bseed 7\)/);
    expect(out).toContain('requests: 120 finished, 0 rejected, 0 unfinished');
    expect(out).toContain('TTFT');
    expect(out).toMatch(/wrote .*summary\.json.*requests\.csv/);
    expect(out).toContain(base.dir);
    expect(readdirSync(base.dir)).toEqual(expect.arrayContaining(['requests.csv', 'summary.json', 'tiers.csv', 'charts']));
    expect(listFiles(base.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes a summary.json with every documented key and sane values', () => {
    const s = base.summary;
    checkSummary(s, base.rows);
    expect(s.scenario).toBe('tiny-8b');
    expect(s.seed).toBe(7);
    expect(s.model).toBe('llama-3.1-8b');
    expect(s.mode).toBe('disaggregated');
    expect(s.workload).toBe('synthetic(seed=7)');
    expect(s.requests).toMatchObject({ total: 120, finished: 120, rejected: 0, unfinished: 0 });
    // Four shared 1024-token system prompts: the prefix cache must hit.
    expect(s.kv_cache.hit_rate).toBeGreaterThan(0);
    // No lower tiers configured: every hit is an HBM hit.
    expect(Object.keys(s.kv_cache.tiers)).toEqual(['hbm']);
    expect(s.kv_cache.tokens.hbm).toBe(s.kv_cache.tokens.prompt - s.kv_cache.tokens.recomputed);
    expect(s.kv_transfer.transport).toBe('rdma');
    expect(s.prefill).toMatchObject({ device: 'h100', nodes: 1, devices_per_node: 1, tp: 1, instances: 1 });
    expect(s.decode).toMatchObject({ device: 'h100', nodes: 1, devices_per_node: 2, tp: 1, instances: 2 });
    // Prices are per device-hour: the decode pool has twice the prefill pool's H100s.
    expect(s.decode.price_per_hour).toBeCloseTo(2 * s.prefill.price_per_hour, 9);
    expect(Object.keys(s.slo.targets).sort()).toEqual(['tbt_p99', 'ttft_p95']);
    expect(s.slo.targets.ttft_p95).toEqual({ target_s: 2, achieved_s: s.ttft_s.p95, met: s.ttft_s.p95 <= 2 });
    expect(s.slo.targets.tbt_p99?.target_s).toBeCloseTo(0.1, 12);
    expect(s.slo.all_met).toBe(Object.values(s.slo.targets).every((t) => t.met));
  });

  it('writes requests.csv with a header and one row per request', () => {
    expect(base.csvText.split('\n')[0].split(',')).toEqual(expect.arrayContaining(CSV_COLUMNS));
    expect(base.rows).toHaveLength(120);
    // Both decode instances are used (round_robin router).
    expect(new Set(base.rows.map((r) => r.decode_instance).filter((d) => d !== ''))).toEqual(new Set(['0', '1']));
  });

  it('is deterministic: a second run gives byte-identical summary.json and requests.csv', () => {
    const again = run(TINY_8B, '--charts');
    expect(again.dir).not.toBe(base.dir);
    expect(again.summaryText).toBe(base.summaryText);
    expect(again.csvText).toBe(base.csvText);
    // ...and every other output file too.
    const files = listFiles(base.dir);
    expect(listFiles(again.dir)).toEqual(files);
    for (const f of files) expect(readFileSync(join(again.dir, f), 'utf8'), f).toBe(readFileSync(join(base.dir, f), 'utf8'));
  });

  it('--seed changes the synthetic workload and is recorded in summary.json', () => {
    const other = run(TINY_8B, '--seed', '8');
    expect(other.summary.seed).toBe(8);
    expect(other.summary.workload).toBe('synthetic(seed=8)');
    expect(other.csvText).not.toBe(base.csvText);
    expect(other.rows.map((r) => r.arrival_s)).not.toEqual(base.rows.map((r) => r.arrival_s));
    checkSummary(other.summary, other.rows);
    // ...and the same --seed again reproduces it exactly.
    const same = run(TINY_8B, '--seed', '8');
    expect(same.csvText).toBe(other.csvText);
    expect(same.summaryText).toBe(other.summaryText);
  });

  it('--seed N equals --set seed=N', () => {
    const a = run(TINY_8B, '--seed', '11', '--quiet');
    const b = run(TINY_8B, '--set', 'seed=11', '--quiet');
    expect(b.summaryText).toBe(a.summaryText);
    expect(b.csvText).toBe(a.csvText);
  });

  it('--set overrides nested keys (decode.nodes=2 doubles the decode pool)', () => {
    const r = run(TINY_8B, '--set', 'decode.nodes=2', '--set', 'prefill.max_num_seqs=8');
    const s = r.summary;
    expect(s.decode.nodes).toBe(2);
    expect(s.decode.instances).toBe(4);
    expect(s.prefill.instances).toBe(1);
    expect(s.decode.price_per_hour).toBeCloseTo(2 * base.summary.decode.price_per_hour, 9);
    expect(s.requests.finished).toBe(120);
    // Same seed, same requests: only the cluster changed.
    expect(r.rows.map((x) => x.arrival_s)).toEqual(base.rows.map((x) => x.arrival_s));
    expect(r.csvText).not.toBe(base.csvText);
    expect(new Set(r.rows.map((x) => x.decode_instance))).toContain('3');
    checkSummary(s, r.rows);
  });

  it('--set can change the workload (num_requests) and a quantity with units', () => {
    const r = run(TINY_8B, '--set', 'workload.num_requests=30', '--set', 'prefill.nic.bandwidth=100 Gb/s', '--quiet');
    expect(r.summary.requests.total).toBe(30);
    // num_requests keeps a prefix of the same request stream.
    expect(r.rows.map((x) => [x.arrival_s, x.input_tokens, x.output_tokens])).toEqual(
      base.rows.slice(0, 30).map((x) => [x.arrival_s, x.input_tokens, x.output_tokens]),
    );
  });

  it('renders charts by default and --no-charts skips them without changing the data files', () => {
    expect(listFiles(base.dir).some((f) => f.startsWith('charts/'))).toBe(true);
    const r = run(TINY_8B, '--quiet'); // run() adds --no-charts
    expect(listFiles(r.dir).some((f) => f.startsWith('charts/'))).toBe(false);
    expect(listFiles(base.dir)).toEqual(expect.arrayContaining(listFiles(r.dir)));
    expect(r.summaryText).toBe(base.summaryText);
    expect(r.csvText).toBe(base.csvText);
  });

  it('tiers.csv: one row per 10 simulated seconds until the last request finished, bytes in whole blocks, consistent with the summary', () => {
    const { header, rows } = parseCsv(readFileSync(join(base.dir, 'tiers.csv'), 'utf8'));
    expect(header).toEqual(['time_s', 'hbm_bytes', 'local_cpu_bytes', 'local_disk_bytes', 'remote_bytes']);
    const t = rows.map((r) => Number(r.time_s));
    expect(t).toEqual(t.map((_, i) => 10 * i)); // sampled at 0, 10, 20, ... s
    // Sampling stops at the first sample after the last finish: the row count follows from it.
    const lastFinish = Math.max(...base.rows.map((r) => Number(r.finish_s)));
    expect(t[t.length - 1]).toBeGreaterThanOrEqual(lastFinish);
    expect(t[t.length - 2]).toBeLessThan(lastFinish);
    // Llama-3.1-8B BF16: 2·32 layers·8 KV heads·128·2 B = 131,072 B/token; 512-token blocks.
    const blockBytes = 512 * 131_072;
    const hbm = rows.map((r) => Number(r.hbm_bytes));
    for (const b of hbm) {
      expect(Number.isInteger(b / blockBytes), `${b} is whole blocks`).toBe(true);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThanOrEqual(base.summary.kv_cache.tiers.hbm.peak_bytes);
    }
    expect(hbm[0]).toBe(0); // nothing cached before the first arrival
    expect(Math.max(...hbm)).toBeGreaterThan(0);
    // No lower tiers in this scenario: their columns are all zero.
    for (const r of rows) expect([r.local_cpu_bytes, r.local_disk_bytes, r.remote_bytes]).toEqual(['0', '0', '0']);
  });

  it('charts: every spec carries the run data (CDF of finished requests, token sources = summary shares) and every SVG renders it', () => {
    const files = listFiles(base.dir).filter((f) => f.startsWith('charts/'));
    const stems = ['e2e_cdf', 'pool_utilization', 'tbt_cdf', 'tier_occupancy', 'token_sources', 'ttft_cdf', 'ttft_over_time'];
    expect(files).toEqual(stems.flatMap((s) => [`charts/${s}.svg`, `charts/${s}.vl.json`]));
    const spec = (stem: string) => JSON.parse(readFileSync(join(base.dir, 'charts', `${stem}.vl.json`), 'utf8'));
    /** A chart's data: top level, or its first layer's (charts with SLO rules are layered). */
    const data = (stem: string) => { const s = spec(stem); return (s.data ?? s.layer[0].data).values; };
    const finished = base.summary.requests.finished;
    // Latency CDFs: one point per finished request (120 < the 2,000-point thinning), share up to 1.
    for (const stem of ['ttft_cdf', 'e2e_cdf']) {
      const pts = data(stem) as { seconds: number; share: number }[];
      expect(pts).toHaveLength(finished);
      expect(pts[pts.length - 1].share).toBe(1);
      expect(pts.map((p) => p.seconds)).toEqual([...pts.map((p) => p.seconds)].sort((a, b) => a - b));
    }
    const ttfts = (data('ttft_cdf') as { seconds: number }[]).map((v) => v.seconds);
    expect(Math.max(...ttfts)).toBeCloseTo(base.summary.ttft_s.max, 9);
    // TTFT over time: one point per request that got its first token.
    expect(data('ttft_over_time')).toHaveLength(finished);
    // Tier occupancy: the tiers.csv samples, one value per tier (4) per row, in GB.
    // Only configured tiers are drawn: HBM alone here.
    const occ = data('tier_occupancy') as { time_s: number; tier: string; gb: number }[];
    const tiers = parseCsv(readFileSync(join(base.dir, 'tiers.csv'), 'utf8')).rows;
    expect(occ).toHaveLength(tiers.length);
    expect(occ.filter((v) => v.tier === 'HBM').map((v) => v.gb * 1e9)).toEqual(tiers.map((r) => Number(r.hbm_bytes)));
    // Token sources: the summary's shares of prompt tokens, summing to 1.
    const src = data('token_sources') as { source: string; share: number }[];
    const tok = base.summary.kv_cache.tokens;
    expect(src.find((v) => v.source === 'hbm')!.share).toBeCloseTo(tok.hbm / tok.prompt, 12);
    expect(src.find((v) => v.source === 'recomputed')!.share).toBeCloseTo(tok.recomputed / tok.prompt, 12);
    expect(src.reduce((a, v) => a + v.share, 0)).toBeCloseTo(1, 12);
    for (const stem of stems) {
      const svg = readFileSync(join(base.dir, 'charts', `${stem}.svg`), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain(spec(stem).title.text.split(' — ')[0]);
    }
    // The scatter draws a symbol per point, without a per-point ARIA label (the chart keeps its title).
    const scatter = readFileSync(join(base.dir, 'charts', 'ttft_over_time.svg'), 'utf8');
    expect(scatter.match(/<path transform="translate\(/g)?.length).toBe(finished);
    expect(scatter).not.toContain('aria-roledescription="point"');
    // The bar of HBM-served tokens is labelled with the summary's share (Vega prints 6 decimals).
    expect(readFileSync(join(base.dir, 'charts', 'token_sources.svg'), 'utf8')).toContain(`source: hbm; share of prompt tokens: ${((100 * tok.hbm) / tok.prompt).toFixed(6)}%`);
  });

  it('--quiet prints nothing and still writes both files', () => {
    const r = run(TINY_8B, '--quiet');
    expect(r.result.stdout).toBe('');
    expect(r.result.stderr).toBe('');
    expect(r.summaryText).toBe(base.summaryText);
    expect(r.csvText).toBe(base.csvText);
  });

  it('without --out writes results/<scenario name>/ under the current folder', () => {
    const cwd = tmp.make();
    const r = runCli(['run', resolve(ROOT, TINY_8B), '--quiet'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readdirSync(join(cwd, 'results'))).toEqual(['tiny-8b']);
    expect(listFiles(join(cwd, 'results', 'tiny-8b'))).toEqual(listFiles(base.dir));
    expect(readFileSync(join(cwd, 'results', 'tiny-8b', 'summary.json'), 'utf8')).toBe(base.summaryText);
    expect(readFileSync(join(cwd, 'results', 'tiny-8b', 'requests.csv'), 'utf8')).toBe(base.csvText);
  });

  it('replaces an earlier run in the same --out folder as a whole and leaves no temp files', () => {
    const parent = tmp.make();
    const dir = join(parent, 'out');
    expect(runCli(['run', TINY_8B, '--out', dir, '--quiet', '--seed', '8']).status).toBe(0);
    writeFileSync(join(dir, 'notes.txt'), 'from the earlier run');
    expect(runCli(['run', TINY_8B, '--out', dir, '--quiet']).status).toBe(0);
    // Never a mix of two runs: files of the earlier run that this run does not write are gone.
    expect(listFiles(dir)).toEqual(listFiles(base.dir));
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe(base.summaryText);
    expect(readFileSync(join(dir, 'requests.csv'), 'utf8')).toBe(base.csvText);
    // A --no-charts rerun leaves no stale charts/ from the run before.
    expect(runCli(['run', TINY_8B, '--out', dir, '--quiet', '--no-charts']).status).toBe(0);
    expect(listFiles(dir)).toEqual(['.kvsim-output', 'requests.csv', 'summary.json', 'tiers.csv']);
    expect(readdirSync(parent)).toEqual(['out']);
  });
});

describe('kvsim run on Llama-3.1-70B', () => {
  it('runs a 1×MI300X prefill + 1×4 Gaudi3 (TP4) decode cluster', () => {
    const r = run(TINY_70B);
    const s = r.summary;
    checkSummary(s, r.rows);
    expect(s.model).toBe('llama-3.1-70b');
    expect(s.requests).toMatchObject({ total: 80, finished: 80, rejected: 0, unfinished: 0 });
    expect(s.prefill).toMatchObject({ device: 'mi300x', tp: 1, instances: 1 });
    expect(s.decode).toMatchObject({ device: 'gaudi3', tp: 4, instances: 1 });
    // Decode of a 70B model at these batch sizes is HBM-bound; prefill of ~1.5k-token prompts is compute-bound.
    expect(s.decode.memory_bound_share).toBeGreaterThan(0.5);
    expect(s.prefill.compute_bound_share).toBeGreaterThan(0.5);
    // fixed output length 40: every request decodes, so TPOT covers them all.
    expect(s.tpot_s.count).toBe(80);
    expect(r.rows.every((x) => x.output_tokens === '40')).toBe(true);
    expect(s.slo.targets).toEqual({});
  });
});

describe('kvsim run on a Mooncake trace', () => {
  let base: Run;
  beforeAll(() => {
    base = run(TINY_TRACE);
  });

  it('replays the trace named in the scenario (relative to the scenario file)', () => {
    const s = base.summary;
    checkSummary(s, base.rows);
    // Relative to the scenario file's folder: the same in every checkout and from any current folder.
    expect(s.workload).toBe('../conversation-200.jsonl');
    expect(s.requests).toMatchObject({ total: 200, finished: 200, rejected: 0, unfinished: 0 });
    const trace = readFileSync(join(ROOT, 'test/fixtures/conversation-200.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { timestamp: number; input_length: number; output_length: number });
    base.rows.forEach((r, i) => {
      expect(Number(r.arrival_s)).toBe(trace[i].timestamp / 1000);
      expect(Number(r.input_tokens)).toBe(trace[i].input_length);
      expect(Number(r.output_tokens)).toBe(trace[i].output_length);
    });
    // The conversation trace shares prefixes (block 0 is common to most requests).
    expect(s.kv_cache.hit_rate).toBeGreaterThan(0);
  });

  it('is deterministic', () => {
    const again = run(TINY_TRACE, '--quiet');
    expect(again.summaryText).toBe(base.summaryText);
    expect(again.csvText).toBe(base.csvText);
  });

  it('--seed does not change a trace replay (only the recorded seed)', () => {
    const other = run(TINY_TRACE, '--seed', '99', '--quiet');
    expect(other.summary.seed).toBe(99);
    expect(other.csvText).toBe(base.csvText);
  });

  it('--trace PATH replays another trace (path relative to the current folder)', () => {
    const r = run(TINY_TRACE, '--trace', 'test/fixtures/trace-good.jsonl');
    // Relative to the scenario file's folder, so outputs do not depend on where the checkout lives.
    expect(r.summary.workload).toBe('../trace-good.jsonl');
    expect(r.summary.requests).toMatchObject({ total: 4, finished: 4, rejected: 0, unfinished: 0 });
    expect(r.rows.map((x) => [x.arrival_s, x.input_tokens, x.output_tokens])).toEqual([
      ['0', '1000', '10'],
      ['1.5', '600', '5'],
      ['2', '512', '7'],
      ['4', '513', '1'],
    ]);
    // A one-token answer is still streamed by the decode instance (vLLM PD proxy): handed off, no TPOT.
    const last = r.rows[3];
    expect(last.decode_instance).not.toBe('-1');
    expect(Number(last.transfer_end_s)).toBeGreaterThan(Number(last.prefill_end_s));
    expect(Number(last.first_token_s)).toBeGreaterThan(Number(last.transfer_end_s));
    expect(last.tpot_s).toBe('');
    expect(last.finish_s).toBe(last.first_token_s);
    expect(r.summary.tpot_s.count).toBe(3);
  });

  it('--trace resolves against the current folder, not the scenario folder', () => {
    const cwd = join(ROOT, 'test/fixtures');
    const out = join(tmp.make(), 'out');
    const r = runCli(['run', 'scenarios/tiny-trace.yaml', '--trace', 'conversation-200.jsonl', '--out', out, '--quiet'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(join(out, 'requests.csv'), 'utf8')).toBe(base.csvText);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
    expect(s.workload).toBe(base.summary.workload);
  });

  it('--trace with the same file as the scenario gives the same result', () => {
    const r = run(TINY_TRACE, '--trace', 'test/fixtures/conversation-200.jsonl', '--quiet');
    expect(r.summaryText).toBe(base.summaryText);
    expect(r.csvText).toBe(base.csvText);
  });

  it('--set workload.limit replays only the first N requests', () => {
    const r = run(TINY_TRACE, '--set', 'workload.limit=50', '--quiet');
    expect(r.summary.requests.total).toBe(50);
    expect(r.rows.map((x) => x.arrival_s)).toEqual(base.rows.slice(0, 50).map((x) => x.arrival_s));
  });
});

describe('kvsim run --trace on a synthetic scenario', () => {
  // `--trace PATH` replays the trace instead of the scenario's workload, whatever its type.
  it('replays the trace instead of the synthetic workload', () => {
    const r = run(TINY_8B, '--trace', 'test/fixtures/trace-good.jsonl', '--quiet');
    expect(r.summary.scenario).toBe('tiny-8b');
    // Relative to the scenario file's folder, so outputs do not depend on where the checkout lives.
    expect(r.summary.workload).toBe('../trace-good.jsonl');
    expect(r.summary.requests).toMatchObject({ total: 4, finished: 4, rejected: 0, unfinished: 0 });
    expect(r.rows.map((x) => x.input_tokens)).toEqual(['1000', '600', '512', '513']);
    // The cluster is still the scenario's.
    expect(r.summary.decode).toMatchObject({ device: 'h100', instances: 2 });
  });
});

describe('kvsim run --trace together with --set workload.*', () => {
  // Regression: --set used to be applied before --trace replaced a synthetic workload, so the
  // user's workload.* overrides were silently dropped (fixed in 5e25380: trace override first).
  it('applies --set workload.limit to the replayed trace on a synthetic scenario too', () => {
    const args = ['--trace', 'test/fixtures/conversation-200.jsonl', '--set', 'workload.limit=10', '--quiet'];
    const onTrace = run(TINY_TRACE, ...args);
    expect(onTrace.summary.requests.total).toBe(10);
    const onSynthetic = run(TINY_8B, ...args);
    expect(onSynthetic.summary.requests.total).toBe(10);
  });
});

describe('kvsim run with its stdout closed early (kvsim run ... | head -1)', () => {
  // Regression: an unhandled EPIPE on stdout used to crash with a stack trace and exit 1 after a
  // successful run (fixed in 5e25380: main.ts ignores EPIPE on stdout).
  it('exits 0 without a stack trace and still writes its files', async () => {
    const out = join(tmp.make(), 'out');
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'run', TINY_8B, '--out', out, '--no-charts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the reader is gone before the report is printed
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['requests.csv', 'summary.json']));
    expect(stderr).not.toContain('    at ');
    expect(code, stderr).toBe(0);
  });
});

describe('kvsim run --skip-bad-lines', () => {
  it('fails on a malformed trace line without it, drops and counts the line with it', () => {
    const out = join(tmp.make(), 'out');
    const bad = runCli(['run', TINY_TRACE, '--trace', 'test/fixtures/trace-bad-json.jsonl', '--out', out, '--no-charts']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^kvsim: error: .*trace-bad-json\.jsonl: line 3: /);
    const r = run(TINY_TRACE, '--trace', 'test/fixtures/trace-bad-json.jsonl', '--skip-bad-lines');
    expect(r.summary.requests).toMatchObject({ total: 3, finished: 3, skipped_trace_lines: 1 });
    expect(r.rows.map((x) => x.arrival_s)).toEqual(['0', '1.5', '4']);
    expect(r.result.stdout).toContain('skipped 1 malformed trace line');
  });
});
