import { stringify } from 'csv-stringify/sync';
import type { OccupancySample } from '../metrics/collector.js';

/** tiers.csv: bytes held by each cache tier over time (summed over prefill instances). */
export function tiersCsv(samples: readonly OccupancySample[], blockBytes: number): string {
  return stringify(
    samples.map((s) => [s.time, s.hbm * blockBytes, s.local_cpu * blockBytes, s.local_disk * blockBytes, s.remote * blockBytes]),
    { header: true, columns: ['time_s', 'hbm_bytes', 'local_cpu_bytes', 'local_disk_bytes', 'remote_bytes'] },
  );
}
