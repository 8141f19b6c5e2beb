import type { Replicates } from '../experiments/aggregate.js';
import { sloVerdict } from '../experiments/check.js';
import { formatInterval, formatValue } from '../experiments/console.js';
import type { RunSummary } from '../experiments/job.js';
import { METRICS } from '../experiments/metrics.js';
import type { Distribution } from '../metrics/stats.js';
import type { VlSpec } from './charts.js';
import { esc, htmlReport, htmlTable, type ReportSection } from './html-report.js';

const t = (s: number) => formatValue('s', s);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** report.html of one run: verdicts, summary and latency tables, SLOs, pools, replicates, provenance, charts. */
export function runReport(summary: RunSummary & { replicates?: Replicates }, charts: Readonly<Record<string, VlSpec>>): string {
  const s = summary as RunSummary & { replicates?: Replicates };
  const sections: ReportSection[] = [];
  const verdicts: string[] = [];
  verdicts.push(`<div class="verdict ${s.stability.stable ? 'ok' : 'bad'}">${esc(s.stability.verdict)}</div>`);
  const targets = Object.entries(s.slo.targets);
  if (targets.length) {
    verdicts.push(`<div class="verdict ${s.slo.all_met ? 'ok' : 'bad'}">${s.slo.all_met ? 'every SLO target met' : 'SLO MISSED'}; per-request attainment ${pct(s.slo.attainment)}</div>`);
    verdicts.push(
      htmlTable(
        ['SLO', 'target', 'achieved', 'verdict'],
        targets.map(([k, v]) => [k, t(v!.target_s), t(v!.achieved_s), sloVerdict(v!.achieved_s, v!.target_s, v!.met)]),
        { classes: (i, j) => (j === 3 ? (targets[i][1]!.met ? 'met' : 'missed') : '') },
      ),
    );
  } else verdicts.push('<p>No SLO targets in the scenario (add <code>slo:</code> to judge this run).</p>');
  sections.push({ heading: 'Verdict', html: verdicts.join('\n') });

  const r = s.requests;
  sections.push({
    heading: 'Summary',
    html: htmlTable(
      ['quantity', 'value'],
      [
        ['requests finished / rejected / unfinished', `${r.finished} / ${r.rejected} / ${r.unfinished}`],
        ['waited for decode KV', String(r.decode_queued)],
        ['makespan', t(s.makespan_s)],
        ['throughput', `${s.throughput.requests_per_s.toFixed(2)} req/s, ${s.throughput.input_tokens_per_s.toFixed(0)} input tok/s, ${s.throughput.output_tokens_per_s.toFixed(0)} output tok/s`],
        ['KV reuse (share of prompt tokens)', pct(s.kv_cache.hit_rate)],
        ['cost', `$${s.cost.cluster_per_hour.toFixed(2)}/h, $${s.cost.per_million_output_tokens.toFixed(2)} per 1M output tokens`],
      ],
    ),
  });

  const dists: [string, Distribution | undefined][] = [
    ['TTFT (client)', s.ttft_s],
    ['TTFT (prefill side)', s.ttft_prefill_s],
    ['TBT (inter-token gap)', s.tbt_s],
    ['TPOT', s.tpot_s],
    ['E2E', s.e2e_s],
    ['prefill queue', s.prefill_queue_s],
    ['KV handoff', s.handoff_s],
  ];
  sections.push({
    heading: 'Latency',
    html: htmlTable(
      ['latency', 'mean', 'p50', 'p90', 'p95', 'p99', 'max'],
      dists.filter((d): d is [string, Distribution] => d[1] !== undefined).map(([name, d]) => [name, t(d.mean), t(d.p50), t(d.p90), t(d.p95), t(d.p99), t(d.max)]),
    ),
  });

  sections.push({
    heading: 'Pools',
    html: htmlTable(
      ['pool', 'instances', 'device', 'busy time share', 'batch occupancy mean / p95', 'KV occupancy mean / peak', 'compute / HBM share of peak', 'mean step', 'tokens per step'],
      (['prefill', 'decode'] as const).map((p) => {
        const x = s[p];
        return [
          p, x.instances, `${x.tp}× ${x.device}`, pct(x.busy_share), `${pct(x.batch_occupancy.mean)} / ${pct(x.batch_occupancy.p95)}`,
          `${pct(x.kv_occupancy.mean)} / ${pct(x.kv_occupancy.peak)}`, `${pct(x.compute_share_of_peak)} / ${pct(x.hbm_bandwidth_share_of_peak)}`,
          t(x.mean_step_s), x.mean_batch_tokens.toFixed(1),
        ];
      }),
    ),
  });

  if (s.replicates) {
    const rep = s.replicates;
    sections.push({
      heading: `Replicates: ${rep.seeds.length} seeds (${rep.seeds.join(', ')})`,
      html:
        `<p>Mean and 95% Student-t interval over seeds; SLO met on ${rep.slo_met_seeds} of ${rep.seeds.length}. The other tables and charts are seed ${s.seed}'s.</p>\n` +
        htmlTable(
          ['metric', 'mean ±95%', 'low', 'high'],
          METRICS.map((m) => {
            const iv = rep.metrics[m.name];
            return [m.name, formatInterval(m.unit, iv), formatValue(m.unit, iv.ci95_low), formatValue(m.unit, iv.ci95_high)];
          }),
        ),
    });
  }

  const p = s.provenance;
  sections.push({
    heading: 'Provenance',
    html: htmlTable(
      ['', ''],
      [
        ['scenario file', p.scenario_file],
        ['overrides', p.overrides.join(' ') || '(none)'],
        ['seed', String(p.seed)],
        ...(p.trace_path ? [['trace (relative to the scenario)', p.trace_path]] : []),
        ['routers', `prefill ${p.resolved_scenario.prefill.router}, decode ${p.resolved_scenario.decode.router}`],
        ['kvsim', `${p.kvsim_version}${p.git_commit ? ` (${p.git_commit.slice(0, 12)})` : ''}, summary schema ${p.schema_version}`],
      ],
    ),
  });

  return htmlReport({
    title: `kvsim run: ${s.scenario}`,
    subtitle: `${s.model}, ${s.mode}, seed ${s.seed} — ${s.workload}`,
    sections,
    charts,
    footer: 'Generated by kvsim; charts rendered in the browser with vega-embed (bundled in this file, no network needed).',
  });
}
