import { InputError } from '../scenario/input-error.js';

/** What yargs knows about the current command's options (`yargs.getOptions()`). */
export interface FlagOptions {
  array: readonly string[];
  boolean: readonly string[];
  alias: Readonly<Record<string, readonly string[]>>;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Refuses a flag given twice (`--out a --out b`, `--quiet --no-quiet`): yargs would turn a second
 * value into an array (a crash later) or silently keep the last one. Only options declared
 * `array: true` (e.g. `--set`) may repeat. Applies to every command and to flags added later,
 * because it reads the declared options instead of a list of names.
 */
export function refuseDuplicateFlags(args: readonly string[], opts: FlagOptions): void {
  const canonical = new Map<string, string>();
  for (const [name, aliases] of Object.entries(opts.alias)) {
    for (const a of [name, ...aliases]) canonical.set(kebab(a), kebab(name));
  }
  const repeatable = new Set(opts.array.map((a) => canonical.get(kebab(a)) ?? kebab(a)));
  const booleans = new Set(opts.boolean.map(kebab));
  const seen = new Set<string>();
  for (const arg of args) {
    if (arg === '--') break;
    const m = /^--?([^=]+)/.exec(arg);
    if (!m || /^-\d/.test(arg)) continue; // a value such as -5
    let name = kebab(m[1]);
    if (name.startsWith('no-') && booleans.has(name.slice(3))) name = name.slice(3);
    name = canonical.get(name) ?? name;
    if (repeatable.has(name)) continue;
    if (seen.has(name)) throw new InputError(`--${name}`, '', 'given more than once; give it once');
    seen.add(name);
  }
}
