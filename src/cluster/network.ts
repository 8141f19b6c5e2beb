import type { Simulator } from '../engine/simulator.js';
import { countdown } from '../util/countdown.js';
import { IndexedHeap } from '../util/indexed-heap.js';

interface Flow {
  /** Resources the bytes cross (NIC egress/ingress, PCIe, disk, storage service). */
  readonly path: readonly number[];
  readonly maxRate: number;
  /** Counts as this many flows in the fair shares (a batch of identical parallel streams). */
  readonly weight: number;
  /** Start order: callbacks of flows finishing together run oldest first. */
  readonly seq: number;
  /** Bytes left at `since`. */
  remaining: number;
  /** Current share, bytes/s, constant since `since`. */
  rate: number;
  since: number;
  /** When the last byte lands at the current rate. */
  finish: number;
  /** Position in the completion heap. */
  heapIndex: number;
  /** Index of the flow in each path resource's flow list (same order as `path`). */
  readonly listIndex: number[];
  /** The re-rating pass that last visited the flow (see `rerate`). */
  visited: number;
  readonly done: () => void;
}

/** Bytes left below which a flow is done: what it would move in a nanosecond (float residue, not data). */
const RESIDUE_S = 1e-9;

/**
 * The completion heap's order and position callback: module functions, not closures made per
 * Network, so that code V8 optimized in one run (with these calls inlined) stays valid in the next.
 */
const finishesFirst = (a: Flow, b: Flow): boolean => a.finish < b.finish || (a.finish === b.finish && a.seq < b.seq);
const placeFlow = (f: Flow, at: number): void => {
  f.heapIndex = at;
};

/**
 * Data movement over shared bandwidth resources: NIC egress and ingress of each node, host links,
 * disks, a remote storage service. A flow crosses a path of resources and runs at the smallest of
 * its fair shares (resource bandwidth / flows on it) and its own cap (e.g. per-connection
 * bandwidth) — first-order fair sharing, not full max-min. A flow starting or ending changes the
 * share of the flows on its own path only, so only those are re-rated (each resource keeps its
 * flow list), and finish times live in an indexed heap: one simulator event per earliest finish,
 * not one per rate change, and no pass over every flow in the cluster.
 */
export class Network {
  private readonly bandwidth: number[] = [];
  /** Flows crossing each resource (unordered: swap-removed; rates do not depend on the order). */
  private readonly flowsOnResource: Flow[][] = [];
  /** Sum of the weights of the flows on each resource: what its bandwidth is shared among. */
  private readonly weightOn: number[] = [];
  private readonly moved: number[] = [];
  /** Active flows by (finish, seq), re-keyed in place when a flow's rate changes. */
  private readonly heap = new IndexedHeap<Flow>(finishesFirst, placeFlow);
  private nextSeq = 0;
  private countVersion = 0;
  /** Re-rating passes so far: a flow crossing several changed resources is re-rated once per pass. */
  private pass = 0;
  private readonly finished: (Flow | undefined)[] = [];
  /** Time of the pending completion event (Infinity: none). */
  private wakeAt = Infinity;

  constructor(private readonly sim: Simulator) {}

  /** Registers a resource of `bandwidth` B/s; returns its id. */
  addResource(bandwidth: number): number {
    if (!(bandwidth > 0)) throw new RangeError(`resource bandwidth must be > 0, got ${bandwidth}`);
    this.bandwidth.push(bandwidth);
    this.flowsOnResource.push([]);
    this.weightOn.push(0);
    this.moved.push(0);
    return this.bandwidth.length - 1;
  }

  /** Bytes sent across resource `id` so far (counted when a transfer starts). */
  bytesThrough(id: number): number {
    return this.moved[id];
  }

  /**
   * The rate a new flow over `path` would get right now (its fair share on every resource, at most
   * `maxRate`): what a scheduler can know before deciding to load rather than recompute.
   * `newFlows` > 1: the share of each of that many flows started together.
   */
  fairShare(path: readonly number[], maxRate = Infinity, newFlows = 1): number {
    let rate = maxRate;
    for (const r of path) rate = Math.min(rate, this.bandwidth[r] / (this.weightOn[r] + newFlows));
    return rate;
  }

