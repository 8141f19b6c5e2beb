/**
 * `x.toLocaleString('en-US', ...)` for the two forms kvsim prints, without ICU: V8 loads ICU's
 * number formatting data on the first call (~13 CPU-ms, a tenth of `kvsim validate`) and builds a
 * formatter on every call with options (~0.1 ms each). Same strings; a property test compares them
 * with toLocaleString on random numbers.
 */

/** Commas between groups of three digits of a run of decimal digits. */
function group(digits: string): string {
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return out;
}

/** The shortest decimal that reads back as `x` (x finite, >= 0), as its digits and the power of ten of the last digit. */
function shortestDecimal(x: number): { digits: string; exponent: number } {
  const text = String(x); // shortest round-trip form, maybe in exponent notation (1e-7, 1.5e+21)
  const [mantissa, exp = '0'] = text.split('e');
  const dot = mantissa.indexOf('.');
  const fraction = dot < 0 ? 0 : mantissa.length - dot - 1;
  return { digits: mantissa.replace('.', '').replace(/^0+(?=\d)/, ''), exponent: Number(exp) - fraction };
}

/**
 * `x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })`: grouped
 * thousands and exactly `d` decimals, rounded as ICU does — half away from zero, applied to the
 * shortest decimal that reads back as x (1.005 -> "1.01", where toFixed(2) gives "1.00").
 */
export function formatFixed(x: number, d: number): string {
  if (Number.isNaN(x)) return 'NaN';
  const negative = x < 0 || Object.is(x, -0);
  if (!Number.isFinite(x)) return negative ? '-∞' : '∞';
  const { digits, exponent } = shortestDecimal(Math.abs(x));
  // Scale to an integer count of 10^-d units: digits * 10^(exponent + d), rounded half up.
  const shift = exponent + d;
  let units: string;
  if (shift >= 0) units = digits + '0'.repeat(shift);
  else {
    const keep = digits.length + shift; // digits left of the rounding point
    const head = keep > 0 ? digits.slice(0, keep) : '0';
    const roundUp = keep >= 0 && keep < digits.length && digits[keep] >= '5';
    units = roundUp ? increment(head) : head;
  }
  units = units.replace(/^0+(?=\d)/, '').padStart(d + 1, '0');
  const whole = units.slice(0, units.length - d);
  const text = d > 0 ? `${group(whole)}.${units.slice(units.length - d)}` : group(whole);
  return negative ? `-${text}` : text;
}

/** A string of decimal digits plus one. */
function increment(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
    out[i] = '0';
  }
  return `1${out.join('')}`;
}

/** `n.toLocaleString('en-US')` of an integer below 1e21 in magnitude: its digits, grouped by three. */
export function formatInteger(n: number): string {
  return formatFixed(n, 0);
}

/**
 * Times in output tables are written to the nanosecond: simulated times carry no meaning below it,
 * and a double's shortest round-trip form (`String(x)`, 17 significant digits) is ~4x slower to
 * produce and a third longer. Whole nanoseconds are exact in a double up to 2^53 ns (~104 days):
 * below this bound a time is scaled, rounded and written from integers.
 */
export const NANOSECOND_EXACT_BELOW_S = 9e6;

/**
 * `x` seconds rounded to the nearest nanosecond, in plain decimal without trailing zeros
 * ("1.383852762", "2.5", "3"; -0 and anything that rounds to 0 give "0"). Beyond
 * NANOSECOND_EXACT_BELOW_S, `toFixed(9)` rounds instead; infinities are spelt as String(x).
 */
export function secondsText(x: number): string {
  if (!(Math.abs(x) < NANOSECOND_EXACT_BELOW_S)) {
    if (!Number.isFinite(x)) return String(x);
    return trimFraction(x.toFixed(9));
  }
  const n = Math.round(x * 1e9);
  if (n === 0) return '0';
  const units = Math.abs(n);
  const whole = Math.floor(units / 1e9);
  const fraction = units - whole * 1e9;
  const sign = n < 0 ? '-' : '';
  return fraction === 0 ? `${sign}${whole}` : `${sign}${whole}.${String(fraction).padStart(9, '0').replace(/0+$/, '')}`;
}

/** "12.500000000" -> "12.5", "3.000000000" -> "3" (toFixed's output; no exponent below 1e21). */
function trimFraction(fixed: string): string {
  if (!fixed.includes('.')) return fixed;
  return fixed.replace(/0+$/, '').replace(/\.$/, '');
}
