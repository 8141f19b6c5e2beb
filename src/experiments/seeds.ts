import { InputError } from '../scenario/input-error.js';

/** Seed choice from the CLI: explicit seeds (`--seed a,b,c`), a replicate count (`--seeds N`), or neither. */
export interface SeedSpec {
  readonly explicit?: readonly number[];
  readonly count?: number;
}

/** Replicates are whole simulations each: more than this is a typo, not a plan. */
const MAX_REPLICATES = 1000;

/** Parses `--seed` (one integer or a comma list) and `--seeds` (a replicate count). */
export function parseSeedSpec(seed: string | undefined, seeds: string | number | undefined): SeedSpec {
  let explicit: number[] | undefined;
  if (seed !== undefined) {
    const parts = String(seed).split(',').map((s) => s.trim());
    if (parts.some((p) => !/^-?\d+$/.test(p))) throw new InputError('--seed', '', `expected an integer or a comma list like 1,2,3, got "${seed}"`);
    explicit = parts.map(Number);
    if (new Set(explicit).size !== explicit.length) throw new InputError('--seed', String(seed), 'a seed is listed twice (replicates would not be independent)');
  }
  let count: number | undefined;
  if (seeds !== undefined) {
    const text = String(seeds).trim();
    count = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(count >= 1 && count <= MAX_REPLICATES)) {
      throw new InputError('--seeds', '', `expected a whole number of replicates from 1 to ${MAX_REPLICATES}, got "${seeds}"`);
    }
    if (explicit !== undefined && explicit.length > 1) {
      throw new InputError('--seeds', '', 'give either --seeds N or a --seed list, not both');
    }
  }
  return { explicit, count };
}

/**
 * The seeds to run. `--seeds N` counts up from the base seed (the `--seed` given, or the scenario's),
 * so replicate 1 is the same run as without `--seeds`. `undefined` means "the scenario's seed".
 */
export function resolveSeeds(spec: SeedSpec, scenarioSeed: number | string): (number | string)[] | undefined {
  if (spec.count === undefined) return spec.explicit ? [...spec.explicit] : undefined;
  const base = spec.explicit?.[0] ?? scenarioSeed;
  return Array.from({ length: spec.count }, (_, i) => (typeof base === 'number' ? base + i : i === 0 ? base : `${base}+${i}`));
}
