/**
 * Bandwidth of a transfer striped over a node's scale-out NICs (Mooncake Transfer Engine, NIXL), and where it
 * tops out when the data lives in host DRAM.
 *
 * Every NIC moves at most line rate × the RDMA transport efficiency. A GPUDirect transfer (HBM ↔ HBM, kvsim's
 * KV handoff) stays below the PCIe switch that holds both the GPU and its NIC. A transfer from or to host DRAM
 * must also cross the switch's uplink to the CPU root complex; on 8-GPU servers several NICs share one switch
 * and hence one uplink, so the DRAM path is capped at uplinks × the achieved one-way rate of one PCIe x16 link:
 *   B = min(nics · line · efficiency, ⌈nics / nicsPerUplink⌉ · uplinkOneWay)          (DRAM path)
 *   B = nics · line · efficiency                                                         (GPUDirect path)
 */

export interface NicStripe {
  readonly nics: number;
  /** Line rate of one NIC, B/s. */
  readonly lineRate: number;
  /** Achieved share of line rate per NIC (TRANSPORTS.rdma.efficiency). */
  readonly efficiency: number;
}

export interface HostUplinks {
  /** NICs behind one PCIe switch uplink to the CPU. */
  readonly nicsPerUplink: number;
  /** Achieved one-way DMA rate of one PCIe x16 link, B/s. */
  readonly uplinkOneWay: number;
}

/** Striped bandwidth of a GPUDirect transfer (never crosses the host uplinks), B/s. */
export function gpuDirectBandwidth(s: NicStripe): number {
  return s.nics * s.lineRate * s.efficiency;
}

/** Striped bandwidth of a transfer to or from host DRAM, B/s. */
export function hostDramBandwidth(s: NicStripe, h: HostUplinks): number {
  const uplinks = Math.ceil(s.nics / h.nicsPerUplink);
  return Math.min(gpuDirectBandwidth(s), uplinks * h.uplinkOneWay);
}
