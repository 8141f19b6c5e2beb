/**
 * An `expectations:` entry parsed into a numeric interval. Values read like the recipe states them:
 * ranges "50K-100K", "1-3 s", "70-90%", "50K-100K+" (open above), bounds "< 1 s", "> 60%", "<= 2 s".
 * A claim is checked against one measured value: inside the interval means met.
 */
import { InputError } from '../scenario/input-error.js';
import { didYouMean } from '../scenario/reference.js';
import { parseQuantity } from '../scenario/units.js';
import { METRICS, type MetricKind } from './metrics.js';
import { own } from '../util/own.js';

export interface Claim {
  metric: string;
  /** The claim as written. */
  text: string;
  kind: MetricKind;
  /** Inclusive bounds in SI units (s, tokens/s, share 0–1, count); ±Infinity when open. */
  low: number;
  high: number;
}

const SUFFIX: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, b: 1e9 };

/** One number with the unit its metric kind takes, or an error string. */
function value(text: string, kind: MetricKind): number | string {
  const t = text.trim();
  if (kind === 'time') {
    const n = parseQuantity(t, 'time');
    return typeof n === 'number' && n < 0 ? 'a time cannot be negative' : n;
  }
  if (kind === 'share') {
    const m = /^(\d*\.?\d+)\s*(%?)$/.exec(t);
    if (!m) return `"${t}" is not a share; expected e.g. "60%" or 0.6`;
    const n = Number(m[1]) / (m[2] ? 100 : 1);
    return n > 1 ? `"${t}" is more than 100%` : n;
  }
  const m = /^(\d*\.?\d+)\s*([kKmMgGbB]?)$/.exec(t.replace(/,/g, ''));
  if (!m) return `"${t}" is not a number; expected e.g. 50K, 1.5M or 800`;
  return Number(m[1]) * SUFFIX[m[2].toLowerCase()];
}

const HINT = 'expected a range like "50K-100K" / "1-3 s" / "70-90%", or a bound like "< 1 s" / "> 60%"';

export function parseClaim(file: string, metric: string, raw: unknown): Claim {
  const field = `expectations.${metric}`;
  const spec = own(METRICS, metric);
  if (!spec) {
    const guess = didYouMean(metric, Object.keys(METRICS));
    const hint = guess ? `did you mean "${guess}"?` : `known: ${Object.keys(METRICS).join(', ')}`;
    throw new InputError(file, field, `unknown metric; ${hint}`);
  }
  const fail = (why: string): never => {
    throw new InputError(file, field, `${why}; ${HINT}`);
  };
  if (typeof raw !== 'string' && typeof raw !== 'number') fail(`expected a string, got ${JSON.stringify(raw)}`);
  const text = String(raw).trim().replace(/(\d),(\d{3})/g, '$1$2').replace(/[–—]/g, '-').replace(/≤/g, '<=').replace(/≥/g, '>=');
  const num = (t: string): number => {
    const n = value(t, spec.kind);
    if (typeof n === 'string') fail(n);
    return n as number;
  };
  const bound = /^(<=|>=|<|>)\s*(.+)$/.exec(text);
  if (bound) {
    const n = num(bound[2]);
    const lower = bound[1].startsWith('>');
    return { metric, text: String(raw), kind: spec.kind, low: lower ? n : -Infinity, high: lower ? Infinity : n };
  }
  // A range: the unit (s, ms, %) may be written once after the upper end ("1-3 s", "70-90%").
  const range = /^(\d*\.?\d+\s*[a-zA-Z%]*)\s*-\s*(\d*\.?\d+\s*[a-zA-Z%/]*)\s*(\+?)$/.exec(text);
  if (!range) return fail(`"${String(raw)}" is not a range or bound`);
  const unit = /[a-zA-Z%/]+$/.exec(range[2].trim())?.[0] ?? '';
  const lowText = /[a-zA-Z%]$/.test(range[1].trim()) ? range[1] : `${range[1].trim()}${unit && !/^[kKmMgGbB]$/.test(unit) ? ` ${unit}` : ''}`;
  const low = num(spec.kind === 'share' && unit === '%' ? `${range[1].trim()}%` : lowText);
  const high = range[3] ? Infinity : num(range[2]);
  if (high < low) fail(`the range's lower end exceeds its upper end`);
  return { metric, text: String(raw), kind: spec.kind, low, high };
}
