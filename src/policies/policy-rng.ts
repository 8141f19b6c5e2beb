import { rngStream } from '../engine/rng.js';

/** Uniform [0, 1) draws from a seeded stream: what a randomized policy may use, and nothing else. */
export type Rng = () => number;

/**
 * The seeded stream of one policy instance (`purpose` names it, e.g. `router:prefill` or
 * `eviction:hbm:3`), so a randomized policy follows the scenario seed and adding draws in one
 * policy does not reshuffle another's.
 */
export const policyRng = (seed: number | string, purpose: string): Rng => rngStream(seed, `policy:${purpose}`);
