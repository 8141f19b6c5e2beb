import type { PoolSummary, Summary } from '../metrics/summary.js';
import type { Distribution } from '../metrics/stats.js';

const ms = (s: number) => `${(s * 1e3).toFixed(1)} ms`;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number, d = 1) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function row(label: string, d: Distribution): string {
  return `  ${label.padEnd(16)}${[d.mean, d.p50, d.p90, d.p99, d.max].map((x) => ms(x).padStart(12)).join('')}`;
}

function pool(label: string, p: PoolSummary): string {
  return (
    `  ${label.padEnd(8)}${String(p.instances).padStart(4)} × ${p.tp}×${p.device.padEnd(8)} busy ${pct(p.busy_share).padStart(6)}` +
    `   batch full ${pct(p.batch_occupancy.mean)} (p95 ${pct(p.batch_occupancy.p95)})` +
    (p.kv_occupancy.peak > 0 ? `   KV ${pct(p.kv_occupancy.mean)} (peak ${pct(p.kv_occupancy.peak)})` : '') +
    `   of peak: compute ${pct(p.compute_share_of_peak)}, HBM BW ${pct(p.hbm_bandwidth_share_of_peak)}` +
    `\n            compute-bound ${pct(p.compute_bound_share).padStart(6)}  memory-bound ${pct(p.memory_bound_share).padStart(6)}` +
    `   mean step ${ms(p.mean_step_s)} of ${num(p.mean_batch_tokens, 1)} tokens`
  );
}

function kvLine(s: Summary): string {
  const k = s.kv_cache;
  const parts = [`HBM ${pct(k.tiers.hbm.hit_rate)}`];
  if (k.tiers.local_cpu) parts.push(`DRAM ${pct(k.tiers.local_cpu.hit_rate)}`);
  if (k.tiers.local_disk) parts.push(`disk ${pct(k.tiers.local_disk.hit_rate)}`);
  if (k.tiers.pool) parts.push(`peers ${pct(k.tiers.pool.hit_rate)}`);
  if (k.tiers.remote) parts.push(`${k.tiers.remote.backend} ${pct(k.tiers.remote.hit_rate)}`);
  return (
    `  KV reuse: ${pct(k.hit_rate)} of prompt tokens (${parts.join(', ')}); prefill compute saved ${pct(k.compute_saved_share)}` +
    (k.load_s.count ? `; tier loads mean ${ms(k.load_s.mean)}, p99 ${ms(k.load_s.p99)}` : '')
  );
}

/** The human-readable report printed by `kvsim run`. */
export function formatSummary(s: Summary): string {
  const st = s.stability;
  const load = (name: string, p: Summary['stability']['pools']['prefill']) =>
    `${name} ${num(p.offered_tokens_per_s, 0)} / ${num(p.capacity_tokens_per_s, 0)} tok/s (${num(p.load_factor, 2)}x, batch ≤ ${num(p.max_batch, 0)} by ${p.batch_limit})`;
  const lines = [
    `kvsim: ${s.scenario} (${s.model}, ${s.mode}, seed ${s.seed}) — ${s.workload}`,
    st.stable ? `  ${st.verdict}` : `  *** ${st.verdict} ***`,
    `  offered load vs capacity: ${load('prefill', st.pools.prefill)}; ${load('decode', st.pools.decode)}` +
      `; drain ${num(st.drain_s)} s after the last arrival (arrivals span ${num(st.arrival_span_s)} s)`,
    `  requests: ${s.requests.finished} finished, ${s.requests.rejected} rejected` +
      (s.requests.rejected
        ? ` (capacity ${s.requests.rejected_capacity}, predicted TTFT ${s.requests.rejected_ttft}, predicted TBT ${s.requests.rejected_tbt})`
        : '') +
      `, ${s.requests.unfinished} unfinished; ${s.requests.decode_queued} waited for decode KV; makespan ${num(s.makespan_s)} s` +
      (s.requests.skipped_trace_lines ? `\n  skipped ${s.requests.skipped_trace_lines} malformed trace lines (--skip-bad-lines)` : ''),
    '',
    `  ${'latency'.padEnd(16)}${['mean', 'p50', 'p90', 'p99', 'max'].map((h) => h.padStart(12)).join('')}`,
    row('TTFT (client)', s.ttft_s),
    row('TTFT prefill', s.ttft_prefill_s),
    row('TBT (ITL)', s.tbt_s),
    row('TPOT', s.tpot_s),
    row('E2E', s.e2e_s),
    row('prefill queue', s.prefill_queue_s),
    row('decode queue', s.decode_queue_s),
    row('KV transfer', s.kv_transfer_s),
    '',
    `  throughput: ${num(s.throughput.requests_per_s, 2)} req/s, ${num(s.throughput.input_tokens_per_s, 0)} input tok/s, ${num(s.throughput.output_tokens_per_s, 0)} output tok/s`,
    kvLine(s),
    pool('prefill', s.prefill),
    pool('decode', s.decode),
  ];
  const targets = Object.entries(s.slo.targets);
  if (targets.length) {
    const parts = targets.map(([k, t]) => `${k} ${ms(t!.achieved_s)} ≤ ${ms(t!.target_s)} ${t!.met ? 'met' : 'MISSED'}`);
    lines.push(`  SLO: ${parts.join('; ')}; per-request attainment ${pct(s.slo.attainment)}`);
    if (s.slo.reason) lines.push(`  SLO NOT MET: ${s.slo.reason}`);
  }
  lines.push(
    `  cost: $${num(s.cost.cluster_per_hour, 2)}/h, $${num(s.cost.per_million_output_tokens, 2)} per 1M output tokens ($${num(s.cost.per_million_tokens, 3)} per 1M tokens)`,
  );
  return lines.join('\n');
}
