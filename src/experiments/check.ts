import type { Summary } from '../metrics/summary.js';
import { formatValue } from './console.js';

/** An SLO verdict as a true statement: `3823 ms > 2000 ms: MISSED`, `73.8 ms ≤ 2000 ms: met`. */
export function sloVerdict(achieved: number, target: number, met: boolean): string {
  return `${formatValue('s', achieved)} ${met ? '≤' : '>'} ${formatValue('s', target)}: ${met ? 'met' : 'MISSED'}`;
}

interface Optional {
  stability?: { stable?: boolean; verdict?: string };
  /** Written by scenario `expectations:` (read defensively: its exact shape belongs to that feature). */
  expectations?: { all_met?: boolean; results?: { name?: string; key?: string; met?: boolean; message?: string }[] } | { met?: boolean; name?: string; message?: string }[];
}

/**
 * Why a run fails a CI gate (`--check`): overloaded, an SLO target missed, requests rejected or
 * unfinished, or an expectation missed. Empty when it passes.
 */
export function checkFailures(s: Summary): string[] {
  const extra = s as Summary & Optional;
  const out: string[] = [];
  if (extra.stability?.stable === false) out.push(extra.stability.verdict ?? 'OVERLOADED');
  for (const [key, t] of Object.entries(s.slo.targets)) if (t && !t.met) out.push(`${key} ${sloVerdict(t.achieved_s, t.target_s, false)}`);
  if (s.requests.rejected > 0) out.push(`${s.requests.rejected} requests rejected`);
  if (s.requests.unfinished > 0) out.push(`${s.requests.unfinished} requests unfinished`);
  const exp = extra.expectations;
  const list = Array.isArray(exp) ? exp : exp?.results ?? [];
  const missed = list.filter((e) => e.met === false);
  for (const e of missed) out.push(`expectation ${'name' in e && e.name ? e.name : 'key' in e && e.key ? e.key : ''} missed${e.message ? `: ${e.message}` : ''}`.replace('  ', ' '));
  if (missed.length === 0 && !Array.isArray(exp) && exp?.all_met === false) out.push('an expectation missed');
  return out;
}
