import { Worker } from 'node:worker_threads';
import type { RequestRecord } from '../metrics/request-record.js';
import { threadEntry } from '../util/thread-entry.js';
import { PACKED_FIELDS, packRecord } from './csv-pack.js';
import type { CsvBatch, CsvThreadData } from './csv-thread.js';
import type { RequestsCsvSink } from './requests-csv.js';
import type { SpoolFile } from './spool-file.js';

/** Rows per batch sent to the thread. */
const BATCH_ROWS = 4096;

/**
 * requests.csv written by a worker thread while the run simulates: this thread only packs each
 * settled record's numbers into a Float64Array (transferred, not copied, every BATCH_ROWS rows);
 * the thread formats the text (number to string conversion is most of the cost: ~5% of a run) and
 * appends it to the spool file. Same bytes as RequestsCsvWriter (tested).
 */
export class CsvThreadWriter implements RequestsCsvSink {
  private readonly worker: Worker;
  private readonly written: Promise<number>;
  private fields: Float64Array;
  private rows = 0;
  private rejected: [number, string][] = [];

  constructor(
    private readonly spool: SpoolFile,
    private readonly batchRows = BATCH_ROWS,
  ) {
    this.fields = new Float64Array(batchRows * PACKED_FIELDS);
    const data: CsvThreadData = { fd: spool.descriptor, at: spool.size };
    this.worker = new Worker(threadEntry(import.meta.url, 'csv-thread.js', 'report/csv-thread.js'), { workerData: data });
    this.written = new Promise((resolve, reject) => {
      this.worker.once('message', (bytes: number) => resolve(bytes));
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`requests.csv worker exited with code ${code}`)));
    });
    this.written.catch(() => undefined); // surfaced by finish()
    // A run that fails must not be kept alive by the thread.
    this.worker.unref();
  }

  write(rec: RequestRecord): void {
    packRecord(rec, this.fields, this.rows * PACKED_FIELDS);
    if (rec.rejected) this.rejected.push([this.rows, rec.rejected]);
    if (++this.rows === this.batchRows) this.send();
  }

  /** Sends the remaining rows, waits for the thread to write them; the spool then holds requests.csv. */
  async finish(): Promise<SpoolFile> {
    this.send();
    this.worker.postMessage('end');
    this.worker.ref();
    try {
      this.spool.appended(await this.written);
    } finally {
      this.cancel();
    }
    return this.spool;
  }

  /** Stops the thread (after finishing, or when the run failed). */
  cancel(): void {
    void this.worker.terminate();
  }

  private send(): void {
    if (this.rows === 0) return;
    const fields = this.rows === this.batchRows ? this.fields : this.fields.slice(0, this.rows * PACKED_FIELDS);
    const batch: CsvBatch = { fields, rejected: this.rejected };
    this.worker.postMessage(batch, [fields.buffer as ArrayBuffer]);
    this.fields = new Float64Array(this.batchRows * PACKED_FIELDS);
    this.rows = 0;
    this.rejected = [];
  }
}
