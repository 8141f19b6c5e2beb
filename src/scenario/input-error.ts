import { escapeControl, truncate } from '../util/show-value.js';

/** Longest error line part (file, field, detail): enough for any message kvsim writes itself. */
const MAX_PART_CHARS = 1000;

/** One printable line: control bytes escaped, runaway lengths cut (a last guard; echo sites cut to ~200). */
const clean = (s: string): string => truncate(escapeControl(s), MAX_PART_CHARS);

/**
 * An error caused by the user's input (scenario, trace, CLI flag). The CLI prints its message as
 * one line and exits with code 2; anything else is a bug and keeps its stack trace.
 */
export class InputError extends Error {
  /** File (or "--flag") the problem is in. */
  readonly where: string;
  /** Field path or "line N". Empty when the whole input is wrong. */
  readonly field: string;
  /** What was expected / what to do. */
  readonly detail: string;

  constructor(where: string, field: string, detail: string) {
    const w = clean(where);
    const f = clean(field);
    const d = clean(detail);
    super(f ? `${w}: ${f}: ${d}` : `${w}: ${d}`);
    this.where = w;
    this.field = f;
    this.detail = d;
    this.name = 'InputError';
  }
}
