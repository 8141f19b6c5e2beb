/**
 * TCO model: where every dollar of a run goes, per pool and per cache tier.
 *   rental: a pool costs its devices' $/device-hour × time (hosting, hosts, NICs and power included
 *           in the rental price, so those parts are 0).
 *   capex:  devices, nodes and NICs at purchase price, straight-line over lifetime_years, × time;
 *           plus the pool's facility energy (IT × PUE, src/power/) × $/kWh.
 * Cache tiers cost the same in both bases (rental prices do not include them): DRAM and NVMe at
 * purchase price per GB amortised over lifetime_years, the remote store at $/GB-month of what it
 * holds (configured size, or peak stored when unlimited), S3 requests per 1,000, and every tier's
 * energy × $/kWh. Parts sum to the totals.
 */
import type { ClusterPlan, PoolPlan } from '../cluster/plan.js';
import type { EnergySummary } from '../power/energy.js';
import type { TierFootprint } from '../power/tier-footprint.js';
import type { CostConfig } from '../scenario/schema.js';
import { HOURS_PER_MONTH, HOURS_PER_YEAR } from './defaults.js';

export interface CostPart {
  /** $ over the run. */
  total: number;
  per_hour: number;
  per_million_output_tokens: number;
  per_million_tokens: number;
}

export interface PoolCost extends CostPart {
  devices: number;
  hosts: number;
  nics: number;
  power: number;
}

export interface TierCost extends CostPart {
  capacity: number;
  power: number;
  requests: number;
}

export interface CostSummary extends CostPart {
  basis: 'rental' | 'capex';
  /** = per_hour (kept for compatibility): the run's $ / makespan hours. */
  cluster_per_hour: number;
  pools: { prefill: PoolCost; decode: PoolCost };
  tiers: { local_cpu?: TierCost; local_disk?: TierCost; remote?: TierCost };
}

/** Remote-store traffic for request pricing: bytes read and written, object size, stripes per transfer. */
export interface RemoteTraffic {
  backend: string;
  pricePerGbMonth: number;
  readBytes: number;
  writtenBytes: number;
  objectBytes: number;
  connections: number;
  /** GET / PUT requests the simulated store counted (incl. multipart parts); preferred over the estimate. */
  getRequests?: number;
  putRequests?: number;
}

export interface CostInput {
  plan: ClusterPlan;
  cost: CostConfig;
  energy: EnergySummary;
  tiers: TierFootprint;
  remote?: RemoteTraffic;
  makespan: number;
  outputTokens: number;
  totalTokens: number;
}

const kwh = (joules: number) => joules / 3.6e6;

export function costSummary(inp: CostInput): CostSummary {
  const { cost, energy, makespan } = inp;
  const hours = makespan / 3600;
  const amortised = (price: number) => (price * hours) / (cost.lifetime_years * HOURS_PER_YEAR);
  const part = <T extends object>(parts: T, total: number): T & CostPart => ({
    ...parts,
    total,
    per_hour: hours > 0 ? total / hours : 0,
    per_million_output_tokens: inp.outputTokens > 0 ? (total / inp.outputTokens) * 1e6 : 0,
    per_million_tokens: inp.totalTokens > 0 ? (total / inp.totalTokens) * 1e6 : 0,
  });

  const pool = (p: PoolPlan, joules: number): PoolCost => {
    const devices = p.config.nodes * p.config.devices_per_node;
    const parts =
      cost.basis === 'rental'
        ? { devices: p.device.pricePerHour * devices * hours, hosts: 0, nics: 0, power: 0 }
        : {
            devices: amortised(p.device.purchasePrice * devices),
            hosts: amortised(cost.node_price * p.config.nodes),
            nics: amortised(cost.nic_price * p.nics * p.config.nodes),
            power: kwh(joules) * cost.electricity_per_kwh,
          };
    return part(parts, parts.devices + parts.hosts + parts.nics + parts.power);
  };
  const tier = (capacity: number, joules: number, requests = 0): TierCost => {
    const power = kwh(joules) * cost.electricity_per_kwh;
    return part({ capacity, power, requests }, capacity + power + requests);
  };

  const pools = { prefill: pool(inp.plan.prefill, energy.pools.prefill.joules), decode: pool(inp.plan.decode, energy.pools.decode.joules) };
  const tiers: CostSummary['tiers'] = {};
  const t = inp.tiers;
  if (t.local_cpu !== undefined && energy.tiers.local_cpu) {
    tiers.local_cpu = tier(amortised((t.local_cpu / 1e9) * cost.dram_per_gb), energy.tiers.local_cpu.joules);
  }
  if (t.local_disk !== undefined && energy.tiers.local_disk) {
    tiers.local_disk = tier(amortised((t.local_disk / 1e9) * cost.nvme_per_gb), energy.tiers.local_disk.joules);
  }
  if (t.remote !== undefined && energy.tiers.remote && inp.remote) {
    const r = inp.remote;
    const perGbMonth = cost.remote_per_gb_month ?? r.pricePerGbMonth;
    tiers.remote = tier((t.remote / 1e9) * perGbMonth * (hours / HOURS_PER_MONTH), energy.tiers.remote.joules, requestCost(r, cost));
  }
  const total = pools.prefill.total + pools.decode.total + Object.values(tiers).reduce((s, x) => s + x.total, 0);
  const summary = part({ basis: cost.basis, cluster_per_hour: 0, pools, tiers }, total);
  summary.cluster_per_hour = summary.per_hour;
  return summary;
}

/**
 * S3 request charges: one PUT per object written and one GET per object read (LMCache stores one
 * object per chunk), times the parallel connections a transfer is striped over (ranged GETs /
 * multipart parts). Other backends have no per-request price.
 */
export function requestCost(r: RemoteTraffic, cost: CostConfig): number {
  if (r.backend !== 's3' || r.objectBytes <= 0) return 0;
  // The simulated store counts its GET/PUT requests itself when it can; else estimate from bytes.
  const gets = r.getRequests ?? Math.ceil(r.readBytes / r.objectBytes) * r.connections;
  const puts = r.putRequests ?? Math.ceil(r.writtenBytes / r.objectBytes) * r.connections;
  return (gets * cost.s3_get_per_1000 + puts * cost.s3_put_per_1000) / 1000;
}
