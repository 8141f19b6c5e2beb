import type { LatencyDist } from './latency.js';

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

/**
 * Scale-out NICs behind one PCIe switch uplink to the CPU on an 8-GPU server: four PCIe switches, each with two
 * GPUs and their two NICs and one x16 uplink. Transfers to or from host DRAM cross that uplink
 * (src/hardware/host-path.ts); GPUDirect transfers do not.
 */
export const NICS_PER_HOST_UPLINK = 2;
export const NICS_PER_HOST_UPLINK_SOURCE =
  '8-GPU A100/H100 node layout: 4 PCIe switch chips for 8 GPUs and 8 GPU NICs ' +
  '(https://www.besthub.dev/articles/inside-the-high-performance-gpu-server-a-deep-dive-into-a100-a800-h100-topologies-512d39aeaa2c); ' +
  'ASSUMPTION wherever a measurement does not name its server.';

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

/** Transport a storage client uses on the node's NIC (its own, not the KV handoff's). */
export type StorageTransport = 'rdma' | 'tcp';

/**
 * A shared remote store (LMCache remote backend). Every backend stores one object / file / key per
 * LMCache chunk and TP rank (LMCache keys carry the worker id), so a load of n chunks by a TP-t
 * instance is n·t requests. Each request waits for the service's request-rate limit, pays a
 * latency drawn from `latency`, then moves its bytes at most at one connection's rate; a client
 * keeps at most `connections` requests in flight. The service's bandwidth and request rate scale
 * with its nodes: aggregate = min(nodes × per-node, gateways × per-gateway); ops/s = gateways × per-gateway.
 */
export interface RemoteProfile {
  readonly id: string;
  readonly description: string;
  /** object: S3 objects (multipart above `partSize`); file: NFS files (rsize/wsize, nconnect); kv: keys. */
  readonly kind: 'object' | 'file' | 'kv';
  readonly transport: StorageTransport;
  /** Per request: first byte of a GET/PUT, or one file operation. */
  readonly latency: LatencyDist;
  /** One connection's (one request stream's) bandwidth, B/s. */
  readonly readBandwidth: number;
  readonly writeBandwidth: number;
  /** Requests one client keeps in flight (connection pool / outstanding file operations). */
  readonly connections: number;
  /** Data servers (OSD hosts, KV servers) and what each moves, B/s. */
  readonly nodes: number;
  readonly nodeReadBandwidth: number;
  readonly nodeWriteBandwidth: number;
  /** Request servers (RGW daemons, NFS-Ganesha servers, KV servers): bandwidth B/s and requests/s each. */
  readonly gateways: number;
  readonly gatewayReadBandwidth: number;
  readonly gatewayWriteBandwidth: number;
  readonly gatewayReadOps: number;
  readonly gatewayWriteOps: number;
  /** object: objects larger than this are moved as parallel parts of this size (multipart / ranged GETs). */
  readonly partSize?: number;
  /** file: NFS mount options and the fixed cost of one RPC (which makes rsize/wsize matter). */
  readonly nfs?: { readonly rsize: number; readonly wsize: number; readonly nconnect: number; readonly rpcOverhead: number };
  /** Storage price, $ per GB-month. */
  readonly pricePerGbMonth: number;
  readonly sources: Readonly<Record<string, string>>;
}

const MiB = 2 ** 20;
const ms = 1e-3;
const REEF = 'ceph.io blog 2023 "Ceph Reef Freeze Part 2: RGW Performance" (https://ceph.io/en/news/blog/2023/reef-freeze-rgw-performance/): 10 nodes (60 NVMe), 20 RGW daemons, 3x replication: 53 GB/s 4 MB GET, 18.6 GB/s 4 MB PUT, 312K 4 KB GET/s, 178K 4 KB PUT/s';
const RECIPE_TABLE = 'LMCache backend comparison (docs.lmcache.ai storage backends; vLLM PD recipe table)';

