/**
 * Safe echoing of user-supplied values in one-line error messages: never throws (cycles, BigInt,
 * getters), never grows without bound (a multi-megabyte wrong-typed value is cut to a preview),
 * and never lets control bytes reach the terminal raw.
 */

/** Longest echo of one value, in characters (about two terminal lines). */
export const MAX_ECHO_CHARS = 200;

/** Escapes C0/C1 control characters and DEL as \n, \t, \xNN or \uNNNN, so the text stays one printable line. */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Cuts `text` to `max` characters, saying how much was left out. */
export function truncate(text: string, max = MAX_ECHO_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length.toLocaleString('en-US')} characters)`;
}

/** JSON-like rendering that survives cycles (self-referencing YAML aliases) and stops early on huge values. */
function render(value: unknown, budget: number): string {
  const seen = new Set<unknown>();
  let used = 0;
  const walk = (v: unknown): string => {
    if (used > budget) return '…';
    let s: string;
    if (v === undefined) s = 'nothing';
    else if (typeof v === 'string') s = JSON.stringify(v.length > budget ? v.slice(0, budget + 1) : v);
    else if (typeof v === 'bigint') s = `${v}`;
    else if (typeof v === 'function' || typeof v === 'symbol') s = String(typeof v);
    else if (v === null || typeof v !== 'object') s = String(v);
    else if (seen.has(v)) s = '[circular]';
    else {
      seen.add(v);
      if (Array.isArray(v)) {
        const parts: string[] = [];
        for (const x of v) {
          if (used > budget) break;
          parts.push(walk(x));
        }
        s = `[${parts.join(',')}${parts.length < v.length ? ',…' : ''}]`;
      } else {
        const parts: string[] = [];
        const keys = Object.keys(v);
        for (const k of keys) {
          if (used > budget) break;
          parts.push(`${JSON.stringify(k)}:${walk((v as Record<string, unknown>)[k])}`);
        }
        s = `{${parts.join(',')}${parts.length < keys.length ? ',…' : ''}}`;
      }
      seen.delete(v);
    }
    used += s.length;
    return s;
  };
  return walk(value);
}

/** A value as it should appear in an error line: JSON-like, cycle-safe, at most ~200 printable characters. */
export function showValue(value: unknown, max = MAX_ECHO_CHARS): string {
  let text: string;
  try {
    text = render(value, max);
  } catch {
    text = `(${typeof value})`;
  }
  return truncate(escapeControl(text), max);
}

/** A user-typed text (a name, a flag value) quoted for an error line, escaped and cut. */
export function quote(text: string, max = MAX_ECHO_CHARS): string {
  return `"${truncate(escapeControl(text), max)}"`;
}