  /** Bandwidth of resource `id`, B/s. */
  capacity(id: number): number {
    return this.bandwidth[id];
  }

  /** Flows currently crossing resource `id` (a weighted flow counts as its weight). */
  flowsOn(id: number): number {
    return this.weightOn[id];
  }

  get activeFlows(): number {
    return this.heap.size;
  }

  /**
   * Changes whenever any resource's flow count does: answers derived from `flowsOn` stay valid
   * while it is the same (memoised peer choices, see PoolDirectory).
   */
  get flowCountVersion(): number {
    return this.countVersion;
  }

  /**
   * Moves `bytes` across `path` after `latency` seconds of setup; calls `done` when the last byte
   * lands. `maxRate` caps this flow alone (one connection's bandwidth). `weight` > 1 makes it
   * stand for that many identical parallel streams on the same path (it gets that many fair
   * shares; `maxRate` is then the streams' total cap): one event instead of `weight`.
   */
  transfer(path: readonly number[], bytes: number, latency: number, done: () => void, maxRate = Infinity, weight = 1): void {
    for (const r of path) this.moved[r] += bytes;
    // Events are bound methods, not closures per transfer (see src/util/countdown.ts).
    this.sim.after(latency, this.start.bind(this, path, bytes, maxRate, weight, done));
  }

  /**
   * `transfer` of `bytes` over each of `paths` (same latency, no cap): the flows start together in
   * one event, with the same rates and finish times as that many `transfer` calls; `done` once the
   * last one lands. (A KV handoff striped over TP ranks: one event instead of one per stripe.)
   * Stripes over the same resources (two ranks behind one NIC on both sides) run as one flow of
   * weight 2 (or 4, 8, ...): equal flows started together on one path keep equal rates and land
   * together, and a power-of-two weight scales shares, bytes and rates exactly (no rounding), so the
   * finish is bit-identical — fewer flows to list, re-rate and complete.
   */
  transferAll(paths: readonly (readonly number[])[], bytes: number, latency: number, done: () => void): void {
    for (const path of paths) for (const r of path) this.moved[r] += bytes;
    this.sim.after(latency, this.startAll.bind(this, paths, bytes, done));
  }

  private startAll(paths: readonly (readonly number[])[], bytes: number, done: () => void): void {
    if (bytes <= 0) {
      done();
      return;
    }
    const groups = samePathGroups(paths);
    let pending = 0;
    for (const g of groups) pending += powerOfTwoParts(g.count);
    const landed = countdown(pending, done);
    for (const g of groups) {
      for (let left = g.count; left > 0; ) {
        const weight = 2 ** Math.floor(Math.log2(left));
        this.add(g.path, bytes * weight, Infinity, weight, landed);
        left -= weight;
      }
    }
    // One re-rating pass once all have joined: rates at one instant only fall as flows join, and
    // no bytes move in between, so the last pass alone gives every flow its final rate and finish.
    this.pass++;
    for (const g of groups) this.rerate(g.path);
    this.schedule();
  }

  /** A flow starts now (its latency has passed). */
  private start(path: readonly number[], bytes: number, maxRate: number, weight: number, done: () => void): void {
    if (bytes <= 0) {
      done();
      return;
    }
    this.add(path, bytes, maxRate, weight, done);
    this.pass++;
    this.rerate(path);
    this.schedule();
  }

  /** Lists a new flow on its path resources and in the completion heap (not yet rated). */
  private add(path: readonly number[], bytes: number, maxRate: number, weight: number, done: () => void): void {
    const now = this.sim.now;
    const f: Flow = { path, maxRate, weight, seq: this.nextSeq++, remaining: bytes, rate: 0, since: now, finish: Infinity, heapIndex: -1, listIndex: new Array<number>(path.length), visited: 0, done };
    for (let k = 0; k < path.length; k++) {
      const list = this.flowsOnResource[path[k]];
      f.listIndex[k] = list.length;
      list.push(f);
      this.weightOn[path[k]] += weight;
    }
    this.countVersion++;
    this.heap.push(f);
  }

