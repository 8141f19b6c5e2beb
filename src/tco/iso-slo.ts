/**
 * Iso-SLO TCO comparison: for each candidate hardware mix (prefill device + decode device), the
 * cheapest node counts that serve the scenario's workload meeting every SLO target with nothing
 * rejected and the run stable; then each mix's cost relative to a reference mix (the scenario's
 * own hardware). This is the honest form of "X% lower TCO than a homogeneous setup": both sides
 * sized to the same SLO on the same workload, not compared at arbitrary sizes.
 */
import { HOURS_PER_YEAR } from '../cost/defaults.js';
import { resolveDevice } from '../cluster/plan.js';
import type { Summary } from '../metrics/summary.js';
import { InputError } from '../scenario/input-error.js';
import { loadScenario, type LoadedScenario } from '../scenario/load.js';
import type { PoolConfig, Scenario } from '../scenario/schema.js';
import { JobRunner } from '../experiments/runner.js';
import type { Job } from '../experiments/job.js';
import { cheapestSearch, runInLockstep, type SearchResult, type Trial } from './cheapest.js';

/** Tensor parallelism per device for a 70B-class BF16 model: the smallest TP leaving room for KV. */
export const DEFAULT_TP: Readonly<Record<string, number>> = { h100: 4, h200: 2, b200: 2, mi300x: 2, mi325x: 2, gaudi3: 4, gaudi2: 4, a100: 4 };

/** One pool's hardware in a mix: a device and, optionally, its tensor parallelism ("mi300x:4"). */
interface PoolChoice {
  device: string;
  tp?: number;
}

export interface Mix {
  /** "scenario" for the scenario's own hardware, else "prefill+decode" or one device for both. */
  label: string;
  prefill?: PoolChoice;
  decode?: PoolChoice;
}

export function parseMixes(text: string, scenario: Scenario, file: string): Mix[] {
  const mixes: Mix[] = [{ label: 'scenario' }];
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [p, d = p] = item.split('+');
    const choice = (part: string): PoolChoice => {
      const m = /^([^:]+)(?::(\d+))?$/.exec(part);
      const id = m?.[1] ?? part;
      try {
        resolveDevice(id, scenario.hardware, file, '--mixes');
      } catch {
        throw new InputError('--mixes', part, `unknown device "${id}"; use device[:tp] or prefill+decode, e.g. h100,b200+gaudi3:4`);
      }
      const tp = m?.[2] === undefined ? undefined : Number(m[2]);
      if (tp !== undefined && tp < 1) throw new InputError('--mixes', part, 'tp must be a positive whole number');
      return { device: id, tp };
    };
    mixes.push({ label: item, prefill: choice(p), decode: choice(d) });
  }
  return mixes;
}

/** --set overrides that put a mix on the scenario: device, TP, and nodes that hold whole instances. */
function mixSets(mix: Mix, s: Scenario): string[] {
  const sets: string[] = [];
  for (const role of ['prefill', 'decode'] as const) {
    const choice = mix[role];
    if (!choice) continue;
    const pool: PoolConfig = s[role];
    const tp = choice.tp ?? DEFAULT_TP[choice.device] ?? pool.tp;
    const perNode = pool.devices_per_node % tp === 0 ? pool.devices_per_node : tp;
    sets.push(`${role}.device=${choice.device}`, `${role}.tp=${tp}`, `${role}.devices_per_node=${perNode}`);
  }
  return sets;
}

export interface MixResult {
  mix: string;
  prefill: string;
  decode: string;
  runs: number;
  best?: {
    prefill_nodes: number;
    decode_nodes: number;
    devices: number;
    ttft_p95_s: number;
    tbt_p99_s: number;
    cost_per_hour: number;
    cost_per_million_output_tokens: number;
    energy_j_per_output_token: number;
    /** This mix's $/1M output tokens ÷ the reference mix's (undefined if either found no plan). */
    tco_ratio?: number;
  };
}

export interface TcoOptions {
  scenario: string;
  sets: string[];
  trace?: string;
  mixes: string;
  prefill: readonly number[];
  decode: readonly number[];
  /** Mix whose $/1M output tokens the ratios divide by (default: the scenario's own, "scenario"). */
  reference?: string;
  /** Called once the inputs are checked, before any simulation (e.g. to check the output folder). */
  beforeRuns?: (base: LoadedScenario) => void;
  /** Threads running simulations (default: one per core). */
  jobs?: number;
  /** Called with the number of simulations done so far. */
  onProgress?: (done: number) => void;
}

/** A run passes when every SLO target is met, nothing is rejected or unfinished, and it is stable. */
export function meetsSlo(s: Summary): boolean {
  return s.slo.all_met && s.stability.stable && s.requests.rejected === 0 && s.requests.unfinished === 0;
}

