import type { Network } from './network.js';

export type Transport = 'rdma' | 'tcp';
export type Direction = 'egress' | 'ingress';

/** One node's scale-out NICs as network resources. */
interface NodeNics {
  /** Wire of each NIC, per direction, at line rate. */
  readonly egress: number[];
  readonly ingress: number[];
  /**
   * Per NIC, direction and transport (see `pathSlot`): the path [wire, stack], where the stack's
   * rate is what that transport reaches (created on first use, then reused: no allocation per call).
   */
  readonly paths: (readonly number[] | undefined)[];
  readonly lineRate: number;
  /** Devices per node, to map an instance's devices onto its nearest NICs. */
  readonly devices: number;
}

/**
 * Scale-out NICs of every node (full duplex: an egress and an ingress wire per NIC). Each transport
 * reaches its own share of a NIC's line rate (RDMA ~90%, kernel TCP ~25%), so a flow crosses the
 * NIC's wire *and* its transport's stack: flows of different transports share the wire, while a
 * TCP setting for one path (e.g. the KV handoff) never caps another path's RDMA traffic (NFS over
 * RDMA). Devices prefer the NIC attached next to them (PCIe affinity, as GPU servers pair each
 * accelerator with a NIC).
 */
export class Topology {
  private readonly nodes: NodeNics[] = [];

  constructor(
    private readonly network: Network,
    /** Achieved fraction of line rate per transport. */
    private readonly efficiency: Readonly<Record<Transport, number>>,
  ) {}

  /** Adds a node with `count` NICs of `lineRate` B/s each; returns its id. */
  addNode(count: number, lineRate: number, devices: number): number {
    const egress: number[] = [];
    const ingress: number[] = [];
    for (let i = 0; i < count; i++) {
      egress.push(this.network.addResource(lineRate));
      ingress.push(this.network.addResource(lineRate));
    }
    this.nodes.push({ egress, ingress, paths: [], lineRate, devices });
    return this.nodes.length - 1;
  }

  nicCount(node: number): number {
    return this.nodes[node].egress.length;
  }

  /** The NIC nearest device `device` of a node (NICs spread evenly over the devices). */
  nicOfDevice(node: number, device: number): number {
    const n = this.nodes[node];
    const nics = n.egress.length;
    return Math.min(nics - 1, Math.floor((device * nics) / n.devices));
  }

  /** NIC indices preferred by the devices [first, first + n) of a node. */
  preferred(node: number, firstDevice: number, n: number): number[] {
    const nics = this.nodes[node].egress.length;
    const devices = this.nodes[node].devices;
    const out: number[] = [];
    for (let k = 0; k < nics; k++) {
      const device = Math.floor((k * devices) / nics);
      if (device >= firstDevice && device < firstDevice + n) out.push(k);
    }
    // Fewer NICs than instances: instances share them round-robin.
    if (out.length === 0) out.push(Math.floor(firstDevice / Math.max(1, devices / nics)) % nics);
    return out;
  }

  /** Flows on a NIC's wire in one direction. */
  load(node: number, nic: number, direction: Direction): number {
    return this.network.flowsOn(this.nodes[node][direction][nic]);
  }

  /** The least loaded (fewest active flows) of the preferred NICs; ties to the first listed. */
  pick(node: number, preferred: readonly number[], direction: Direction): number {
    let best = preferred[0];
    for (const k of preferred) if (this.load(node, k, direction) < this.load(node, best, direction)) best = k;
    return best;
  }

  /**
   * Mooncake Transfer Engine-style NIC choice for one rank's slice: its own (PCIe-local) NIC,
   * falling back to another NIC of the node only when that one carries at least two flows fewer
   * (crossing the host interconnect costs about one flow's worth); ties stay local.
   */
  pickForRank(node: number, local: number, direction: Direction): number {
    let best = local;
    let bestScore = this.load(node, local, direction);
    // Another NIC scores at least 1: with at most one flow here, local wins (the usual case; no scan).
    if (bestScore <= 1) return local;
    const nics = this.nicCount(node);
    for (let k = 0; k < nics; k++) {
      if (k === local) continue;
      const score = this.load(node, k, direction) + 1;
      if (score < bestScore) {
        best = k;
        bestScore = score;
      }
    }
    return best;
  }

  /** Resources a flow over NIC `nic` crosses with `transport`: the wire and the transport's stack. */
  path(node: number, nic: number, direction: Direction, transport: Transport): readonly number[] {
    const n = this.nodes[node];
    const slot = 4 * nic + (direction === 'egress' ? 0 : 2) + (transport === 'rdma' ? 0 : 1);
    let path = n.paths[slot];
    if (path === undefined) {
      const stack = this.network.addResource(n.lineRate * this.efficiency[transport]);
      path = [n[direction][nic], stack];
      n.paths[slot] = path;
    }
    return path;
  }
}