export const REMOTE_PROFILES: Readonly<Record<string, RemoteProfile>> = {
  s3: {
    id: 's3',
    description: 'Ceph RGW via the S3 API (LMCache remote_url s3://)',
    kind: 'object',
    transport: 'tcp',
    latency: { dist: 'lognormal', mean: 30 * ms, cv: 0.6, min: 10 * ms, max: 100 * ms },
    readBandwidth: 1 * GB,
    writeBandwidth: 0.5 * GB,
    connections: 64,
    nodes: 10,
    nodeReadBandwidth: 5.3 * GB,
    nodeWriteBandwidth: 1.86 * GB,
    gateways: 20,
    gatewayReadBandwidth: Infinity,
    gatewayWriteBandwidth: Infinity,
    gatewayReadOps: 312_000 / 20,
    gatewayWriteOps: 178_000 / 20,
    partSize: 8 * MiB,
    pricePerGbMonth: 0.02,
    sources: {
      perNode: `${REEF}; per node = /10, per RGW daemon = /20 (network-bound, so bandwidth is a node limit)`,
      latency: 'assumption: first-byte latency 10-100 ms (vLLM PD recipe); lognormal, mean 30 ms, cv 0.6, clipped to that range',
      perConnection: 'assumption: one HTTP connection 0.1-1 GB/s; 1 GB/s read, 0.5 GB/s write',
      connections: 'LMCache S3 connector: s3_max_inflight_reqs defaults to 64 (lmcache/v1/storage_backend/connector/s3_connector.py)',
      partSize: 'aws-c-s3 (the CRT client LMCache uses) splits GET/PUT of large objects into 8 MiB parts by default',
      price: 'assumption: ~$0.02/GB-month for self-hosted Ceph capacity (S3 standard list price is $0.023)',
    },
  },
  nfs_rdma: {
    id: 'nfs_rdma',
    description: 'CephFS exported by NFS-Ganesha over NFS-over-RDMA (LMCache remote_url file://)',
    kind: 'file',
    transport: 'rdma',
    latency: { dist: 'lognormal', mean: 2 * ms, cv: 0.5, min: 1 * ms, max: 5 * ms },
    readBandwidth: 26.4 * GiB,
    writeBandwidth: 13.2 * GiB,
    connections: 64,
    nodes: 10,
    nodeReadBandwidth: 9.25 * GiB,
    nodeWriteBandwidth: 4.6 * GiB,
    gateways: 1,
    gatewayReadBandwidth: 43.4 * GiB,
    gatewayWriteBandwidth: 21.7 * GiB,
    gatewayReadOps: 50_000,
    gatewayWriteOps: 50_000,
    nfs: { rsize: 1 * MiB, wsize: 1 * MiB, nconnect: 1, rpcOverhead: 10e-6 },
    pricePerGbMonth: 0.02,
    sources: {
      perConnection: 'gds-bench NFSoRDMA 26.4 GiB/s one GPU (one mount connection, rsize 1 MiB); writes at half (assumption)',
      gateway: 'gds-bench NFSoRDMA: 43.4 GiB/s four GPUs from one server on one 400 GbE CX-7 (NIC-bound); writes at half (assumption)',
      perNode: 'ceph.io blog 2025 "Benchmarking the Ceph Object Gateway, part 2" (https://ceph.io/en/news/blog/2025/benchmarking-object-part2): 9.25 GiB/s per NVMe node, network-bound; writes at half (assumption)',
      latency: 'vLLM PD recipe: 1-5 ms per NFS operation; lognormal, mean 2 ms, clipped to that range (assumption)',
      ops: 'vLLM PD recipe: "IOPS: 50k+" for CephFS over NFS/RDMA, taken per Ganesha server',
      mount: 'vLLM PD recipe mount options: rsize=wsize=1048576, nconnect unset (Linux default 1); RPC overhead 10 µs is an assumption',
      connections: 'assumption: as many file operations in flight as LMCache keeps S3 requests (64)',
      price: 'assumption: as s3 (same Ceph cluster)',
    },
  },
  redis: {
    id: 'redis',
    description: 'Redis key-value store over TCP (LMCache remote_url redis://)',
    kind: 'kv',
    transport: 'tcp',
    latency: { dist: 'lognormal', mean: 2 * ms, cv: 0.5, min: 1 * ms, max: 5 * ms },
    readBandwidth: 1 * GB,
    writeBandwidth: 1 * GB,
    connections: 8,
    nodes: 1,
    nodeReadBandwidth: 1 * GB,
    nodeWriteBandwidth: 1 * GB,
    gateways: 1,
    gatewayReadBandwidth: Infinity,
    gatewayWriteBandwidth: Infinity,
    gatewayReadOps: 100_000,
    gatewayWriteOps: 100_000,
    pricePerGbMonth: 3,
    sources: {
      all: `${RECIPE_TABLE}: Redis 1-5 ms, 1 GB/s, 100 GB-1 TB; one server, single-threaded`,
      ops: 'assumption: ~100K requests/s per single-threaded Redis server',
      connections: 'assumption: 8 requests in flight per client',
      price: 'assumption: DRAM-backed, ~$3/GB-month',
    },
  },
  valkey: {
    id: 'valkey',
    description: 'Valkey (Redis-compatible, multi-threaded I/O) over TCP (LMCache remote_url valkey://)',
    kind: 'kv',
    transport: 'tcp',
    latency: { dist: 'lognormal', mean: 2 * ms, cv: 0.5, min: 1 * ms, max: 5 * ms },
    readBandwidth: 1 * GB,
    writeBandwidth: 1 * GB,
    connections: 8,
    nodes: 1,
    nodeReadBandwidth: 3 * GB,
    nodeWriteBandwidth: 3 * GB,
    gateways: 1,
    gatewayReadBandwidth: Infinity,
    gatewayWriteBandwidth: Infinity,
    gatewayReadOps: 300_000,
    gatewayWriteOps: 300_000,
    pricePerGbMonth: 3,
    sources: {
      class: `${RECIPE_TABLE}: ValKey is the Redis-compatible alternative (same latency class as Redis)`,
      throughput: 'valkey.io blog "Valkey 8.0" (2024): I/O threads raise one server to ~1.2M requests/s, ~3x Redis; taken as 3x Redis per server (assumption)',
      price: 'assumption: DRAM-backed, ~$3/GB-month',
    },
  },
  infinistore: {
    id: 'infinistore',
    description: 'InfiniStore: DRAM key-value store over RDMA (LMCache remote_url infinistore://)',
    kind: 'kv',
    transport: 'rdma',
    latency: { dist: 'lognormal', mean: 2 * ms, cv: 0.5, min: 1 * ms, max: 5 * ms },
    readBandwidth: 50 * GB,
    writeBandwidth: 50 * GB,
    connections: 8,
    nodes: 1,
    nodeReadBandwidth: 50 * GB,
    nodeWriteBandwidth: 50 * GB,
    gateways: 1,
    gatewayReadBandwidth: Infinity,
    gatewayWriteBandwidth: Infinity,
    gatewayReadOps: 1_000_000,
    gatewayWriteOps: 1_000_000,
    pricePerGbMonth: 3,
    sources: {
      all: `${RECIPE_TABLE}: InfiniStore 1-5 ms, 50-100 GB/s, 1-100 TB; github.com/bytedance/InfiniStore (RDMA DRAM store)`,
      perNode: 'assumption: one server (and one client connection over RDMA) saturates one 400 Gb/s NIC, 50 GB/s',
      price: 'assumption: DRAM-backed, ~$3/GB-month',
    },
  },
  mooncake: {
    id: 'mooncake',
    description: 'Mooncake Store: pooled DRAM over the RDMA Transfer Engine',
    kind: 'kv',
    transport: 'rdma',
    latency: { dist: 'fixed', value: 100e-6 },
    readBandwidth: 87 * GB,
    writeBandwidth: 87 * GB,
    connections: 8,
    nodes: 1,
    nodeReadBandwidth: 87 * GB,
    nodeWriteBandwidth: 87 * GB,
    gateways: 1,
    gatewayReadBandwidth: Infinity,
    gatewayWriteBandwidth: Infinity,
    gatewayReadOps: 1_000_000,
    gatewayWriteOps: 1_000_000,
    pricePerGbMonth: 3,
    sources: {
      perNode: 'Mooncake Transfer Engine 87 GB/s on one node with 4x200 Gb RoCE (kvcache-ai/Mooncake README); 190 GB/s on 8x400 Gb',
      perConnection: 'Transfer Engine stripes one transfer over all the client\'s NICs: 87 GB/s for one client (4x200 Gb RoCE), bounded here by the client\'s own NIC',
      latency: `assumption: ~100 µs per RDMA batch (Transfer Engine); the ${RECIPE_TABLE} lists 5-10 ms, which for MB-sized chunks is transfer time, modelled separately here`,
      ops: 'assumption: ~1M requests/s (metadata lookups are not the limit)',
      price: 'assumption: DRAM-backed, ~$3/GB-month',
    },
  },
};
