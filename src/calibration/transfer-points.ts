/**
 * Published transfer and cache-tier measurements, checked against the bandwidths kvsim's catalogs give
 * the same path (`kvsim validate` prints them after the step-time points). They are not fitted: the storage
 * and transport catalogs (src/storage/catalog.ts, src/cluster/catalog/transports.ts) are set from public numbers directly,
 * and where a catalog value was taken from the very measurement listed here the row says so (its error is
 * zero by construction and checks nothing but the bookkeeping).
 */
import { LOCAL_PROFILES, PCIE_BANDWIDTH_PER_DEVICE, REMOTE_PROFILES } from '../storage/catalog.js';
import { TRANSPORTS } from '../cluster/catalog/transports.js';

export interface TransferPoint {
  readonly id: string;
  /** The path measured, in kvsim's terms. */
  readonly path: string;
  readonly source: string;
  /** Published throughput, B/s. */
  readonly measured: number;
  /** What kvsim's catalogs give for the same path, B/s. */
  readonly predicted: () => number;
  /** True when the catalog value was taken from this measurement (error 0 by construction). */
  readonly byConstruction: boolean;
  readonly notes: string;
}

const GB = 1e9;
const GiB = 2 ** 30;
const VLLM_OFFLOAD =
  'vLLM blog "Inside vLLM\'s new KV offloading connector" (https://blog.vllm.ai/2026/01/08/kv-offloading-connector.html)';
const MOONCAKE = 'kvcache-ai/Mooncake README, Transfer Engine (https://github.com/kvcache-ai/Mooncake)';
const GDS = 'gds-bench NFS-over-RDMA results (GPUDirect Storage benchmark, one 400 GbE ConnectX-7)';

/** Line rate × RDMA efficiency × NICs: what a KV transfer striped over `nics` NICs gets in kvsim. */
function rdma(nics: number, gbps: number): number {
  return nics * (gbps * 1e9) / 8 * TRANSPORTS.rdma.efficiency;
}

export const TRANSFER_POINTS: readonly TransferPoint[] = [
  {
    id: 'vllm-offload-h2d',
    path: 'HBM ↔ host DRAM, one direction, one H100 (local_cpu tier over PCIe)',
    source: `${VLLM_OFFLOAD}: ~50 GB/s one way with 2 MB blocks (DMA copies)`,
    measured: 50 * GB,
    predicted: () => PCIE_BANDWIDTH_PER_DEVICE,
    byConstruction: false,
    notes: 'kvsim: PCIe Gen5 x16 per device, each direction its own resource.',
  },
  {
    id: 'vllm-offload-both',
    path: 'HBM ↔ host DRAM, both directions at once, one H100',
    source: `${VLLM_OFFLOAD}: 83.4 GB/s both ways with 2 MB blocks`,
    measured: 83.4 * GB,
    predicted: () => 2 * PCIE_BANDWIDTH_PER_DEVICE,
    byConstruction: false,
    notes: 'kvsim treats PCIe as full duplex (two independent directions); the measurement says concurrent copies ' +
      'reach only ~0.76 of twice the one-way rate.',
  },
  {
    id: 'mooncake-te-4x200',
    path: 'KV transfer over 4 × 200 Gb/s RoCE NICs (rdma transport)',
    source: `${MOONCAKE}: 87 GB/s on 4×200 Gb/s RoCE`,
    measured: 87 * GB,
    predicted: () => rdma(4, 200),
    byConstruction: false,
    notes: 'kvsim: line rate × rdma efficiency per NIC, NICs add up.',
  },
  {
    id: 'mooncake-te-8x400',
    path: 'KV transfer over 8 × 400 Gb/s RoCE NICs (rdma transport)',
    source: `${MOONCAKE}: 190 GB/s on 8×400 Gb/s RoCE`,
    measured: 190 * GB,
    predicted: () => rdma(8, 400),
    byConstruction: false,
    notes: 'Here Transfer Engine reaches 190 of 400 GB/s line rate (47.5%), not the ~90% of the 4×200 case: the ' +
      'transport efficiency is not constant in NIC count/speed (host memory or PCIe limits), which kvsim does not model.',
  },
  {
    id: 'nfs-rdma-1gpu',
    path: 'remote tier nfs_rdma, one client (per-connection read bandwidth)',
    source: `${GDS}: 26.4 GiB/s to one GPU (PCIe4-bound)`,
    measured: 26.4 * GiB,
    predicted: () => REMOTE_PROFILES.nfs_rdma.readBandwidth,
    byConstruction: true,
    notes: 'The catalog value is this measurement.',
  },
  {
    id: 'nfs-rdma-4gpu',
    path: 'remote tier nfs_rdma, four clients on one NIC (one NFS-Ganesha server\'s read bandwidth)',
    source: `${GDS}: 43.4 GiB/s to four GPUs`,
    measured: 43.4 * GiB,
    predicted: () => REMOTE_PROFILES.nfs_rdma.gatewayReadBandwidth,
    byConstruction: true,
    notes: 'The catalog value is this measurement.',
  },
  {
    id: 'nvme-read',
    path: 'local_disk tier read bandwidth (one Gen5 NVMe)',
    source: 'Samsung PM1743 announcement (news.samsung.com, Dec 2021): 13 GB/s sequential read',
    measured: 13 * GB,
    predicted: () => LOCAL_PROFILES.local_disk.readBandwidth,
    byConstruction: true,
    notes: 'The catalog value is this datasheet figure (a spec, not a KV-cache measurement).',
  },
];

export interface TransferResult {
  readonly point: TransferPoint;
  readonly predicted: number;
  readonly error: number;
}

export function validateTransfers(points: readonly TransferPoint[] = TRANSFER_POINTS): TransferResult[] {
  return points.map((point) => {
    const predicted = point.predicted();
    return { point, predicted, error: predicted / point.measured - 1 };
  });
}
