import { stringify } from 'csv-stringify/sync';
import { aggregateReplicates, type Replicates } from '../experiments/aggregate.js';
import { formatValue } from '../experiments/console.js';
import type { Job, JobResult } from '../experiments/job.js';
import type { LatencyFloors } from '../metrics/latency-floor.js';
import { JobRunner } from '../experiments/runner.js';
import { resolveSeeds, type SeedSpec } from '../experiments/seeds.js';
import { displayPath, resolveOutDir } from '../output/out-dir.js';
import { publishOutputs } from '../output/staging.js';
import { InputError } from '../scenario/input-error.js';
import { loadScenario } from '../scenario/load.js';
import { fewestDecodeNodes, runInLockstep } from '../tco/cheapest.js';
import type { Progress } from './progress.js';

export interface PlanOptions {
  scenario: string;
  /** Inclusive ranges of node counts to try, e.g. "1-8". */
  prefill: string;
  decode: string;
  sets: string[];
  trace?: string;
  out?: string;
  quiet: boolean;
  seeds: SeedSpec;
  jobs: number;
  /** Terminal progress line (absent on a pipe or with --quiet). */
  progress?: Progress;
}

export function range(flag: string, text: string): number[] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  const lo = m ? Number(m[1]) : NaN;
  const hi = m ? Number(m[2] ?? m[1]) : NaN;
  if (!m || lo < 1 || hi < lo || hi - lo > 63) {
    throw new InputError(flag, text, 'expected a node count or a range like 1-8 (at most 64 values, from 1)');
  }
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

interface Candidate {
  prefill_nodes: number;
  decode_nodes: number;
  /** Met on every seed (and nothing rejected or unfinished, and stable, on any seed). */
  meets_slo: boolean;
  seeds_meeting_slo: string;
  /** Overload detection's verdict: stable only if stable on every seed (an unstable run never meets the SLO). */
  stable: boolean;
  stability: string;
  rejected: number;
  ttft_p95_s: number;
  tbt_p99_s: number;
  slo_attainment: number;
  cost_per_hour: number;
  cost_per_million_output_tokens: number;
}

/** A configuration's numbers: means over the seeds; it meets the SLO only if every seed does. */
function candidate(p: number, d: number, rep: Replicates, runs: readonly JobResult[]): Candidate {
  const mean = (name: string) => rep.metrics[name].mean;
  const unstable = runs.find((r) => !r.summary.stability.stable);
  return {
    prefill_nodes: p,
    decode_nodes: d,
    meets_slo: rep.slo_met_every_seed,
    seeds_meeting_slo: `${rep.slo_met_seeds}/${rep.seeds.length}`,
    stable: unstable === undefined,
    stability: (unstable ?? runs[0]).summary.stability.verdict + (unstable && runs.length > 1 ? ` (seed ${unstable.summary.seed})` : ''),
    rejected: mean('rejected'),
    ttft_p95_s: mean('ttft_p95_s'),
    tbt_p99_s: mean('tbt_p99_s'),
    slo_attainment: mean('slo_attainment'),
    cost_per_hour: mean('cost_per_hour'),
    cost_per_million_output_tokens: mean('cost_per_million_output_tokens'),
  };
}

/**
 * `kvsim plan`: how many prefill and decode nodes a scenario's workload needs. Adding nodes never
 * hurts in this model, so for each prefill count it searches the fewest decode nodes that meet
 * every SLO target (binary search over the decode range), then reports the cheapest plan. The
 * searches of all prefill counts advance in lockstep, so each step's probes (× seeds) run in
 * parallel; every search sees the same probes as if run alone, so the answer does not depend on
 * the number of threads.
 */
