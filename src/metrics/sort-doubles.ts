/**
 * Sorts doubles ascending, in place, exactly as `Float64Array.prototype.sort()` does (numeric
 * order, -0 before +0), in linear time: an LSD radix sort on the bits. A production day's summary
 * sorts ten columns of ten million latencies; the built-in comparison sort takes 1.2-2.4 s for
 * each on the 2-core test machine, this about half of that. Arrays holding NaN, and small ones
 * (`radixMin`: tests lower it), go to the built-in sort.
 *
 * Order-preserving key: a double's bits read as an unsigned 64-bit integer sort like the number
 * once negatives have every bit flipped (larger magnitude, smaller number) and non-negatives only
 * their sign bit (so they come after every negative): -0 becomes 0x7FFF…F, just below +0's 0x8000…0.
 */
export function sortDoubles(values: Float64Array, radixMin = RADIX_MIN): Float64Array {
  const n = values.length;
  if (n < radixMin || n === 0 || !LITTLE_ENDIAN) return values.sort();
  for (let i = 0; i < n; i++) if (values[i] !== values[i]) return values.sort();
  // Little-endian words: word 2i is the low half of value i.
  let src: Uint32Array = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  let dst: Uint32Array = new Uint32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const hi = src[2 * i + 1];
    if (hi & SIGN) {
      src[2 * i] = ~src[2 * i];
      src[2 * i + 1] = ~hi;
    } else src[2 * i + 1] = hi | SIGN;
  }
  const counts = new Uint32Array(BUCKETS);
  // Eight 8-bit digits, least significant first (256 counts and write streams stay in the CPU
  // cache: faster here than fewer, wider digits); a digit every key shares needs no pass.
  for (let pass = 0; pass < 8; pass++) {
    const word = pass >> 2;
    const shift = (pass & 3) * 8;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(src[2 * i + word] >>> shift) & MASK]++;
    if (counts[(src[word] >>> shift) & MASK] === n) continue;
    let at = 0;
    for (let d = 0; d < BUCKETS; d++) {
      const c = counts[d];
      counts[d] = at;
      at += c;
    }
    for (let i = 0; i < n; i++) {
      const lo = src[2 * i];
      const hi = src[2 * i + 1];
      const to = 2 * counts[((word === 0 ? lo : hi) >>> shift) & MASK]++;
      dst[to] = lo;
      dst[to + 1] = hi;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  const out = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  for (let i = 0; i < n; i++) {
    const hi = src[2 * i + 1];
    if (hi & SIGN) {
      out[2 * i] = src[2 * i];
      out[2 * i + 1] = hi & ~SIGN;
    } else {
      out[2 * i] = ~src[2 * i];
      out[2 * i + 1] = ~hi;
    }
  }
  return values;
}

/** Below this many values the built-in sort is as fast (and the 256 KiB of counts not worth it). */
const RADIX_MIN = 1 << 16;
const SIGN = 0x80000000;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const BUCKETS = 1 << 8;
const MASK = BUCKETS - 1;
