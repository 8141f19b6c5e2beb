import { createRequire } from 'node:module';
import type * as MathJs from 'mathjs';

// mathjs's single-file bundle loads in ~0.35 s; its ESM module tree takes ~1.2 s (measured with
// `time node -e ...` on the CI machine kind). Even the bundle is ~0.1 CPU-s of every `kvsim run`,
// so it is loaded on first use only (unit strings outside the fast path in scenario/units.ts).
const require = createRequire(import.meta.url);
let loaded: typeof MathJs | undefined;

export function mathjs(): typeof MathJs {
  loaded ??= require('mathjs/lib/browser/math.js') as typeof MathJs;
  return loaded;
}
