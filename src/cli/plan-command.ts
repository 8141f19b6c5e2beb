import { stringify } from 'csv-stringify/sync';
import { latencyFloors, type LatencyFloors } from '../metrics/latency-floor.js';
import type { Summary } from '../metrics/summary.js';
import { displayPath, resolveOutDir } from '../output/out-dir.js';
import { publishOutputs } from '../output/staging.js';
import { InputError } from '../scenario/input-error.js';
import { loadScenario } from '../scenario/load.js';
import { runScenario } from '../run.js';

export interface PlanOptions {
  scenario: string;
  /** Inclusive ranges of node counts to try, e.g. "1-8". */
  prefill: string;
  decode: string;
  sets: string[];
  trace?: string;
  out?: string;
  quiet: boolean;
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
  meets_slo: boolean;
  /** Overload detection's verdict (an unstable run never meets the SLO). */
  stable: boolean;
  stability: string;
  rejected: number;
  ttft_p95_s: number;
  tbt_p99_s: number;
  slo_attainment: number;
  cost_per_hour: number;
  cost_per_million_output_tokens: number;
}

function candidate(p: number, d: number, s: Summary): Candidate {
  return {
    prefill_nodes: p,
    decode_nodes: d,
    // A plan must serve the load: every SLO target met, stable (slo.all_met implies it), nothing
    // rejected or left unfinished.
    meets_slo: s.slo.all_met && s.stability.stable && s.requests.rejected === 0 && s.requests.unfinished === 0,
    stable: s.stability.stable,
    stability: s.stability.verdict,
    rejected: s.requests.rejected,
    ttft_p95_s: s.ttft_s.p95,
    tbt_p99_s: s.tbt_s.p99,
    slo_attainment: s.slo.attainment,
    cost_per_hour: s.cost.cluster_per_hour,
    cost_per_million_output_tokens: s.cost.per_million_output_tokens,
  };
}

/**
 * `kvsim plan`: how many prefill and decode nodes a scenario's workload needs. Adding nodes never
 * hurts in this model, so for each prefill count it searches the fewest decode nodes that meet
 * every SLO target (binary search over the decode range), then reports the cheapest plan.
 */
export async function planCommand(opts: PlanOptions): Promise<void> {
  const prefillRange = range('--prefill', opts.prefill);
  const decodeRange = range('--decode', opts.decode);
  const base = loadScenario(opts.scenario, opts.sets, opts.trace);
  if (Object.values(base.scenario.slo).every((v) => v === undefined)) {
    throw new InputError(opts.scenario, 'slo', 'plan needs SLO targets to meet, e.g. slo: { ttft_p95: 2 s, tbt_p99: 100 ms }');
  }
  const dir = resolveOutDir(opts.out, `plan-${base.scenario.name}`);
  const tried: Candidate[] = [];
  // The largest cluster tried: its run says what more nodes cannot fix (latency floors, overload).
  let largest: { c: Candidate; floors: LatencyFloors } | undefined;
  const evaluate = (p: number, d: number): Candidate => {
    const loaded = loadScenario(opts.scenario, [...opts.sets, `prefill.nodes=${p}`, `decode.nodes=${d}`], opts.trace);
    const run = runScenario(loaded);
    const c = candidate(p, d, run.summary);
    tried.push(c);
    if (!largest || p + d > largest.c.prefill_nodes + largest.c.decode_nodes) {
      largest = { c, floors: latencyFloors(run.plan, run.metrics.records) };
    }
    return c;
  };
  const best: Candidate[] = [];
  for (const p of prefillRange) {
    // Fewest decode nodes meeting the SLO for this prefill pool, if any.
    let lo = 0;
    let hi = decodeRange.length - 1;
    let found: Candidate | undefined;
    if (!evaluate(p, decodeRange[hi]).meets_slo) continue;
    found = tried[tried.length - 1];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = evaluate(p, decodeRange[mid]);
      if (c.meets_slo) {
        found = c;
        hi = mid;
      } else lo = mid + 1;
    }
    best.push(found);
  }
  best.sort((a, b) => a.cost_per_hour - b.cost_per_hour || a.prefill_nodes - b.prefill_nodes);
  const reasons = largest ? whyNot(base.scenario.slo, largest.c, largest.floors, base.scenario.prefill) : [];
  await publishOutputs(dir, {
    'plan.csv': stringify(tried, { header: true, cast: { boolean: (v) => String(v) } }),
    'plan.json': `${JSON.stringify({ scenario: base.scenario.name, slo: base.scenario.slo, best: best[0] ?? null, frontier: best, why_not: best.length ? [] : reasons, floors: largest?.floors ?? null, tried }, null, 2)}\n`,
  });
  if (opts.quiet) return;
  const ms = (s: number) => `${(s * 1e3).toFixed(0)} ms`;
  const lines = [`kvsim plan: ${base.scenario.name} — SLO ${Object.entries(base.scenario.slo).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ≤ ${ms(v as number)}`).join(', ')}`];
  if (best.length === 0) {
    lines.push(`  no plan within prefill ${opts.prefill} × decode ${opts.decode} nodes meets the SLO (${tried.length} runs)`);
    for (const r of reasons) lines.push(`  ${r}`);
    if (reasons.length === 0) lines.push('  widen the ranges');
  } else {
    lines.push(`  ${'prefill'.padStart(8)} ${'decode'.padStart(7)} ${'TTFT p95'.padStart(10)} ${'TBT p99'.padStart(9)} ${'$/hour'.padStart(9)} ${'$/1M out'.padStart(9)}`);
    for (const c of best) {
      lines.push(`  ${String(c.prefill_nodes).padStart(8)} ${String(c.decode_nodes).padStart(7)} ${ms(c.ttft_p95_s).padStart(10)} ${ms(c.tbt_p99_s).padStart(9)} ${c.cost_per_hour.toFixed(2).padStart(9)} ${c.cost_per_million_output_tokens.toFixed(2).padStart(9)}${c === best[0] ? '  ← cheapest' : ''}`);
    }
  }
  lines.push(`  ${tried.length} simulations; wrote plan.csv, plan.json to ${displayPath(dir)}/`);
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
