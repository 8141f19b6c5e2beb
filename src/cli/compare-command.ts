import { stringify } from 'csv-stringify/sync';
import { basename } from 'node:path';
import { InputError } from '../scenario/input-error.js';
import { checkKeyPath, loadScenario } from '../scenario/load.js';
import { quote } from '../util/show-value.js';
import type { Summary } from '../metrics/summary.js';
import { stabilityCell } from '../metrics/stability.js';
import { displayPath, resolveOutDir } from '../output/out-dir.js';
import { publishOutputs } from '../output/staging.js';
import { compareChart, renderCharts } from '../report/charts.js';
import { runScenario } from '../run.js';

export interface CompareOptions {
  scenarios: string[];
  /** `key=v1,v2,...`: one run per value (a one-key sweep). */
  vary?: string;
  sets: string[];
  trace?: string;
  out?: string;
  quiet: boolean;
  charts: boolean;
}

interface Variant {
  label: string;
  file: string;
  sets: string[];
}

/** The runs to make: every scenario × every value of the varied key. */
function variants(opts: CompareOptions): Variant[] {
  let values: { label: string; set?: string }[] = [{ label: '' }];
  if (opts.vary !== undefined) {
    const eq = opts.vary.indexOf('=');
    const key = opts.vary.slice(0, eq);
    const list = opts.vary.slice(eq + 1).split(',').filter((v) => v !== '');
    if (eq <= 0 || list.length === 0) throw new InputError('--vary', quote(opts.vary), 'expected key.path=value1,value2,...');
    checkKeyPath('--vary', key);
    values = list.map((v) => ({ label: `${key}=${v}`, set: `${key}=${v}` }));
  }
  const out: Variant[] = [];
  for (const file of opts.scenarios) {
    for (const v of values) {
      const name = basename(file).replace(/\.ya?ml$/, '');
      out.push({
        label: [opts.scenarios.length > 1 ? name : '', v.label].filter(Boolean).join(' ') || name,
        file,
        sets: v.set ? [...opts.sets, v.set] : opts.sets,
      });
    }
  }
  return out;
}

/** One row of the comparison: the numbers planners compare policies and clusters by. */
function row(label: string, s: Summary) {
  return {
    variant: label,
    ttft_p50_s: s.ttft_s.p50,
    ttft_p95_s: s.ttft_s.p95,
    ttft_p99_s: s.ttft_s.p99,
    tbt_p50_s: s.tbt_s.p50,
    tbt_p99_s: s.tbt_s.p99,
    e2e_p50_s: s.e2e_s.p50,
    kv_hit_rate: s.kv_cache.hit_rate,
    slo_attainment: s.slo.attainment,
    rejected: s.requests.rejected,
    finished: s.requests.finished,
    output_tokens_per_s: s.throughput.output_tokens_per_s,
    cost_per_hour: s.cost.cluster_per_hour,
    cost_per_million_output_tokens: s.cost.per_million_output_tokens,
    cost_per_million_tokens: s.cost.per_million_tokens,
    energy_j_per_output_token: s.energy.per_output_token_j,
    stable: s.stability.stable,
    prefill_load_factor: s.stability.pools.prefill.load_factor,
    decode_load_factor: s.stability.pools.decode.load_factor,
    stability: s.stability.verdict,
  };
}

const ms = (s: number) => (s * 1e3).toFixed(0);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** `kvsim compare`: the same workload through several scenarios or values of one key, side by side. */
export async function compareCommand(opts: CompareOptions): Promise<void> {
  const runs = variants(opts);
  // Load everything first: a bad variant fails before any simulation time is spent.
  const loaded = runs.map((v) => ({ v, scenario: loadScenario(v.file, v.sets, opts.trace) }));
  const dir = resolveOutDir(opts.out, `compare-${loaded[0].scenario.scenario.name}`);
  const rows = loaded.map(({ v, scenario }) => {
    const result = runScenario(scenario, { keepRecords: false });
    return { ...row(v.label, result.summary), summary: result.summary };
  });
  const table = rows.map(({ summary: _s, ...r }) => r);
  await publishOutputs(
    dir,
    {
      'compare.csv': stringify(table, { header: true, cast: { boolean: (v) => String(v) } }),
      'compare.json': `${JSON.stringify(rows.map((r) => ({ variant: r.variant, summary: r.summary })), null, 2)}
`,
    },
    async () => (opts.charts ? renderCharts({ compare: compareChart(table) }) : {}),
  );
  if (opts.quiet) return;
  const width = Math.max(8, ...rows.map((r) => r.variant.length));
  const head = ['TTFT p50', 'p95', 'p99', 'TBT p99', 'KV hit', 'SLO ok', 'rejected', 'out tok/s', '$/1M out', 'J/out tok'];
  const unstable = rows.filter((r) => !r.stable);
  const lines = [
    `${'variant'.padEnd(width)} ${head.map((h) => h.padStart(9)).join(' ')}  load`,
    `${''.padEnd(width)} ${['ms', 'ms', 'ms', 'ms', '', '', '', '', '', ''].map((h) => h.padStart(9)).join(' ')}`,
    ...rows.map((r) =>
      [
        r.variant.padEnd(width),
        ...[
          ms(r.ttft_p50_s), ms(r.ttft_p95_s), ms(r.ttft_p99_s), (r.tbt_p99_s * 1e3).toFixed(1), pct(r.kv_hit_rate),
          pct(r.slo_attainment), String(r.rejected), r.output_tokens_per_s.toFixed(0), r.cost_per_million_output_tokens.toFixed(2),
          r.energy_j_per_output_token.toFixed(1),
        ].map((x) => x.padStart(9)),
        ` ${stabilityCell(r.summary.stability, r.summary.mode === 'colocated')}`,
      ].join(' '),
    ),
    // An overloaded variant's latencies grow with the run's length: say so under the table too.
    ...unstable.map((r) => `${r.variant}: ${r.summary.stability.verdict}`),
    `wrote compare.csv, compare.json${opts.charts ? ', charts/compare.svg' : ''} to ${displayPath(dir)}/`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
