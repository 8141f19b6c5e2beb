import type { KvCacheSummary } from '../metrics/kv-cache-summary.js';

/** Bytes of each cache tier that draw power and cost money. */
export interface TierFootprint {
  /** DRAM provisioned for LMCache's CPU tier over all instances. */
  local_cpu?: number;
  /** NVMe provisioned for the disk tier over all instances. */
  local_disk?: number;
  /** The remote store: its configured size, or the most it held when unlimited (object stores bill what is stored). */
  remote?: number;
}

export function tierFootprint(kv: KvCacheSummary): TierFootprint {
  const t = kv.tiers;
  const out: TierFootprint = {};
  if (t.local_cpu) out.local_cpu = t.local_cpu.capacity_bytes ?? t.local_cpu.peak_bytes;
  if (t.local_disk) out.local_disk = t.local_disk.capacity_bytes ?? t.local_disk.peak_bytes;
  if (t.remote) out.remote = t.remote.capacity_bytes ?? t.remote.peak_bytes;
  return out;
}
