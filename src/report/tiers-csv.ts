import type { OccupancySample } from '../metrics/collector.js';
import { csvLine } from './requests-csv.js';

const COLUMNS = ['time_s', 'hbm_bytes', 'local_cpu_bytes', 'local_disk_bytes', 'remote_bytes'];

/**
 * tiers.csv: bytes held by each cache tier over time (summed over prefill instances). Written with
 * csvLine (csv-stringify's bytes without its per-record machinery, which every `kvsim run` paid
 * for, TurboFan compiling it included).
 */
export function tiersCsv(samples: readonly OccupancySample[], blockBytes: number): string {
  let text = csvLine(COLUMNS);
  for (const s of samples) text += csvLine([s.time, s.hbm * blockBytes, s.local_cpu * blockBytes, s.local_disk * blockBytes, s.remote * blockBytes]);
  return text;
}
