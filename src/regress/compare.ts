import { InputError } from '../scenario/input-error.js';
import type { CaseResult } from './baseline.js';
import { METRICS, METRIC_NAMES, type MetricDef } from './metrics.js';

/**
 * How far a metric may move the wrong way before it counts as a regression: a share of the
 * baseline (`5%`), an absolute amount (`0.02`, in the metric's unit), or the replicate spread
 * (`spread`: the larger of the baseline's and this run's max − min over seeds).
 */
export type Tolerance = { readonly kind: 'relative' | 'absolute'; readonly value: number } | { readonly kind: 'spread' };

/** Default: 1% of the baseline. The simulator is deterministic, so any real change shows. */
export const DEFAULT_TOLERANCE: Tolerance = { kind: 'relative', value: 0.01 };
/** Changes this small are float noise, never a verdict. */
const EPSILON = 1e-9;

function parseOne(spec: string, text: string): Tolerance {
  if (text === 'spread') return { kind: 'spread' };
  const m = /^(\d+(?:\.\d+)?(?:e-?\d+)?)(%?)$/.exec(text);
  if (!m) throw new InputError('--tolerance', spec, 'expected [metric=]N% (relative), [metric=]N (absolute) or [metric=]spread');
  const value = Number(m[1]);
  return m[2] ? { kind: 'relative', value: value / 100 } : { kind: 'absolute', value };
}

/** `--tolerance` values: `5%` (every metric) or `ttft_p95_s=10%`, later ones win. */
export function parseTolerances(specs: readonly string[]): (metric: string) => Tolerance {
  let all = DEFAULT_TOLERANCE;
  const per = new Map<string, Tolerance>();
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq < 0) {
      all = parseOne(spec, spec);
      continue;
    }
    const metric = spec.slice(0, eq);
    if (!METRIC_NAMES.includes(metric)) {
      throw new InputError('--tolerance', spec, `unknown metric "${metric}"; known: ${METRIC_NAMES.join(', ')}`);
    }
    per.set(metric, parseOne(spec, spec.slice(eq + 1)));
  }
  return (metric) => per.get(metric) ?? all;
}

export type Verdict = 'better' | 'worse' | 'unchanged';

export interface MetricDelta {
  readonly metric: MetricDef;
  readonly baseline: number;
  readonly current: number;
  readonly delta: number;
  /** How far it could move the wrong way and still pass. */
  readonly allowed: number;
  readonly verdict: Verdict;
}

const finite = (xs: readonly (number | null)[]): number[] => xs.filter((x): x is number => x !== null && Number.isFinite(x));
const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const range = (xs: readonly number[]): number => (xs.length ? Math.max(...xs) - Math.min(...xs) : 0);

/** Compares one case's replicate means metric by metric. */
export function compareCase(base: CaseResult, now: CaseResult, tolerance: (metric: string) => Tolerance): MetricDelta[] {
  return METRICS.map((metric) => {
    const b = finite(base.values[metric.name]);
    const c = finite(now.values[metric.name]);
    const baseline = mean(b);
    const current = mean(c);
    const t = tolerance(metric.name);
    const allowed = Math.max(
      EPSILON,
      t.kind === 'relative' ? t.value * Math.abs(baseline) : t.kind === 'absolute' ? t.value : Math.max(range(b), range(c)),
    );
    let verdict: Verdict;
    if (Number.isNaN(baseline) || Number.isNaN(current)) {
      // A metric that had a value and lost it (or the reverse) is a change nobody should miss.
      verdict = Number.isNaN(baseline) && Number.isNaN(current) ? 'unchanged' : 'worse';
    } else {
      const gain = metric.better === 'lower' ? baseline - current : current - baseline;
      verdict = gain < -allowed ? 'worse' : gain > allowed ? 'better' : 'unchanged';
    }
    return { metric, baseline, current, delta: current - baseline, allowed, verdict };
  });
}
