import seedrandom from 'seedrandom';

/**
 * Independent seeded random streams, one per purpose, so that adding draws in one part of the
 * model does not reshuffle another part's numbers.
 */
export function rngStream(seed: number | string, purpose: string): () => number {
  return seedrandom(`${seed}:${purpose}`);
}
