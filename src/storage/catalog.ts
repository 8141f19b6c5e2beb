/**
 * KV-cache storage tiers below HBM (LMCache backends) and the host link that feeds HBM. Every
 * number is a default that a scenario's `cache:` section can override; sources say where it comes
 * from, and "assumption" marks the ones no measurement pins down.
 */
export interface StorageProfile {
  readonly id: string;
  readonly description: string;
  /** Per-operation latency (request round trip before the first byte), s. */
  readonly latency: number;
  /** Read bandwidth one connection / one instance gets, B/s. */
  readonly readBandwidth: number;
  /** Write bandwidth one connection / one instance gets, B/s. */
  readonly writeBandwidth: number;
  /** Aggregate bandwidth of a shared service over all clients (Infinity for per-instance devices), B/s. */
  readonly aggregateReadBandwidth: number;
  readonly aggregateWriteBandwidth: number;
  /** Whether its traffic crosses the node's scale-out NIC (and competes with KV handoffs). */
  readonly overNetwork: boolean;
  /** Storage price, $ per GB-month (for the remote tier's cost line); 0 for local devices. */
  readonly pricePerGbMonth: number;
  readonly sources: Readonly<Record<string, string>>;
}

const GB = 1e9;
const GiB = 2 ** 30;

/** PCIe Gen5 x16 between host DRAM and one device: 63 GB/s on paper, ~55 GB/s measured. */
export const PCIE_BANDWIDTH_PER_DEVICE = 55 * GB;
export const PCIE_SOURCE = 'PCIe Gen5 x16, 63 GB/s per direction on paper, ~55 GB/s measured (stas00/ml-engineering network/README.md, https://github.com/stas00/ml-engineering)';

export const LOCAL_PROFILES: Readonly<Record<'local_cpu' | 'local_disk', StorageProfile>> = {
  local_cpu: {
    id: 'local_cpu',
    description: 'LMCache CPU DRAM backend (pinned host memory), reached over PCIe',
    latency: 10e-6,
    readBandwidth: Infinity, // bounded by the PCIe link, modelled separately
    writeBandwidth: Infinity,
    aggregateReadBandwidth: Infinity,
    aggregateWriteBandwidth: Infinity,
    overNetwork: false,
    pricePerGbMonth: 0,
    sources: { latency: 'assumption: a DMA setup, ~10 µs', bandwidth: PCIE_SOURCE },
  },
  local_disk: {
    id: 'local_disk',
    description: 'LMCache local disk backend on a Gen5 NVMe SSD',
    latency: 100e-6,
    readBandwidth: 13 * GB,
    writeBandwidth: 6.6 * GB,
    aggregateReadBandwidth: Infinity,
    aggregateWriteBandwidth: Infinity,
    overNetwork: false,
    pricePerGbMonth: 0,
    sources: {
      bandwidth: 'Samsung PM1743 announcement (news.samsung.com, Dec 2021): Gen5 NVMe, 13 GB/s read, 6.6 GB/s write',
      latency: 'assumption: ~100 µs NVMe read latency incl. file-system overhead',
    },
  },
};

export const REMOTE_PROFILES: Readonly<Record<string, StorageProfile>> = {
  s3: {
    id: 's3',
    description: 'Ceph RGW via the S3 API (LMCache remote_url s3://)',
    latency: 30e-3,
    readBandwidth: 1 * GB,
    writeBandwidth: 0.5 * GB,
    aggregateReadBandwidth: 53 * GB,
    aggregateWriteBandwidth: 18.6 * GB,
    overNetwork: true,
    pricePerGbMonth: 0.02,
    sources: {
      aggregate: 'ceph.io blog 2023 (Ceph Reef RGW performance, https://ceph.io/en/news/blog/): Ceph Reef RGW 53 GB/s GET, 18.6 GB/s PUT with 4 MB objects (ceph.io blog 2023)',
      latency: 'assumption: S3 GET/PUT first-byte latency 10-100 ms on Ceph RGW; 30 ms chosen',
      perConnection: 'assumption: one client connection 0.1-1 GB/s; 1 GB/s read, 0.5 GB/s write',
      price: 'assumption: ~$0.02/GB-month for self-hosted Ceph capacity (S3 standard list price is $0.023)',
    },
  },
  nfs_rdma: {
    id: 'nfs_rdma',
    description: 'CephFS exported over NFS-over-RDMA with GPUDirect Storage',
    latency: 2e-3,
    readBandwidth: 26.4 * GiB,
    writeBandwidth: 13.2 * GiB,
    aggregateReadBandwidth: 43.4 * GiB,
    aggregateWriteBandwidth: 21.7 * GiB,
    overNetwork: true,
    pricePerGbMonth: 0.02,
    sources: {
      bandwidth: 'gds-bench NFS-over-RDMA results (GPUDirect Storage benchmark): gds-bench NFSoRDMA, 26.4 GiB/s one GPU, 43.4 GiB/s four GPUs on one 400 GbE CX-7',
      write: 'assumption: writes at half the read rate',
      latency: 'assumption: 1-5 ms per NFS operation; 2 ms chosen',
      price: 'assumption: as s3 (same Ceph cluster)',
    },
  },
  redis: {
    id: 'redis',
    description: 'Redis / Valkey key-value store over TCP (LMCache remote_url redis://)',
    latency: 1e-3,
    readBandwidth: 1.5 * GB,
    writeBandwidth: 1.5 * GB,
    aggregateReadBandwidth: 10 * GB,
    aggregateWriteBandwidth: 10 * GB,
    overNetwork: true,
    pricePerGbMonth: 3,
    sources: {
      all: 'assumption: single-threaded Redis moves ~1-2 GB/s per connection with MB-sized values; a small cluster ~10 GB/s; ~1 ms round trip',
      price: 'assumption: DRAM-backed, ~$3/GB-month',
    },
  },
  mooncake: {
    id: 'mooncake',
    description: 'Mooncake Store: pooled DRAM over the RDMA Transfer Engine',
    latency: 100e-6,
    readBandwidth: 20 * GB,
    writeBandwidth: 20 * GB,
    aggregateReadBandwidth: 87 * GB,
    aggregateWriteBandwidth: 87 * GB,
    overNetwork: true,
    pricePerGbMonth: 3,
    sources: {
      aggregate: 'kvcache-ai/Mooncake README (https://github.com/kvcache-ai/Mooncake): Transfer Engine 87 GB/s on 4x200 Gb RoCE',
      perConnection: 'assumption: ~20 GB/s per client',
      latency: 'assumption: ~100 µs per RDMA batch',
      price: 'assumption: DRAM-backed, ~$3/GB-month',
    },
  },
};
