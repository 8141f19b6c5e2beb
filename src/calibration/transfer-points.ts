/**
 * Published transfer and cache-tier measurements, checked against the bandwidths kvsim's catalogs give the same
 * path (`kvsim validate` prints them after the step-time points). The storage and transport catalogs
 * (src/storage/catalog.ts, src/cluster/catalog/transports.ts) are set from public numbers directly; where a catalog
 * value was taken from the very measurement listed here the row says so (its error is zero by construction).
 *
 * One physical parameter is shared by several rows and is checked the way the step-time factors are: the achieved
 * one-way DMA rate of one PCIe x16 link (`pcieOneWay`, catalog PCIE_BANDWIDTH_PER_DEVICE). vLLM's CPU offload
 * measures it directly (HBM → DRAM over the GPU's link); Mooncake's Transfer Engine over 8 × 400 Gb/s measures it
 * through the host uplinks (DRAM ↔ DRAM, two NICs per PCIe switch uplink, src/hardware/host-path.ts). Each of
 * those rows is also predicted with the rate solved from the other ones (leave one out, `cvPredicted`). The
 * acceptance target per row is the per-point target (25%, CV_POINT_TARGET), not a number read off the
 * errors.
 */
import { LOCAL_PROFILES, NICS_PER_HOST_UPLINK, PCIE_BANDWIDTH_PER_DEVICE, REMOTE_PROFILES } from '../storage/catalog.js';
import { TRANSPORTS } from '../cluster/catalog/transports.js';
import { gpuDirectBandwidth, hostDramBandwidth } from '../hardware/host-path.js';

/** The physical parameters a transfer prediction depends on. */
export interface TransferParams {
  /** Achieved one-way DMA rate of one PCIe x16 link, B/s. */
  readonly pcieOneWay: number;
}

/** What kvsim's catalogs say. */
export const CATALOG_TRANSFER_PARAMS: TransferParams = { pcieOneWay: PCIE_BANDWIDTH_PER_DEVICE };

