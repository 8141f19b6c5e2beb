import { stringify } from 'csv-stringify/sync';
import type { RequestRecord } from '../metrics/request-record.js';

const num = (x: number): string => (Number.isNaN(x) ? '' : String(x));
/** Instance index, empty when there was none (rejected; one-token answers never reach decode). */
const instance = (i: number): string => (i < 0 ? '' : String(i));

/**
 * requests.csv: one row per request, times in simulated seconds, empty where it did not happen.
 * Phases in order: arrival → prefill_start (prefill_queue_s) → prefill_end (ttft_prefill_s) →
 * transfer_start (decode_queue_s: waiting for decode KV/slot) → transfer_end (KV landed) →
 * decode_start (joined the decode batch) → first_token (client TTFT, ttft_s) → finish.
 */
export function requestsCsv(records: readonly RequestRecord[]): string {
  const rows = records.map((r) => {
    const q = r.req;
    const finished = !Number.isNaN(r.finish);
    return [
      q.id,
      num(q.arrival),
      q.inputTokens,
      q.outputTokens,
      r.cachedTokens,
      r.hbmTokens,
      r.cpuTokens,
      r.diskTokens,
      r.poolTokens,
      r.remoteTokens,
      Number.isNaN(r.loadEnd) ? '' : num(r.loadEnd - r.loadStart),
      instance(r.prefillInstance),
      instance(r.decodeInstance),
      num(r.prefillStart),
      num(r.prefillEnd),
      num(r.transferStart),
      num(r.transferEnd),
      num(r.decodeStart),
      num(r.firstToken),
      num(r.finish),
      num(r.prefillStart - q.arrival),
      num(r.transferStart - r.prefillEnd),
      finished ? num(r.prefillEnd - q.arrival) : '',
      finished ? num(r.firstToken - q.arrival) : '',
      finished && q.outputTokens > 1 ? num((r.finish - r.firstToken) / (q.outputTokens - 1)) : '',
      finished ? num(r.finish - q.arrival) : '',
      r.rejected,
    ];
  });
  return stringify(rows, {
    header: true,
    columns: [
      'id', 'arrival_s', 'input_tokens', 'output_tokens', 'cached_tokens', 'hbm_tokens', 'cpu_tokens',
      'disk_tokens', 'pool_tokens', 'remote_tokens', 'load_s', 'prefill_instance',
      'decode_instance', 'prefill_start_s', 'prefill_end_s', 'transfer_start_s', 'transfer_end_s',
      'decode_start_s', 'first_token_s', 'finish_s', 'prefill_queue_s', 'decode_queue_s', 'ttft_prefill_s',
      'ttft_s', 'tpot_s', 'e2e_s', 'rejected',
    ],
  });
}
