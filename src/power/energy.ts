/**
 * Energy model. Per device: idle power all the time, plus dynamic power (TDP − idle) × activity,
 * where a step's activity is min(1, compute/time + memory_activity · memory/time) — `compute` and
 * `memory` being the step's time in compute-bound and in memory-bound kernels (src/cluster/
 * step-time.ts; src/metrics/collector.ts accumulates the sum as activeTime). All-reduces and host
 * overheads draw idle power only (first order: underestimates). Hosts and NICs draw a constant power per node; cache tiers a
 * constant power per provisioned (or, for the remote store, stored) byte. Facility overhead is
 * IT energy × (PUE − 1). Every part includes its PUE share, so parts sum to the total.
 */
import type { ClusterPlan, PoolPlan } from '../cluster/plan.js';
import type { PoolStats } from '../metrics/collector.js';
import type { PowerConfig } from '../scenario/schema.js';
import type { TierFootprint } from './tier-footprint.js';

export interface PoolEnergy {
  /** Facility energy of the pool, J (= devices_j + hosts_j + nics_j + facility_j). */
  joules: number;
  /** Accelerators, J, of which devices_idle_j is idle power × time. */
  devices_j: number;
  devices_idle_j: number;
  hosts_j: number;
  nics_j: number;
  /** Cooling and power distribution: IT energy × (PUE − 1). */
  facility_j: number;
  /** Mean board power of one device over the run, W. */
  mean_device_watts: number;
  per_output_token_j: number;
  /** Joules per token, prompt + output. */
  per_token_j: number;
}

export interface TierEnergy {
  joules: number;
  it_j: number;
  facility_j: number;
  per_output_token_j: number;
  per_token_j: number;
}

export interface EnergySummary {
  /** Facility energy of the whole run. */
  joules: number;
  kwh: number;
  /** Mean facility power over the makespan, kW. */
  mean_kw: number;
  pue: number;
  /** Joules per output token / per token (prompt + output). */
  per_output_token_j: number;
  per_token_j: number;
  pools: { prefill: PoolEnergy; decode: PoolEnergy };
  tiers: { local_cpu?: TierEnergy; local_disk?: TierEnergy; remote?: TierEnergy };
}

/** What the pool energy needs to know about one pool. */
export interface PoolPowerShape {
  devices: number;
  tp: number;
  idleWatts: number;
  tdpWatts: number;
  nodes: number;
  nicsPerNode: number;
  /** Full-power-equivalent instance-seconds (PoolStats.activeTime). */
  activeTime: number;
}

export function poolShape(plan: PoolPlan, stats: PoolStats): PoolPowerShape {
  return {
    devices: plan.config.nodes * plan.config.devices_per_node,
    tp: plan.config.tp,
    idleWatts: plan.device.idleWatts,
    tdpWatts: plan.device.tdpWatts,
    nodes: plan.config.nodes,
    nicsPerNode: plan.nics,
    activeTime: stats.activeTime,
  };
}

/** Output and total (prompt + output) tokens of the run, for per-token figures. */
export interface TokenCounts {
  outputTokens: number;
  totalTokens: number;
}

const perToken = (joules: number, n: number) => (n > 0 ? joules / n : 0);

export function poolEnergy(p: PoolPowerShape, makespan: number, power: PowerConfig, tokens: TokenCounts): PoolEnergy {
  const devicesIdle = p.devices * p.idleWatts * makespan;
  const devices = devicesIdle + (p.tdpWatts - p.idleWatts) * p.tp * p.activeTime;
  const hosts = p.nodes * power.host_watts * makespan;
  const nics = p.nodes * p.nicsPerNode * power.nic_watts * makespan;
  const facility = (devices + hosts + nics) * (power.pue - 1);
  const joules = devices + hosts + nics + facility;
  return {
    joules,
    devices_j: devices,
    devices_idle_j: devicesIdle,
    hosts_j: hosts,
    nics_j: nics,
    facility_j: facility,
    mean_device_watts: makespan > 0 && p.devices > 0 ? devices / (p.devices * makespan) : p.idleWatts,
    per_output_token_j: perToken(joules, tokens.outputTokens),
    per_token_j: perToken(joules, tokens.totalTokens),
  };
}

function tierEnergy(watts: number, makespan: number, pue: number, tokens: TokenCounts): TierEnergy {
  const it = watts * makespan;
  const joules = it * pue;
  return {
    joules,
    it_j: it,
    facility_j: joules - it,
    per_output_token_j: perToken(joules, tokens.outputTokens),
    per_token_j: perToken(joules, tokens.totalTokens),
  };
}

export interface EnergyInput extends TokenCounts {
  plan: ClusterPlan;
  prefill: PoolStats;
  decode: PoolStats;
  makespan: number;
  power: PowerConfig;
  tiers: TierFootprint;
}

export function energySummary(inp: EnergyInput): EnergySummary {
  const { makespan, power } = inp;
  const tokens: TokenCounts = { outputTokens: inp.outputTokens, totalTokens: inp.totalTokens };
  const pools = {
    prefill: poolEnergy(poolShape(inp.plan.prefill, inp.prefill), makespan, power, tokens),
    decode: poolEnergy(poolShape(inp.plan.decode, inp.decode), makespan, power, tokens),
  };
  const tiers: EnergySummary['tiers'] = {};
  const t = inp.tiers;
  if (t.local_cpu !== undefined) tiers.local_cpu = tierEnergy((t.local_cpu / 1e9) * power.dram_watts_per_gb, makespan, power.pue, tokens);
  if (t.local_disk !== undefined) tiers.local_disk = tierEnergy((t.local_disk / 1e12) * power.nvme_watts_per_tb, makespan, power.pue, tokens);
  if (t.remote !== undefined) tiers.remote = tierEnergy((t.remote / 1e12) * power.remote_watts_per_tb, makespan, power.pue, tokens);
  const joules = pools.prefill.joules + pools.decode.joules + Object.values(tiers).reduce((s, x) => s + x.joules, 0);
  return {
    joules,
    kwh: joules / 3.6e6,
    mean_kw: makespan > 0 ? joules / makespan / 1e3 : 0,
    pue: power.pue,
    per_output_token_j: perToken(joules, inp.outputTokens),
    per_token_j: perToken(joules, inp.totalTokens),
    pools,
    tiers,
  };
}
