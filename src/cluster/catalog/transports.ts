/**
 * KV-transfer transports between nodes. A transfer costs `latency` + bytes / (rate), where the
 * rate is the NIC's line rate times `efficiency`, shared fairly by concurrent transfers.
 */
export interface TransportSpec {
  readonly id: 'rdma' | 'tcp';
  /** Per-transfer setup + first-byte latency, s. */
  readonly latency: number;
  /** Achieved fraction of the NIC line rate for large KV transfers. */
  readonly efficiency: number;
  readonly sources: Readonly<Record<string, string>>;
}

export const TRANSPORTS: Readonly<Record<TransportSpec['id'], TransportSpec>> = {
  rdma: {
    id: 'rdma',
    latency: 50e-6,
    efficiency: 0.9,
    sources: {
      efficiency:
        'Mooncake Transfer Engine: 87 GB/s on 4x200 Gb RoCE = 87% of 100 GB/s line rate (kvcache-ai/Mooncake README, ' +
        'https://github.com/kvcache-ai/Mooncake). Its 190 GB/s on 8x400 Gb is 47.5% of line rate because that DRAM-to-DRAM ' +
        'benchmark is bound by the host PCIe uplinks, not the NICs (src/hardware/host-path.ts; kvsim validate).',
      latency:
        'assumption: RDMA write setup + completion, tens of µs; NIXL reports ~600 µs per op only for tiny 4 KiB blocks over TCPXO (ai-dynamo/nixl PR 2276)',
    },
  },
  tcp: {
    id: 'tcp',
    latency: 500e-6,
    efficiency: 0.25,
    sources: {
      efficiency:
        'Mooncake README: Transfer Engine (RDMA) is 2.4-4.6x faster than TCP; 0.9 / 3.5 ≈ 0.25 of line rate',
      latency: 'assumption: kernel TCP stack + connection handling, ~0.5 ms per KV transfer',
    },
  },
};
