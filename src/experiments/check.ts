import type { Summary } from '../metrics/summary.js';
import { formatValue } from './console.js';

/** An SLO verdict as a true statement: `3823 ms > 2000 ms: MISSED`, `73.8 ms ≤ 2000 ms: met`. */
export function sloVerdict(achieved: number, target: number, met: boolean): string {
  return `${formatValue('s', achieved)} ${met ? '≤' : '>'} ${formatValue('s', target)}: ${met ? 'met' : 'MISSED'}`;
}

/**
 * Why a run fails a CI gate (`--check`): overloaded, an SLO target missed, requests rejected or
 * unfinished, or an expectation missed. Empty when it passes.
 */
export function checkFailures(s: Summary): string[] {
  const out: string[] = [];
  if (!s.stability.stable) out.push(s.stability.verdict);
  for (const [key, t] of Object.entries(s.slo.targets)) if (t && !t.met) out.push(`${key} ${sloVerdict(t.achieved_s, t.target_s, false)}`);
  if (s.requests.rejected > 0) out.push(`${s.requests.rejected} requests rejected`);
  if (s.requests.unfinished > 0) out.push(`${s.requests.unfinished} requests unfinished`);
  // A claim is missed when measured outside its interval or physically unreachable; one that
  // could not be measured in this run is not a miss.
  for (const c of s.expectations?.claims ?? []) {
    if (c.verdict === 'not met' || c.verdict === 'not reachable') out.push(`expectation ${c.metric} ${c.claim}: ${c.verdict} (measured ${c.measured})`);
  }
  return out;
}