export interface TransferPoint {
  readonly id: string;
  /** The path measured, in kvsim's terms. */
  readonly path: string;
  readonly source: string;
  /** Published throughput, B/s. */
  readonly measured: number;
  /** What kvsim's model gives for the same path with these parameters, B/s. */
  readonly predicted: (p: TransferParams) => number;
  /** The shared parameter this row measures (its rows are cross-validated against each other). */
  readonly measures?: keyof TransferParams;
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

/** A transfer striped over `nics` NICs of `gbps` each at the catalog RDMA efficiency. */
function stripe(nics: number, gbps: number): { nics: number; lineRate: number; efficiency: number } {
  return { nics, lineRate: (gbps * 1e9) / 8, efficiency: TRANSPORTS.rdma.efficiency };
}

/** DRAM ↔ DRAM over `nics` NICs: NIC-bound or bound by the host uplinks they share (src/hardware/host-path.ts). */
function dramStripe(nics: number, gbps: number, p: TransferParams): number {
  return hostDramBandwidth(stripe(nics, gbps), { nicsPerUplink: NICS_PER_HOST_UPLINK, uplinkOneWay: p.pcieOneWay });
}

export const TRANSFER_POINTS: readonly TransferPoint[] = [
  {
    id: 'vllm-offload-h2d',
    path: 'HBM ↔ host DRAM, one direction, one H100 (local_cpu tier over PCIe)',
    source: `${VLLM_OFFLOAD}: ~50 GB/s one way with 2 MB blocks (DMA copies)`,
    measured: 50 * GB,
    predicted: (p) => p.pcieOneWay,
    measures: 'pcieOneWay',
    byConstruction: false,
    notes: 'kvsim: PCIe Gen5 x16 per device, each direction its own resource; this row measures the one-way rate.',
  },
  {
    id: 'vllm-offload-both',
    path: 'HBM ↔ host DRAM, both directions at once, one H100',
    source: `${VLLM_OFFLOAD}: 83.4 GB/s both ways with 2 MB blocks`,
    measured: 83.4 * GB,
    predicted: (p) => 2 * p.pcieOneWay,
    byConstruction: false,
    notes: 'NOT MODELLED: kvsim treats PCIe as full duplex (two independent directions); the measurement says ' +
      'concurrent copies reach only 0.83 of twice the measured one-way rate. Link-level protocol overhead (read ' +
      'requests and acknowledgements sharing each direction) accounts for a few %, not 17%; no public measurement ' +
      'separates the rest (copy engines, host memory), so no factor is fitted to this one row.',
  },
  {
    id: 'mooncake-te-4x200',
    path: 'DRAM ↔ DRAM over 4 × 200 Gb/s RoCE NICs (rdma transport, Transfer Engine Bench)',
    source: `${MOONCAKE}: 87 GB/s on 4×200 Gb/s RoCE (40 GB transfers)`,
    measured: 87 * GB,
    predicted: (p) => dramStripe(4, 200, p),
    byConstruction: false,
    notes: 'kvsim: line rate × rdma efficiency per NIC, NICs add up; two 200 Gb/s NICs (50 GB/s) fit in one ' +
      'uplink, so the NICs bound it. The catalog rdma efficiency 0.9 is this row\'s 87% rounded (not independent).',
  },
  {
    id: 'mooncake-te-8x400',
    path: 'DRAM ↔ DRAM over 8 × 400 Gb/s RoCE NICs (rdma transport, Transfer Engine Bench)',
    source: `${MOONCAKE}: 190 GB/s on 8×400 Gb/s RoCE (40 GB transfers)`,
    measured: 190 * GB,
    predicted: (p) => dramStripe(8, 400, p),
    measures: 'pcieOneWay',
    byConstruction: false,
    notes: 'Transfer Engine Bench moves blocks of the target node\'s DRAM (kvcache-ai/Mooncake ' +
      'doc/en/transfer-engine-bench.md), so the traffic crosses the PCIe switch uplinks to the CPU. ASSUMPTION: an ' +
      '8-GPU server with two NICs per uplink (NICS_PER_HOST_UPLINK; the README does not name the host): ' +
      'min(8 · 50 GB/s · 0.9, 4 uplinks · pcieOneWay). A GPUDirect transfer (kvsim\'s KV handoff) would not cross ' +
      `the uplinks: ${(gpuDirectBandwidth(stripe(8, 400)) / GB).toFixed(0)} GB/s.`,
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
  /** With the catalog parameters. */
  readonly predicted: number;
  readonly error: number;
  /** With the shared parameter solved from the other rows that measure it (rows with `measures` only). */
  readonly cvPredicted?: number;
  readonly cvError?: number;
}

/** The value of `key` at which `point` predicts its own measurement (bisection; undefined if it cannot). */
export function solveFor(point: TransferPoint, key: keyof TransferParams, base: TransferParams = CATALOG_TRANSFER_PARAMS): number | undefined {
  const at = (x: number): number => point.predicted({ ...base, [key]: x });
  let lo = 1e6;
  let hi = 1e13;
  if (at(lo) > point.measured || at(hi) < point.measured) return undefined;
  for (let i = 0; i < 200 && hi / lo > 1 + 1e-12; i++) {
    const mid = Math.sqrt(lo * hi);
    if (at(mid) < point.measured) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

/**
 * The least-squares fit (in log space) of one shared parameter to the rows that measure it: the geometric mean
 * of each row's own solution. Undefined when no row gives one.
 */
export function fitShared(points: readonly TransferPoint[], key: keyof TransferParams): number | undefined {
  const xs = points.filter((p) => p.measures === key).map((p) => solveFor(p, key)).filter((x): x is number => x !== undefined);
  if (xs.length === 0) return undefined;
  return Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
}

export function validateTransfers(points: readonly TransferPoint[] = TRANSFER_POINTS): TransferResult[] {
  return points.map((point) => {
    const predicted = point.predicted(CATALOG_TRANSFER_PARAMS);
    const base = { point, predicted, error: predicted / point.measured - 1 };
    if (point.measures === undefined) return base;
    const others = points.filter((q) => q !== point);
    const x = fitShared(others, point.measures);
    if (x === undefined) return base;
    const cvPredicted = point.predicted({ ...CATALOG_TRANSFER_PARAMS, [point.measures]: x });
    return { ...base, cvPredicted, cvError: cvPredicted / point.measured - 1 };
  });
}
