import { NANOSECOND_EXACT_BELOW_S, secondsText } from '../util/format-number.js';

/** Whole numbers below this are written digit by digit; String(x) has no exponent there (it starts at 1e21). */
const DIGITS_BELOW = 1e15;
const NANOS_PER_S = 1e9;
const MINUS = 0x2d;
const POINT = 0x2e;
/** Bytes a time can take: sign, 21 digits, point, 9 decimals (toFixed below 1e21; String(x) above is shorter). */
export const SECONDS_MAX_BYTES = 32;

/**
 * Composes text rows (CSV) as bytes: whole numbers and times (to the nanosecond, `seconds`) become
 * digits without a string, other numbers are String(x) copied byte by byte, so a row never exists
 * as a string. Building requests.csv's
 * ~250-character rows by concatenation and encoding them was about half of its cost and a fifth
 * of a large run's allocation. Filled blocks go to `sink`.
 */
export class ByteRows {
  private readonly buf: Buffer;
  private pos = 0;

  /** `capacity`: bytes per block handed to the sink, one write each (small in tests, to cross blocks). */
  constructor(
    private readonly sink: (bytes: Buffer, length: number) => void,
    capacity = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Makes room for `bytes` more (what a row's numbers and separators can take): hands the block over first if it is too full. */
  room(bytes: number): void {
    if (this.pos + bytes > this.buf.length) this.flush();
    if (bytes > this.buf.length) throw new RangeError(`ByteRows: ${bytes} bytes do not fit a ${this.buf.length}-byte block`);
  }

  /** One byte (an ASCII separator). The caller made room. */
  byte(c: number): void {
    this.buf[this.pos++] = c;
  }

  /** `x` exactly as String(x) writes it, at most 25 bytes. The caller made room. */
  number(x: number): void {
    if (x >= 0 && x < DIGITS_BELOW && Number.isInteger(x)) {
      this.whole(x);
      return;
    }
    this.ascii(String(x));
  }

  /** ASCII text copied byte by byte. The caller made room. */
  private ascii(s: string): void {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /**
   * `x` seconds to the nanosecond, as secondsText(x) writes it, at most SECONDS_MAX_BYTES. The
   * caller made room. Below NANOSECOND_EXACT_BELOW_S (every simulated time in practice) from
   * integers, without a string.
   */
  seconds(x: number): void {
    if (!(Math.abs(x) < NANOSECOND_EXACT_BELOW_S)) {
      this.ascii(secondsText(x));
      return;
    }
    let n = Math.round(x * NANOS_PER_S);
    if (n < 0) {
      this.buf[this.pos++] = MINUS;
      n = -n;
    }
    const whole = Math.floor(n / NANOS_PER_S);
    this.whole(whole);
    let fraction = n - whole * NANOS_PER_S; // < 1e9: int32 arithmetic below
    if (fraction === 0) return;
    let digits = 9;
    while (fraction % 10 === 0) {
      fraction = (fraction / 10) | 0;
      digits--;
    }
    const b = this.buf;
    b[this.pos++] = POINT;
    let p = this.pos + digits;
    this.pos = p;
    for (let k = 0; k < digits; k++) {
      const q = (fraction / 10) | 0;
      b[--p] = 0x30 + fraction - q * 10;
      fraction = q;
    }
  }

  /** Any text: ASCII copied byte by byte, anything else encoded as UTF-8; makes its own room. */
  text(s: string): void {
    const most = 3 * s.length;
    if (this.pos + most > this.buf.length) this.flush();
    if (most > this.buf.length) {
      const bytes = Buffer.from(s);
      this.sink(bytes, bytes.length);
      return;
    }
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.pos = p + b.write(s.slice(i), p);
        return;
      }
      b[p++] = c;
    }
    this.pos = p;
  }

  /** Hands the bytes written so far to the sink. */
  flush(): void {
    if (this.pos === 0) return;
    this.sink(this.buf, this.pos);
    this.pos = 0;
  }

  /** A whole number 0 ≤ x < 1e15, in decimal digits. */
  private whole(x: number): void {
    const b = this.buf;
    let len = 1;
    for (let t = x; t >= 10; t = Math.floor(t / 10)) len++;
    let p = this.pos + len;
    this.pos = p;
    if (x <= 0x7fffffff) {
      // Small integers: integer arithmetic (most of a row: ids, token counts, instances).
      let v = x | 0;
      do {
        const q = (v / 10) | 0;
        b[--p] = 0x30 + v - q * 10;
        v = q;
      } while (v > 0);
      return;
    }
    let v = x;
    do {
      const q = Math.floor(v / 10);
      b[--p] = 0x30 + v - q * 10;
      v = q;
    } while (v > 0);
  }
}
