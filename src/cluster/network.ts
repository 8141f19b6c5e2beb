import type { Simulator } from '../engine/simulator.js';

interface Flow {
  /** Resources the bytes cross (NIC egress/ingress, PCIe, disk, storage service). */
  readonly path: readonly number[];
  readonly maxRate: number;
  /** Counts as this many flows in the fair shares (a batch of identical parallel streams). */
  readonly weight: number;
  remaining: number; // bytes
  rate: number; // bytes/s, current share
  readonly done: () => void;
}

/**
 * Data movement over shared bandwidth resources: NIC egress and ingress of each node, host links,
 * disks, a remote storage service. A flow crosses a path of resources and runs at the smallest of
 * its fair shares (resource bandwidth / flows on it) and its own cap (e.g. per-connection
 * bandwidth) — first-order fair sharing, not full max-min. Rates are recomputed whenever a flow
 * starts or ends, so a busy NIC slows every KV handoff and cache load that crosses it.
 */
export class Network {
  private readonly flows: Flow[] = [];
  private readonly bandwidth: number[] = [];
  private readonly flowCount: number[] = [];
  private readonly moved: number[] = [];
  private lastUpdate = 0;
  /** Invalidates completion events scheduled before the latest rate change. */
  private generation = 0;

  constructor(private readonly sim: Simulator) {}

  /** Registers a resource of `bandwidth` B/s; returns its id. */
  addResource(bandwidth: number): number {
    if (!(bandwidth > 0)) throw new RangeError(`resource bandwidth must be > 0, got ${bandwidth}`);
    this.bandwidth.push(bandwidth);
    this.flowCount.push(0);
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
    for (const r of path) rate = Math.min(rate, this.bandwidth[r] / (this.flowCount[r] + newFlows));
    return rate;
  }

  /** Bandwidth of resource `id`, B/s. */
  capacity(id: number): number {
    return this.bandwidth[id];
  }

  /** Flows currently crossing resource `id`. */
  flowsOn(id: number): number {
    return this.flowCount[id];
  }

  get activeFlows(): number {
    return this.flows.length;
  }

  /**
   * Moves `bytes` across `path` after `latency` seconds of setup; calls `done` when the last byte
   * lands. `maxRate` caps this flow alone (one connection's bandwidth). `weight` > 1 makes it
   * stand for that many identical parallel streams on the same path (it gets that many fair
   * shares; `maxRate` is then the streams' total cap): one event instead of `weight`.
   */
  transfer(path: readonly number[], bytes: number, latency: number, done: () => void, maxRate = Infinity, weight = 1): void {
    for (const r of path) this.moved[r] += bytes;
    this.sim.after(latency, () => {
      if (bytes <= 0) {
        done();
        return;
      }
      this.advance();
      this.flows.push({ path, maxRate, weight, remaining: bytes, rate: 0, done });
      for (const r of path) this.flowCount[r] += weight;
      this.reschedule();
    });
  }

  /** Drains bytes sent since the last update at the rates that applied. */
  private advance(): void {
    const dt = this.sim.now - this.lastUpdate;
    this.lastUpdate = this.sim.now;
    if (dt <= 0) return;
    for (const f of this.flows) f.remaining -= f.rate * dt;
  }

  private reschedule(): void {
    let next = Infinity;
    for (const f of this.flows) {
      let rate = f.maxRate;
      for (const r of f.path) rate = Math.min(rate, (f.weight * this.bandwidth[r]) / this.flowCount[r]);
      f.rate = rate;
      next = Math.min(next, Math.max(0, f.remaining) / rate);
    }
    if (next === Infinity) return;
    const gen = ++this.generation;
    this.sim.after(next, () => {
      if (gen === this.generation) this.complete();
    });
  }

  private complete(): void {
    this.advance();
    // A flow is done when what is left would take under a nanosecond: float residue, not data.
    const finished: Flow[] = [];
    for (let i = this.flows.length - 1; i >= 0; i--) {
      const f = this.flows[i];
      if (f.remaining <= f.rate * 1e-9) {
        finished.push(f);
        this.flows.splice(i, 1);
        for (const r of f.path) this.flowCount[r] -= f.weight;
      }
    }
    this.reschedule();
    // Oldest first, for a deterministic and fair callback order.
    for (let i = finished.length - 1; i >= 0; i--) finished[i].done();
  }
}
