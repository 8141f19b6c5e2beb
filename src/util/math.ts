import { createRequire } from 'node:module';
import type * as MathJs from 'mathjs';

// mathjs's single-file bundle loads in ~0.35 s; its ESM module tree takes ~1.2 s (measured with
// `time node -e ...` on the CI machine kind). Start-up is part of every `kvsim run`, so use the bundle.
const require = createRequire(import.meta.url);
export const math: typeof MathJs = require('mathjs/lib/browser/math.js');
