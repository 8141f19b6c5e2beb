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