  /**
   * Recomputes the share of every flow crossing a resource of `path` (their counts changed), once
   * per flow in the current pass: a flow sharing several resources with `path` (or with several
   * finished flows' paths) would get the same rate again, since no count changes during a pass.
   */
  private rerate(path: readonly number[]): void {
    const now = this.sim.now;
    const pass = this.pass;
    for (const r of path) {
      for (const f of this.flowsOnResource[r]) {
        if (f.visited === pass) continue;
        f.visited = pass;
        let rate = f.maxRate;
        for (const q of f.path) rate = Math.min(rate, (f.weight * this.bandwidth[q]) / this.weightOn[q]);
        if (rate === f.rate) continue;
        // Bytes drained at the old rate since the last change, then the finish at the new one.
        f.remaining -= f.rate * (now - f.since);
        f.since = now;
        f.rate = rate;
        f.finish = now + Math.max(0, f.remaining) / rate;
        this.heap.fix(f.heapIndex);
      }
    }
  }

  /** Makes sure a completion event is pending at (or before) the earliest finish. */
  private schedule(): void {
    const next = this.heap.size ? this.heap.items[0].finish : Infinity;
    if (next >= this.wakeAt || next === Infinity) return;
    this.wakeAt = next;
    this.sim.at(Math.max(next, this.sim.now), this.complete.bind(this, next));
  }

  private complete(scheduledFor: number): void {
    if (scheduledFor !== this.wakeAt) return; // superseded by an earlier completion event
    this.wakeAt = Infinity;
    const now = this.sim.now;
    // Reused list (complete never re-enters: callbacks only schedule events); `n` entries valid.
    const finished = this.finished;
    let n = 0;
    while (this.heap.size && this.heap.items[0].finish <= now + RESIDUE_S) {
      const f = this.heap.pop();
      for (let k = 0; k < f.path.length; k++) this.unlist(f, k);
      finished[n++] = f;
    }
    this.pass++;
    for (let i = 0; i < n; i++) this.rerate(finished[i]!.path);
    this.schedule();
    // Oldest first, for a deterministic and fair callback order (insertion sort: a handful at most).
    for (let i = 1; i < n; i++) {
      const f = finished[i]!;
      let j = i - 1;
      for (; j >= 0 && finished[j]!.seq > f.seq; j--) finished[j + 1] = finished[j];
      finished[j + 1] = f;
    }
    for (let i = 0; i < n; i++) {
      const f = finished[i];
      finished[i] = undefined;
      f!.done();
    }
  }

  /** Takes `f` out of the flow list of its k-th path resource (swap-remove). */
  private unlist(f: Flow, k: number): void {
    const r = f.path[k];
    const list = this.flowsOnResource[r];
    const i = f.listIndex[k];
    const last = list.pop()!;
    if (i < list.length) {
      list[i] = last;
      // `last` is on resource r at some position of its own path.
      for (let q = 0; q < last.path.length; q++) {
        if (last.path[q] === r && last.listIndex[q] === list.length) {
          last.listIndex[q] = i;
          break;
        }
      }
    }
    this.weightOn[r] -= f.weight;
    this.countVersion++;
  }
}

/** Distinct paths among `paths` (same resources in the same order), first-seen order, with counts. */
function samePathGroups(paths: readonly (readonly number[])[]): { path: readonly number[]; count: number }[] {
  const groups: { path: readonly number[]; count: number }[] = [];
  for (const path of paths) {
    const g = groups.find((x) => samePath(x.path, path));
    if (g) g.count++;
    else groups.push({ path, count: 1 });
  }
  return groups;
}

function samePath(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Flows a group of `n` equal stripes runs as: one per set bit (weights 1, 2, 4, ...). */
function powerOfTwoParts(n: number): number {
  let parts = 0;
  for (let m = n; m > 0; m &= m - 1) parts++;
  return parts;
}
