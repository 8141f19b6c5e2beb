import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tiersCsv } from '../../src/report/tiers-csv.js';

const COLUMNS = ['time_s', 'hbm_bytes', 'local_cpu_bytes', 'local_disk_bytes', 'remote_bytes'];

describe('tiersCsv', () => {
  it('is csv-stringify output byte for byte: a header, then one row per sample in bytes', () => {
    // 10 s: 3 HBM blocks of 2 MiB = 6,291,456 bytes.
    expect(tiersCsv([{ time: 10, hbm: 3, local_cpu: 0, local_disk: 1, remote: 0 }], 2 ** 21)).toBe(`${COLUMNS.join(',')}\n10,6291456,0,2097152,0\n`);
    const count = fc.nat({ max: 1e9 });
    const sample = fc.record({ time: fc.double({ min: 0, max: 1e7, noNaN: true }), hbm: count, local_cpu: count, local_disk: count, remote: count });
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 30 }), fc.integer({ min: 1, max: 2 ** 24 }), (samples, blockBytes) => {
        const reference = stringify(
          samples.map((s) => [s.time, s.hbm * blockBytes, s.local_cpu * blockBytes, s.local_disk * blockBytes, s.remote * blockBytes]),
          { header: true, columns: COLUMNS },
        );
        expect(tiersCsv(samples, blockBytes)).toBe(reference);
      }),
      { numRuns: 300 },
    );
  });
});
