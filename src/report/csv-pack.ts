import type { RequestRecord } from '../metrics/request-record.js';
import type { CsvRecord } from './requests-csv.js';

/**
 * A request's requests.csv fields as numbers, to send rows to the CSV thread in transferable
 * Float64Arrays (no copy, no per-record object crossing threads). Doubles round-trip exactly
 * (NaN included), so the thread formats the same text as formatting the record here.
 */
export const PACKED_FIELDS = 21;

/** Writes `rec`'s fields at `at` (PACKED_FIELDS numbers). The rejection reason travels separately. */
export function packRecord(rec: RequestRecord, into: Float64Array, at: number): void {
  const q = rec.req;
  into[at] = q.id;
  into[at + 1] = q.arrival;
  into[at + 2] = q.inputTokens;
  into[at + 3] = q.outputTokens;
  into[at + 4] = rec.cachedTokens;
  into[at + 5] = rec.hbmTokens;
  into[at + 6] = rec.cpuTokens;
  into[at + 7] = rec.diskTokens;
  into[at + 8] = rec.poolTokens;
  into[at + 9] = rec.remoteTokens;
  into[at + 10] = rec.loadStart;
  into[at + 11] = rec.loadEnd;
  into[at + 12] = rec.prefillInstance;
  into[at + 13] = rec.decodeInstance;
  into[at + 14] = rec.prefillStart;
  into[at + 15] = rec.prefillEnd;
  into[at + 16] = rec.transferStart;
  into[at + 17] = rec.transferEnd;
  into[at + 18] = rec.decodeStart;
  into[at + 19] = rec.firstToken;
  into[at + 20] = rec.finish;
}

/** The fields packed at `at`, as the record requests.csv's row() reads. */
export function unpackRecord(f: Float64Array, at: number, rejected: string): CsvRecord {
  return {
    req: { id: f[at], arrival: f[at + 1], inputTokens: f[at + 2], outputTokens: f[at + 3] },
    cachedTokens: f[at + 4],
    hbmTokens: f[at + 5],
    cpuTokens: f[at + 6],
    diskTokens: f[at + 7],
    poolTokens: f[at + 8],
    remoteTokens: f[at + 9],
    loadStart: f[at + 10],
    loadEnd: f[at + 11],
    prefillInstance: f[at + 12],
    decodeInstance: f[at + 13],
    prefillStart: f[at + 14],
    prefillEnd: f[at + 15],
    transferStart: f[at + 16],
    transferEnd: f[at + 17],
    decodeStart: f[at + 18],
    firstToken: f[at + 19],
    finish: f[at + 20],
    rejected,
  };
}
