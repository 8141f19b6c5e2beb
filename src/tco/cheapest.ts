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

export interface SearchRange {
  prefill: readonly number[];
  decode: readonly number[];
  /** A lower bound of a trial's cost at (prefill, decode) that needs no simulation. */
  lowerBound(prefill: number, decode: number): number;
}

export interface SearchSpace<T> extends SearchRange {
  evaluate(prefill: number, decode: number): Trial<T>;
}

export interface SearchResult<T> {
  best?: Trial<T>;
  frontier: Trial<T>[];
  tried: Trial<T>[];
}

/** A node count pair the search wants simulated next. */
export interface Probe {
  prefill: number;
  decode: number;
}

/**
 * The fewest decode nodes of `decode` (ascending) that pass at `prefill` nodes: first the largest
 * (if even it fails, none passes: adding nodes never hurts in this model), then a binary search.
 * Yields each probe, is resumed with its result, records every result in `tried`, and returns
 * the passing one with the fewest decode nodes, if any. `kvsim plan` runs one per prefill count.
 */
export function* fewestDecodeNodes<R>(prefill: number, decode: readonly number[], passes: (r: R) => boolean, tried: R[]): Generator<Probe, R | undefined, R> {
  const top = yield { prefill, decode: decode[decode.length - 1] };
  tried.push(top);
  if (!passes(top)) return undefined;
  let found = top;
  let lo = 0;
  let hi = decode.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = yield { prefill, decode: decode[mid] };
    tried.push(r);
    if (passes(r)) {
      found = r;
      hi = mid;
    } else lo = mid + 1;
  }
  return found;
}

/**
 * The search as a resumable sequence of probes: it yields each (prefill, decode) to simulate and
 * is resumed with that trial, so a caller can simulate the probes of several searches together
 * (e.g. one per hardware mix, on all cores) while each takes exactly the path it would alone.
 */
export function* cheapestSearch<T>(range: SearchRange): Generator<Probe, SearchResult<T>, Trial<T>> {
  const tried: Trial<T>[] = [];
  const frontier: Trial<T>[] = [];
  let best: Trial<T> | undefined;
  for (const p of range.prefill) {
    if (best && range.lowerBound(p, range.decode[0]) >= best.cost) continue;
    const found = yield* fewestDecodeNodes<Trial<T>>(p, range.decode, (t) => t.pass, tried);
    if (!found) continue;
    frontier.push(found);
    if (!best || found.cost < best.cost) best = found;
  }
  return { best, frontier, tried };
}

/**
 * Runs resumable searches together: each round collects the next probe of every search still
 * going, simulates them in one batch (`simulate` gets the probes and the index of the search each
 * came from, and returns a result per probe, in order) and resumes each search with its result. Each search takes exactly the steps it would alone, so the
 * answers do not depend on how the batches are run. Returns each search's answer, in order.
 */
export async function runInLockstep<P, R, A>(searches: Generator<P, A, R>[], simulate: (probes: P[], owners: number[]) => Promise<R[]>): Promise<A[]> {
  const steps = searches.map((s) => s.next(undefined as unknown as R));
  for (;;) {
    const active = steps.flatMap((step, i) => (step.done ? [] : [i]));
    if (active.length === 0) return steps.map((step) => step.value as A);
    const results = await simulate(active.map((i) => steps[i].value as P), active);
    active.forEach((i, k) => {
      steps[i] = searches[i].next(results[k]);
    });
  }
}

/** The search run to its end in this thread, one probe at a time. */
export function cheapest<T>(space: SearchSpace<T>): SearchResult<T> {
  const search = cheapestSearch<T>(space);
  let step = search.next(undefined as unknown as Trial<T>);
  while (!step.done) step = search.next(space.evaluate(step.value.prefill, step.value.decode));
  return step.value;
}
