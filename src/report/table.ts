import type { PoolSummary, Summary } from '../metrics/summary.js';
import type { Distribution } from '../metrics/stats.js';
import { sloVerdict } from '../experiments/check.js';
import { formatExpectations } from './expectations-table.js';
import { formatFixed } from '../util/format-number.js';

/** Milliseconds below 10 s, seconds above: a 2-minute wait reads as `122.0 s`, not `121956.0 ms`. */
const ms = (s: number) => (s >= 10 ? `${s.toFixed(1)} s` : `${(s * 1e3).toFixed(1)} ms`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number, d = 1) => formatFixed(x, d);

function row(label: string, d: Distribution): string {
  return `  ${label.padEnd(16)}${[d.mean, d.p50, d.p90, d.p95, d.p99, d.max].map((x) => ms(x).padStart(12)).join('')}`;
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
    `  ${'latency'.padEnd(16)}${['mean', 'p50', 'p90', 'p95', 'p99', 'max'].map((h) => h.padStart(12)).join('')}`,
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
    const parts = targets.map(([k, t]) => `${k} ${sloVerdict(t!.achieved_s, t!.target_s, t!.met)}`);
    lines.push(`  SLO: ${parts.join('; ')}; per-request attainment ${pct(s.slo.attainment)}`);
    if (s.slo.reason) lines.push(`  SLO NOT MET: ${s.slo.reason}`);
  }
  lines.push(...costLines(s), ...energyLines(s));
  if (s.expectations) lines.push(...formatExpectations(s.expectations));
  return lines.join('\n');
}

const TIER_LABELS: Record<string, string> = { local_cpu: 'DRAM tier', local_disk: 'NVMe tier', remote: 'remote tier' };

/** Where each dollar goes: pools and tiers with their parts. */
function costLines(s: Summary): string[] {
  const c = s.cost;
  const usd = (x: number) => `$${num(x, 2)}`;
  const hours = s.makespan_s / 3600;
  const rate = (x: number) => `${usd(hours > 0 ? x / hours : 0)}/h`;
  const lines = [
    `  cost (${c.basis}): ${usd(c.per_hour)}/h, ${usd(c.per_million_output_tokens)} per 1M output tokens (${usd(c.per_million_tokens)} per 1M tokens)`,
  ];
  for (const [name, p] of Object.entries(c.pools)) {
    const parts = c.basis === 'rental' ? 'device rental' : `devices ${rate(p.devices)}, hosts ${rate(p.hosts)}, NICs ${rate(p.nics)}, power ${rate(p.power)}`;
    lines.push(`    ${name.padEnd(11)} ${usd(p.per_hour).padStart(10)}/h  ${usd(p.per_million_output_tokens).padStart(8)}/1M out   (${parts})`);
  }
  for (const [name, t] of Object.entries(c.tiers)) {
    lines.push(
      `    ${TIER_LABELS[name].padEnd(11)} ${usd(t.per_hour).padStart(10)}/h  ${usd(t.per_million_output_tokens).padStart(8)}/1M out   ` +
        `(capacity ${rate(t.capacity)}, power ${rate(t.power)}, requests ${rate(t.requests)})`,
    );
  }
  return lines;
}

/** Where each joule goes. */
function energyLines(s: Summary): string[] {
  const e = s.energy;
  const lines = [
    `  energy: ${num(e.kwh, 2)} kWh (mean ${num(e.mean_kw, 1)} kW at PUE ${e.pue}), ${num(e.per_output_token_j, 1)} J per output token (${num(e.per_token_j, 2)} J per token)`,
  ];
  for (const [name, p] of Object.entries(e.pools)) {
    lines.push(
      `    ${name.padEnd(11)} ${num(p.per_output_token_j, 1).padStart(8)} J/out tok   mean ${num(p.mean_device_watts, 0)} W per device` +
        ` (devices ${pct(p.devices_j / (p.joules || 1))}, hosts ${pct(p.hosts_j / (p.joules || 1))}, NICs ${pct(p.nics_j / (p.joules || 1))}, facility ${pct(p.facility_j / (p.joules || 1))})`,
    );
  }
  for (const [name, t] of Object.entries(e.tiers)) {
    lines.push(`    ${TIER_LABELS[name].padEnd(11)} ${num(t.per_output_token_j, 2).padStart(8)} J/out tok`);
  }
  return lines;
}
