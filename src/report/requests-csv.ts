import { stringify } from 'csv-stringify/sync';
import type { RecordSink } from '../metrics/request-log.js';
import type { RequestRecord } from '../metrics/request-record.js';
import type { SpoolFile } from './spool-file.js';

const num = (x: number): string => (Number.isNaN(x) ? '' : String(x));
/** Instance index, empty when there was none (rejected; one-token answers never reach decode). */
const instance = (i: number): string => (i < 0 ? '' : String(i));

const COLUMNS = [
  'id', 'arrival_s', 'input_tokens', 'output_tokens', 'cached_tokens', 'hbm_tokens', 'cpu_tokens',
  'disk_tokens', 'pool_tokens', 'remote_tokens', 'load_s', 'prefill_instance',
  'decode_instance', 'prefill_start_s', 'prefill_end_s', 'transfer_start_s', 'transfer_end_s',
  'decode_start_s', 'first_token_s', 'finish_s', 'prefill_queue_s', 'decode_queue_s', 'ttft_prefill_s',
  'ttft_s', 'tpot_s', 'e2e_s', 'rejected',
];

function row(r: RequestRecord): (string | number)[] {
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
}

/**
 * requests.csv: one row per request, times in simulated seconds, empty where it did not happen.
 * Phases in order: arrival → prefill_start (prefill_queue_s) → prefill_end (ttft_prefill_s) →
 * transfer_start (decode_queue_s: waiting for decode KV/slot) → transfer_end (KV landed) →
 * decode_start (joined the decode batch) → first_token (client TTFT, ttft_s) → finish.
 */
export function requestsCsv(records: readonly RequestRecord[]): string {
  return stringify(records.map(row), { header: true, columns: COLUMNS });
}

/** Fields csv-stringify quotes by default: those holding the delimiter, a quote or a line break. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV line, byte-identical to csv-stringify's default output (a test checks it) but without
 * its per-record machinery, which was ~7% of a large run: numbers as String(x), strings quoted
 * (quotes doubled) only when they need it.
 */
export function csvLine(fields: readonly (string | number)[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    let text = typeof f === 'number' ? String(f) : f;
    if (typeof f === 'string' && NEEDS_QUOTES.test(f)) text = `"${f.replace(/"/g, '""')}"`;
    line += i === 0 ? text : `,${text}`;
  }
  return `${line}\n`;
}

/** A text field as csvLine writes it. */
const field = (f: string): string => (NEEDS_QUOTES.test(f) ? `"${f.replace(/"/g, '""')}"` : f);

/**
 * csvLine(row(r)) in one template string, without the row array and the per-field loop: the
 * formatting was ~20% of the conversation trace's simulation phase (README "Start-up"). Same bytes
 * (numbers interpolate as String(x); a test compares with csv-stringify).
 */
function rowLine(r: RequestRecord): string {
  const q = r.req;
  const finished = !Number.isNaN(r.finish);
  const load = Number.isNaN(r.loadEnd) ? '' : num(r.loadEnd - r.loadStart);
  const tpot = finished && q.outputTokens > 1 ? num((r.finish - r.firstToken) / (q.outputTokens - 1)) : '';
  return (
    `${q.id},${num(q.arrival)},${q.inputTokens},${q.outputTokens},${r.cachedTokens},${r.hbmTokens},${r.cpuTokens},${r.diskTokens},${r.poolTokens},${r.remoteTokens},` +
    `${load},${instance(r.prefillInstance)},${instance(r.decodeInstance)},${num(r.prefillStart)},${num(r.prefillEnd)},${num(r.transferStart)},${num(r.transferEnd)},` +
    `${num(r.decodeStart)},${num(r.firstToken)},${num(r.finish)},${num(r.prefillStart - q.arrival)},${num(r.transferStart - r.prefillEnd)},` +
    `${finished ? num(r.prefillEnd - q.arrival) : ''},${finished ? num(r.firstToken - q.arrival) : ''},${tpot},${finished ? num(r.finish - q.arrival) : ''},${field(r.rejected)}\n`
  );
}

/** requests.csv written as requests settle (arrival order), into a spool file: same bytes as requestsCsv. */
export class RequestsCsvWriter implements RecordSink {
  private header = true;

  constructor(private readonly out: SpoolFile) {}

  write(rec: RequestRecord): void {
    this.writeHeader();
    this.out.append(rowLine(rec));
  }

  /** Writes the header if no row was written (an empty run's file is the header alone). */
  finish(): SpoolFile {
    this.writeHeader();
    return this.out;
  }

  private writeHeader(): void {
    if (!this.header) return;
    this.out.append(csvLine(COLUMNS));
    this.header = false;
  }
}
