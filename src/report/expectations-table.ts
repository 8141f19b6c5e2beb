import type { ExpectationsReport } from '../expectations/check.js';
import { METRICS } from '../expectations/metrics.js';

/** A value in the unit its metric kind reads best in. */
export function formatMeasured(metric: string, x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  switch (METRICS[metric]?.kind) {
    case 'time':
      return x < 1 ? `${(x * 1e3).toFixed(0)} ms` : `${x.toFixed(2)} s`;
    case 'share':
      return `${(x * 100).toFixed(1)}%`;
    case 'rate':
    case 'count':
      return x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}K` : x.toFixed(1);
    default:
      return String(x);
  }
}

/** The verdict table printed by `kvsim run` for a scenario with `expectations:`. */
export function formatExpectations(e: ExpectationsReport): string[] {
  const lines = [`  expectations: ${e.met} of ${e.total} met${e.run_stable ? '' : ' (run not stable: its latencies describe a growing queue)'}`];
  const w = Math.max(...e.claims.map((c) => c.metric.length));
  const cw = Math.max(...e.claims.map((c) => c.claim.length), 5);
  for (const c of e.claims) {
    const ceiling = c.ceiling !== undefined ? `   ceiling ${formatMeasured(c.metric, c.ceiling)} (${c.ceiling_bound} at 100% efficiency)` : '';
    lines.push(`    ${c.metric.padEnd(w)}  claim ${c.claim.padEnd(cw)}  measured ${formatMeasured(c.metric, c.measured).padStart(9)}  ${c.verdict.toUpperCase().padEnd(13)}${ceiling}`);
  }
  if (e.claims.some((c) => c.metric === 'concurrent_users')) lines.push(`    concurrent users = ${e.concurrent_users_definition}`);
  return lines;
}
