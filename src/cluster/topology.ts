import type { Network } from './network.js';

/** One node's scale-out NICs as network resources, and which of them each instance prefers. */
interface NodeNics {
  readonly egress: number[];
  readonly ingress: number[];
  /** Devices per node, to map an instance's devices onto its nearest NICs. */
  readonly devices: number;
}

/**
 * Scale-out NICs of every node (full duplex: an egress and an ingress resource per NIC). An
 * instance prefers the NICs attached next to its own devices (PCIe affinity, as GPU servers pair
 * each accelerator with a NIC); a transfer takes the least loaded of the preferred NICs.
 */
export class Topology {
  private readonly nodes: NodeNics[] = [];

  constructor(private readonly network: Network) {}

  /** Adds a node with `count` NICs of `bandwidth` B/s each (usable rate); returns its id. */
  addNode(count: number, bandwidth: number, devices: number): number {
    const egress: number[] = [];
    const ingress: number[] = [];
    for (let i = 0; i < count; i++) {
      egress.push(this.network.addResource(bandwidth));
      ingress.push(this.network.addResource(bandwidth));
    }
    this.nodes.push({ egress, ingress, devices });
    return this.nodes.length - 1;
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

  /** The least loaded (fewest active flows) of the preferred NICs, as an egress or ingress resource. */
  pick(node: number, preferred: readonly number[], direction: 'egress' | 'ingress'): number {
    const list = this.nodes[node][direction];
    let best = list[preferred[0]];
    for (const k of preferred) {
      const r = list[k];
      if (this.network.flowsOn(r) < this.network.flowsOn(best)) best = r;
    }
    return best;
  }
}
