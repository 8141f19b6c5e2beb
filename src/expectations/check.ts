/**
 * Checks a scenario's `expectations:` against a finished run: per claim the measured value, a
 * verdict, and for throughput claims the physical ceiling.
 *   met            the measured value lies in the claimed interval
 *   not met        it does not, but the hardware could physically reach the claim
 *   not reachable  even at 100% efficiency the hardware cannot reach the claim's lower end
 *   not measured   the run has nothing to measure (e.g. no request reused cached KV)
 */
import { parseClaim, type Claim } from './claim.js';
import { METRICS, type MeasureContext } from './metrics.js';

export type Verdict = 'met' | 'not met' | 'not reachable' | 'not measured';

export interface ClaimResult {
  metric: string;
  claim: string;
  /** SI units: s, tokens/s, share 0–1, count. */
  measured: number | null;
  verdict: Verdict;
  /** Throughput claims: the most this hardware could do at 100% efficiency, and what bounds it. */
  ceiling?: number;
  ceiling_bound?: string;
}

export interface ExpectationsReport {
  /** How "concurrent users" is measured. */
  concurrent_users_definition: string;
  /** False when the run was overloaded (summary.stability); latency verdicts then describe an unstable queue. */
  run_stable: boolean;
  met: number;
  total: number;
  claims: ClaimResult[];
}

/** Parses every claim up front, so a malformed one fails before any simulation time is spent. */
export function parseExpectations(file: string, raw: Readonly<Record<string, unknown>>): Claim[] {
  return Object.entries(raw).map(([metric, value]) => parseClaim(file, metric, value));
}

export function checkExpectations(claims: readonly Claim[], ctx: MeasureContext): ExpectationsReport {
  const results = claims.map((c): ClaimResult => {
    const spec = METRICS[c.metric];
    const measured = spec.measure(ctx);
    const ceiling = spec.ceiling?.(ctx);
    let verdict: Verdict;
    if (measured === undefined || !Number.isFinite(measured)) verdict = 'not measured';
    else if (measured >= c.low && measured <= c.high) verdict = 'met';
    else if (ceiling && ceiling.value < c.low) verdict = 'not reachable';
    else verdict = 'not met';
    const r: ClaimResult = { metric: c.metric, claim: c.text, measured: measured ?? null, verdict };
    if (ceiling) {
      r.ceiling = ceiling.value;
      r.ceiling_bound = ceiling.bound;
    }
    return r;
  });
  return {
    concurrent_users_definition: METRICS.concurrent_users.description,
    run_stable: ctx.summary.stability.stable,
    met: results.filter((r) => r.verdict === 'met').length,
    total: results.length,
    claims: results,
  };
}
