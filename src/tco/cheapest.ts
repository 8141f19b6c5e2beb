/**
 * The cheapest prefill × decode node counts meeting a target, as `kvsim plan` searches them: for
 * each prefill count (ascending), the fewest decode nodes that pass (binary search — adding nodes
 * never hurts in this model), then the cheapest of those. A prefill count whose fixed price with a
 * single decode node already exceeds the best total found is skipped without simulating (fixed
 * prices rise with node counts and a run's total is at least its fixed part).
 */
export interface Trial<T> {
  prefill: number;
  decode: number;
  pass: boolean;
  /** Total cost rate the ranking uses ($/h or $/Mtok). */
  cost: number;
  result: T;
}

export interface SearchSpace<T> {
  prefill: readonly number[];
  decode: readonly number[];
  evaluate(prefill: number, decode: number): Trial<T>;
  /** A lower bound of evaluate(p, d).cost that needs no simulation. */
  lowerBound(prefill: number, decode: number): number;
}

export function cheapest<T>(space: SearchSpace<T>): { best?: Trial<T>; frontier: Trial<T>[]; tried: Trial<T>[] } {
  const tried: Trial<T>[] = [];
  const run = (p: number, d: number) => {
    const t = space.evaluate(p, d);
    tried.push(t);
    return t;
  };
  const frontier: Trial<T>[] = [];
  let best: Trial<T> | undefined;
  const decode = space.decode;
  for (const p of space.prefill) {
    if (best && space.lowerBound(p, decode[0]) >= best.cost) continue;
    const top = run(p, decode[decode.length - 1]);
    if (!top.pass) continue;
    let found = top;
    let lo = 0;
    let hi = decode.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = run(p, decode[mid]);
      if (t.pass) {
        found = t;
        hi = mid;
      } else lo = mid + 1;
    }
    frontier.push(found);
    if (!best || found.cost < best.cost) best = found;
  }
  return { best, frontier, tried };
}