export async function planCommand(opts: PlanOptions): Promise<void> {
  const prefillRange = range('--prefill', opts.prefill);
  const decodeRange = range('--decode', opts.decode);
  const base = loadScenario(opts.scenario, opts.sets, opts.trace);
  if (Object.values(base.scenario.slo).every((v) => v === undefined)) {
    throw new InputError(opts.scenario, 'slo', 'plan needs SLO targets to meet, e.g. slo: { ttft_p95: 2 s, tbt_p99: 100 ms }');
  }
  const dir = resolveOutDir(opts.out, `plan-${base.scenario.name}`);
  const seeds = resolveSeeds(opts.seeds, base.scenario.seed) ?? [base.scenario.seed];
  /** Per prefill count, the configurations its search tried, in order. */
  const triedBy: Candidate[][] = prefillRange.map(() => []);
  // The largest cluster tried: its run says what more nodes cannot fix (latency floors, overload).
  let largest: { c: Candidate; floors: LatencyFloors } | undefined;
  let done = 0;
  const runner = new JobRunner({ jobs: opts.jobs });
  let found: (Candidate | undefined)[];
  try {
    found = await runInLockstep(
      prefillRange.map((p, i) => fewestDecodeNodes<Candidate>(p, decodeRange, (c) => c.meets_slo, triedBy[i])),
      async (probes) => {
        const jobs: Job[] = probes.flatMap((probe) =>
          seeds.map((seed) => ({
            scenario: opts.scenario,
            sets: [...opts.sets, `prefill.nodes=${probe.prefill}`, `decode.nodes=${probe.decode}`],
            trace: opts.trace,
            seed,
            floors: seed === seeds[0],
          })),
        );
        const results = await runner.run(jobs, (n) => opts.progress?.update(done + n, 0));
        done += results.length;
        return probes.map((probe, i) => {
          const runs = results.slice(i * seeds.length, (i + 1) * seeds.length);
          const c = candidate(probe.prefill, probe.decode, aggregateReplicates(runs.map((r) => r.summary)), runs);
          if (!largest || c.prefill_nodes + c.decode_nodes > largest.c.prefill_nodes + largest.c.decode_nodes) largest = { c, floors: runs[0].floors! };
          return c;
        });
      },
    );
  } finally {
    await runner.close();
    opts.progress?.end();
  }
  const tried = triedBy.flat();
  const best = found.flatMap((c) => (c ? [c] : []));
  best.sort((a, b) => a.cost_per_hour - b.cost_per_hour || a.prefill_nodes - b.prefill_nodes);
  const reasons = largest ? whyNot(base.scenario.slo, largest.c, largest.floors, base.scenario.prefill) : [];
  await publishOutputs(dir, {
    'plan.csv': stringify(tried, { header: true, cast: { boolean: (v) => String(v) } }),
    'plan.json': `${JSON.stringify({ scenario: base.scenario.name, slo: base.scenario.slo, seeds, best: best[0] ?? null, frontier: best, why_not: best.length ? [] : reasons, floors: largest?.floors ?? null, tried }, null, 2)}\n`,
  });
  if (opts.quiet) return;
  const t = (s: number) => formatValue('s', s);
  const lines = [`kvsim plan: ${base.scenario.name} — SLO ${Object.entries(base.scenario.slo).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ≤ ${t(v as number)}`).join(', ')}`];
  lines.push(
    seeds.length > 1
      ? `  ${seeds.length} seeds (${seeds.join(', ')}): a configuration counts as meeting the SLO only if it does on every seed; numbers are means over seeds`
      : `  seed ${seeds[0]} (one replicate; --seeds N checks the SLO on every one of N seeds)`,
  );
  if (best.length === 0) {
    lines.push(`  no plan within prefill ${opts.prefill} × decode ${opts.decode} nodes meets the SLO (${tried.length} configurations tried)`);
    for (const r of reasons) lines.push(`  ${r}`);
    if (reasons.length === 0) lines.push('  widen the ranges');
  } else {
    lines.push(`  ${'prefill'.padStart(8)} ${'decode'.padStart(7)} ${'TTFT p95'.padStart(10)} ${'TBT p99'.padStart(9)} ${'$/hour'.padStart(9)} ${'$/1M out'.padStart(9)}`);
    for (const c of best) {
      lines.push(`  ${String(c.prefill_nodes).padStart(8)} ${String(c.decode_nodes).padStart(7)} ${t(c.ttft_p95_s).padStart(10)} ${t(c.tbt_p99_s).padStart(9)} ${c.cost_per_hour.toFixed(2).padStart(9)} ${c.cost_per_million_output_tokens.toFixed(2).padStart(9)}${c === best[0] ? '  ← cheapest' : ''}`);
    }
  }
  lines.push(`  ${tried.length * seeds.length} simulations (${tried.length} configurations × ${seeds.length} seed${seeds.length > 1 ? 's' : ''}); wrote plan.csv, plan.json to ${displayPath(dir)}/`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * Why even the largest cluster tried misses the SLO: a target below the idle-cluster latency floor
 * (more nodes cannot help: only the instance shape can), or the largest cluster still overloaded.
 */
function whyNot(
  slo: Readonly<Record<string, number | undefined>>,
  c: Candidate,
  floors: LatencyFloors,
  prefill: { tp: number; device: string },
): string[] {
  const out: string[] = [];
  for (const [key, target] of Object.entries(slo)) {
    if (target === undefined) continue;
    const [metric, p] = key.split('_') as [string, 'p50' | 'p90' | 'p95' | 'p99'];
    const floor = metric === 'ttft' ? floors.ttft_s[p] : metric === 'tbt' ? floors.tbt_s[p] : undefined;
    if (floor === undefined || floor < target) continue;
    const what =
      metric === 'ttft'
        ? `the longest prompts take that long to prefill at TP${prefill.tp} on ${prefill.device} even on an idle cluster, ` +
          `at this run's KV reuse (${(floors.reuse * 100).toFixed(0)}%); more nodes help only through more reuse (change tp/device or the target)`
        : 'one decode step of the longest sequences alone takes that long; more nodes cannot help (change tp/device or the target)';
    out.push(`${metric.toUpperCase()} ${p} floor ${floor.toFixed(2)} s ≥ target ${target} s: ${what}`);
  }
  if (!c.stable) out.push(`even ${c.prefill_nodes} prefill × ${c.decode_nodes} decode nodes is not stable: ${c.stability}; widen the ranges`);
  return out;
}