/** Hourly price that needs no simulation: devices (and, capex, nodes and NICs) without energy. */
function fixedPerHour(l: LoadedScenario): number {
  const s = l.scenario;
  let total = 0;
  for (const role of ['prefill', 'decode'] as const) {
    const pool = s[role];
    const d = resolveDevice(pool.device, s.hardware, l.path, `${role}.device`);
    const devices = pool.nodes * pool.devices_per_node;
    if (s.cost.basis === 'rental') total += devices * d.pricePerHour;
    else {
      const nics = pool.nic?.count ?? pool.devices_per_node;
      total += (devices * d.purchasePrice + pool.nodes * (s.cost.node_price + nics * s.cost.nic_price)) / (s.cost.lifetime_years * HOURS_PER_YEAR);
    }
  }
  return total;
}

/**
 * Each mix's search (see cheapestSearch) runs to the same probes as alone; the mixes' searches
 * advance in lockstep, so each round's probes — one per mix still searching — run in parallel.
 */
export async function isoSloTco(opts: TcoOptions): Promise<{ results: MixResult[]; base: LoadedScenario }> {
  const base = loadScenario(opts.scenario, opts.sets, opts.trace);
  if (Object.values(base.scenario.slo).every((v) => v === undefined)) {
    throw new InputError(opts.scenario, 'slo', 'tco needs SLO targets to meet, e.g. slo: { ttft_p95: 2 s, tbt_p99: 100 ms }');
  }
  const mixes = parseMixes(opts.mixes, base.scenario, opts.scenario);
  if (opts.reference !== undefined && !mixes.some((m) => m.label === opts.reference)) {
    throw new InputError('--reference', opts.reference, `not one of the mixes: ${mixes.map((m) => m.label).join(', ')}`);
  }
  opts.beforeRuns?.(base);
  const mixRuns = mixes.map((mix) => {
    const sets = [...opts.sets, ...mixSets(mix, base.scenario)];
    const nodes = (p: number, d: number) => [...sets, `prefill.nodes=${p}`, `decode.nodes=${d}`];
    const load = (p: number, d: number) => loadScenario(opts.scenario, nodes(p, d), opts.trace);
    const search = cheapestSearch<Summary>({ prefill: opts.prefill, decode: opts.decode, lowerBound: (p, d) => fixedPerHour(load(p, d)) });
    return { mix, nodes, first: load(1, 1).scenario, search };
  });
  const runner = new JobRunner({ jobs: opts.jobs });
  let done = 0;
  let answers: SearchResult<Summary>[];
  try {
    answers = await runInLockstep(
      mixRuns.map((m) => m.search),
      async (probes, owners) => {
        const jobs: Job[] = probes.map((p, k) => ({ scenario: opts.scenario, sets: mixRuns[owners[k]].nodes(p.prefill, p.decode), trace: opts.trace }));
        const runs = await runner.run(jobs, (n) => opts.onProgress?.(done + n));
        done += runs.length;
        return runs.map(({ summary: s }, k): Trial<Summary> => ({ prefill: probes[k].prefill, decode: probes[k].decode, pass: meetsSlo(s), cost: s.cost.per_hour, result: s }));
      },
    );
  } finally {
    await runner.close();
  }
  const results = mixRuns.map(({ mix, first }, i): MixResult => {
    const search = answers[i];
    const pool = (c: PoolConfig) => `${c.devices_per_node}×${c.device} TP${c.tp}`;
    const r: MixResult = { mix: mix.label, prefill: pool(first.prefill), decode: pool(first.decode), runs: search.tried.length };
    const b = search.best;
    if (b) {
      const s = b.result;
      r.best = {
        prefill_nodes: b.prefill,
        decode_nodes: b.decode,
        devices: b.prefill * first.prefill.devices_per_node + b.decode * first.decode.devices_per_node,
        ttft_p95_s: s.ttft_s.p95,
        tbt_p99_s: s.tbt_s.p99,
        cost_per_hour: s.cost.per_hour,
        cost_per_million_output_tokens: s.cost.per_million_output_tokens,
        energy_j_per_output_token: s.energy.per_output_token_j,
      };
    }
    return r;
  });
  const refLabel = opts.reference ?? 'scenario';
  const refRow = results.find((r) => r.mix === refLabel);
  if (!refRow) throw new InputError('--reference', refLabel, `not one of the mixes: ${results.map((r) => r.mix).join(', ')}`);
  const ref = refRow.best;
  for (const r of results) {
    if (r.best && ref) r.best.tco_ratio = r.best.cost_per_million_output_tokens / ref.cost_per_million_output_tokens;
  }
  return { results, base };
}
