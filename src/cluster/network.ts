import type { Simulator } from '../engine/simulator.js';

interface Flow {
  readonly src: number;
  readonly dst: number;
  remaining: number; // bytes
  rate: number; // bytes/s, current fair share
  readonly done: () => void;
}

/**
 * Node-to-node transfers over per-node NICs. Each node's NIC bandwidth is shared equally by the
 * flows leaving it (egress) and, separately, by the flows entering it (ingress); a flow runs at the
 * smaller of its two shares (first-order fair sharing, not full max-min). Rates are recomputed
 * whenever a flow starts or ends, so concurrent transfers slow each other down as on a real NIC.
 */
export class Network {
  private readonly flows: Flow[] = [];
  private readonly egressCount: Int32Array;
  private readonly ingressCount: Int32Array;
  private lastUpdate = 0;
  /** Invalidates completion events scheduled before the latest rate change. */
  private generation = 0;
  private bytesMoved = 0;

  constructor(
    private readonly sim: Simulator,
    /** Usable bandwidth of each node's NICs in B/s (line rate × transport efficiency). */
    private readonly nodeBandwidth: readonly number[],
    private readonly latency: number,
  ) {
    this.egressCount = new Int32Array(nodeBandwidth.length);
    this.ingressCount = new Int32Array(nodeBandwidth.length);
  }

  get totalBytes(): number {
    return this.bytesMoved;
  }

  get activeFlows(): number {
    return this.flows.length;
  }

  /** Moves `bytes` from node `src` to node `dst`; calls `done` when the last byte lands. */
  transfer(src: number, dst: number, bytes: number, done: () => void): void {
    this.bytesMoved += bytes;
    this.sim.after(this.latency, () => {
      if (bytes <= 0) {
        done();
        return;
      }
      this.advance();
      this.flows.push({ src, dst, remaining: bytes, rate: 0, done });
      this.egressCount[src]++;
      this.ingressCount[dst]++;
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
      f.rate = Math.min(
        this.nodeBandwidth[f.src] / this.egressCount[f.src],
        this.nodeBandwidth[f.dst] / this.ingressCount[f.dst],
      );
      next = Math.min(next, Math.max(0, f.remaining) / f.rate);
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
        this.egressCount[f.src]--;
        this.ingressCount[f.dst]--;
      }
    }
    this.reschedule();
    // Oldest first, for a deterministic and fair callback order.
    for (let i = finished.length - 1; i >= 0; i--) finished[i].done();
  }
}
