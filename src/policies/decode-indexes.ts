import { IndexedHeap } from '../util/indexed-heap.js';
import type { DecodeView } from './router.js';

/**
 * What makes the KV- and step-time-driven decode routers sublinear in the pool size while
 * choosing exactly as a full scan. Both rely on the cluster reporting every change of an
 * instance's reservations or batch (Router.loadChanged, after the instance has settled it).
 */

/** Positions by (free KV blocks descending, position): least_kv's pick is the root. */
export class FreeKvIndex {
  private readonly free: Float64Array;
  private readonly slot: Int32Array;
  private readonly heap: IndexedHeap<number>;

  constructor(private readonly instances: readonly DecodeView[]) {
    const n = instances.length;
    this.free = new Float64Array(n);
    this.slot = new Int32Array(n);
    this.heap = new IndexedHeap<number>(
      (a, b) => this.free[a] > this.free[b] || (this.free[a] === this.free[b] && a < b),
      (p, at) => {
        this.slot[p] = at;
      },
    );
    for (let p = 0; p < n; p++) {
      this.free[p] = instances[p].freeKvBlocks();
      this.heap.items.push(p);
    }
    this.heap.heapify();
  }

  changed(position: number): void {
    this.free[position] = this.instances[position].freeKvBlocks();
    this.heap.fix(this.slot[position]);
  }

  /** The position with the most free KV blocks, ties to the lowest. */
  best(): number {
    return this.heap.items[0];
  }
}

/**
 * predicted_tbt's choice — the least (predicted step time, −free KV, position) — estimating only
 * the instances that can win. An instance's prediction for a request of context c is
 * decodeTime(b, S + c·m): b = its load + 1 (the batch if the request joined), S = its running
 * sequences' summed context now, m ≥ 1 the sequences counted with c (not running yet, the new one
 * included). decodeTime never decreases as the summed context grows (each term is a non-negative
 * multiple of it and rounding is monotone), and S only grows between reported changes, so
 * decodeTime(b, S_reported + c) is a lower bound of the prediction: the same function for every
 * instance with the same b, ordered by S_reported. So instances are grouped by b (a handful of
 * values), each group a heap by S_reported, and a choice walks members in bound order, skipping
 * every one whose bound exceeds the best prediction found (equal bounds are estimated: they may tie).
 */
export class TbtIndex {
  private readonly batch: Int32Array;
  private readonly context: Float64Array;
  private readonly slot: Int32Array;
  /** b -> positions with that batch-if-joined, by reported context. */
  private readonly groups = new Map<number, IndexedHeap<number>>();
  private readonly visited: number[] = [];
  private readonly frontier: IndexedHeap<number>;
  /** Per group, for one choice: its root's bound, the group and its batch (reused arrays, no allocation per choice). */
  private readonly rootBound: number[] = [];
  private readonly rootGroup: IndexedHeap<number>[] = [];
  private readonly rootBatch: number[] = [];
  /** Groups by their root's bound, least first: popped only while they can win (an overloaded pool may have a group per instance). */
  private readonly rootOrder = new IndexedHeap<number>((a, b) => this.rootBound[a] < this.rootBound[b] || (this.rootBound[a] === this.rootBound[b] && a < b));
  private walking: IndexedHeap<number> | undefined;

  constructor(private readonly instances: readonly DecodeView[]) {
    const n = instances.length;
    this.batch = new Int32Array(n);
    this.context = new Float64Array(n);
    this.slot = new Int32Array(n);
    for (let p = 0; p < n; p++) this.insert(p);
    // Heap indices of the group being walked, least reported context first.
    this.frontier = new IndexedHeap<number>((a, b) => this.contextLess(this.walking!.items[a], this.walking!.items[b]));
  }

  changed(position: number): void {
    const inst = this.instances[position];
    const b = inst.load() + 1;
    if (b === this.batch[position]) {
      this.context[position] = inst.accountedContext();
      this.groups.get(b)!.fix(this.slot[position]);
      return;
    }
    const old = this.groups.get(this.batch[position])!;
    old.remove(this.slot[position]);
    if (old.size === 0) this.groups.delete(this.batch[position]);
    this.insert(position);
  }

  /** The position predicted_tbt's full scan picks for a request whose context is `contextTokens`. */
  best(contextTokens: number): number {
    const order = this.rootOrder;
    order.clear();
    let g = 0;
    for (const [batch, group] of this.groups) {
      const root = group.items[0];
      this.rootBound[g] = this.instances[root].decodeTime(batch, this.context[root] + contextTokens);
      this.rootGroup[g] = group;
      this.rootBatch[g] = batch;
      order.items.push(g++);
    }
    order.heapify();
    let best = -1;
    let bestTbt = Infinity;
    let bestFree = -Infinity;
    const visited = this.visited;
    visited.length = 0;
    while (order.size > 0) {
      const r = order.pop();
      if (this.rootBound[r] > bestTbt) break;
      const group = this.rootGroup[r];
      const batch = this.rootBatch[r];
      const h = group.items;
      this.walking = group;
      const f = this.frontier;
      f.clear();
      f.push(0);
      while (f.size > 0) {
        const s = f.pop();
        const p = h[s];
        const v = this.instances[p];
        if (v.decodeTime(batch, this.context[p] + contextTokens) > bestTbt) continue; // so is every child
        const t = v.predictedTbt(contextTokens);
        const free = v.freeKvBlocks();
        visited.push(p);
        if (t < bestTbt || (t === bestTbt && (free > bestFree || (free === bestFree && p < best)))) {
          best = p;
          bestTbt = t;
          bestFree = free;
        }
        if (2 * s + 1 < h.length) f.push(2 * s + 1);
        if (2 * s + 2 < h.length) f.push(2 * s + 2);
      }
    }
    this.walking = undefined;
    this.rootGroup.length = 0; // no group kept alive past the choice
    // Estimating caught those instances up: their reported context can tighten (not during the walk).
    for (const p of visited) this.changed(p);
    return best;
  }

  private insert(position: number): void {
    const inst = this.instances[position];
    const b = inst.load() + 1;
    this.batch[position] = b;
    this.context[position] = inst.accountedContext();
    let group = this.groups.get(b);
    if (!group) {
      group = new IndexedHeap<number>(
        (x, y) => this.contextLess(x, y),
        (p, at) => {
          this.slot[p] = at;
        },
      );
      this.groups.set(b, group);
    }
    group.push(position);
  }

  private contextLess(a: number, b: number): boolean {
    return this.context[a] < this.context[b] || (this.context[a] === this.context[b] && a < b);
  }
}
