import { stringify } from 'csv-stringify/sync';
import type { RecordSink } from '../metrics/request-log.js';
import type { RequestRecord } from '../metrics/request-record.js';
import { secondsText } from '../util/format-number.js';
import { ByteRows, SECONDS_MAX_BYTES } from './byte-rows.js';
import type { SpoolFile } from './spool-file.js';

/** A time in seconds, to the nanosecond; empty when it did not happen (NaN). */
const seconds = (x: number): string => (Number.isNaN(x) ? '' : secondsText(x));
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
    seconds(q.arrival),
    q.inputTokens,
    q.outputTokens,
    r.cachedTokens,
    r.hbmTokens,
    r.cpuTokens,
    r.diskTokens,
    r.poolTokens,
    r.remoteTokens,
    Number.isNaN(r.loadEnd) ? '' : seconds(r.loadEnd - r.loadStart),
    instance(r.prefillInstance),
    instance(r.decodeInstance),
    seconds(r.prefillStart),
    seconds(r.prefillEnd),
    seconds(r.transferStart),
    seconds(r.transferEnd),
    seconds(r.decodeStart),
    seconds(r.firstToken),
    seconds(r.finish),
    seconds(r.prefillStart - q.arrival),
    seconds(r.transferStart - r.prefillEnd),
    finished ? seconds(r.prefillEnd - q.arrival) : '',
    finished ? seconds(r.firstToken - q.arrival) : '',
    finished && q.outputTokens > 1 ? seconds((r.finish - r.firstToken) / (q.outputTokens - 1)) : '',
    finished ? seconds(r.finish - q.arrival) : '',
    r.rejected,
  ];
}

/**
 * requests.csv: one row per request, times in simulated seconds to the nanosecond, empty where it
 * did not happen.
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

const COMMA = 0x2c;
const NEWLINE = 0x0a;
/** Bytes a row's 26 numeric fields and separators can take (a time is the longest field). */
const ROW_NUMBERS_BYTES = (SECONDS_MAX_BYTES + 1) * 26;

/** requests.csv written as requests settle (arrival order), into a spool file: same bytes as requestsCsv. */
export class RequestsCsvWriter implements RecordSink {
  private header = true;
  private readonly rows: ByteRows;

  /** `blockBytes`: bytes composed before they go to the spool (small in tests, to cross blocks). */
  constructor(
    private readonly out: SpoolFile,
    blockBytes?: number,
  ) {
    this.rows = new ByteRows((bytes, length) => out.append(bytes, length), blockBytes);
  }

  /**
   * csvLine(row(r)), composed as bytes (ByteRows): no row array, no per-field loop, no row string.
   * Counts as digits, times as secondsText, empty where the original writes ''; a test compares
   * the output with csv-stringify's.
   */
  write(r: RequestRecord): void {
    this.writeHeader();
    const w = this.rows;
    const q = r.req;
    const finished = !Number.isNaN(r.finish);
    w.room(ROW_NUMBERS_BYTES);
    w.number(q.id);
    this.sep();
    this.time(q.arrival);
    this.sep();
    w.number(q.inputTokens);
    this.sep();
    w.number(q.outputTokens);
    this.sep();
    w.number(r.cachedTokens);
    this.sep();
    w.number(r.hbmTokens);
    this.sep();
    w.number(r.cpuTokens);
    this.sep();
    w.number(r.diskTokens);
    this.sep();
    w.number(r.poolTokens);
    this.sep();
    w.number(r.remoteTokens);
    this.sep();
    if (!Number.isNaN(r.loadEnd)) this.time(r.loadEnd - r.loadStart);
    this.sep();
    this.instance(r.prefillInstance);
    this.sep();
    this.instance(r.decodeInstance);
    this.sep();
    this.time(r.prefillStart);
    this.sep();
    this.time(r.prefillEnd);
    this.sep();
    this.time(r.transferStart);
    this.sep();
    this.time(r.transferEnd);
    this.sep();
    this.time(r.decodeStart);
    this.sep();
    this.time(r.firstToken);
    this.sep();
    this.time(r.finish);
    this.sep();
    this.time(r.prefillStart - q.arrival);
    this.sep();
    this.time(r.transferStart - r.prefillEnd);
    this.sep();
    if (finished) this.time(r.prefillEnd - q.arrival);
    this.sep();
    if (finished) this.time(r.firstToken - q.arrival);
    this.sep();
    if (finished && q.outputTokens > 1) this.time((r.finish - r.firstToken) / (q.outputTokens - 1));
    this.sep();
    if (finished) this.time(r.finish - q.arrival);
    this.sep();
    if (r.rejected !== '') w.text(field(r.rejected));
    w.room(1);
    w.byte(NEWLINE);
  }

  /** Writes the header if no row was written (an empty run's file is the header alone); hands every row to the spool. */
  finish(): SpoolFile {
    this.writeHeader();
    this.rows.flush();
    return this.out;
  }

  private sep(): void {
    this.rows.byte(COMMA);
  }

  /** A time, to the nanosecond: empty when it did not happen (NaN). */
  private time(x: number): void {
    if (!Number.isNaN(x)) this.rows.seconds(x);
  }

  /** Instance index, empty when there was none (rejected; one-token answers never reach decode). */
  private instance(i: number): void {
    if (i >= 0) this.rows.number(i);
  }

  private writeHeader(): void {
    if (!this.header) return;
    this.rows.text(csvLine(COLUMNS));
    this.header = false;
  }
}
