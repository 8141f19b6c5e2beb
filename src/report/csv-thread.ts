// Worker-thread entry of CsvThreadWriter (csv-worker.ts): formats requests.csv rows from packed
// numbers and appends them to the run's spool file, in the order the batches arrive.
import { parentPort, workerData } from 'node:worker_threads';
import { PACKED_FIELDS, unpackRecord } from './csv-pack.js';
import { COLUMNS, csvLine, row } from './requests-csv.js';
import { FileAppender } from './spool-file.js';

/** One batch of rows: PACKED_FIELDS numbers per row, and the rejection reasons of the rows that have one. */
export interface CsvBatch {
  readonly fields: Float64Array;
  readonly rejected: readonly (readonly [row: number, reason: string])[];
}

/** The spool file's descriptor and the byte its rows start at. */
export interface CsvThreadData {
  readonly fd: number;
  readonly at: number;
}

const port = parentPort;
if (port) {
  const { fd, at } = workerData as CsvThreadData;
  const out = new FileAppender(fd, at);
  let header = csvLine(COLUMNS);
  port.on('message', (m: CsvBatch | 'end') => {
    if (m === 'end') {
      out.append(header);
      out.flush();
      port.postMessage(out.bytes - at);
      return;
    }
    const reasons = new Map(m.rejected);
    let text = header;
    header = '';
    for (let i = 0; i * PACKED_FIELDS < m.fields.length; i++) text += csvLine(row(unpackRecord(m.fields, i * PACKED_FIELDS, reasons.get(i) ?? '')));
    out.append(text);
  });
}
