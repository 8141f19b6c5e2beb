import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RequestLog, type RecordSink } from '../../src/metrics/request-log.js';
import type { RequestRecord } from '../../src/metrics/request-record.js';
import { RequestsCsvWriter, requestsCsv } from '../../src/report/requests-csv.js';
import { SpoolFile } from '../../src/report/spool-file.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run.js';
import { rec, req } from '../cluster/fakes.js';

// No expectations: a run with some keeps its records (they are checked per request).
const BASE = fileURLToPath(new URL('../golden/base.yaml', import.meta.url));
const MEDIUM = fileURLToPath(new URL('../../scenarios/medium.yaml', import.meta.url));

class Collect implements RecordSink {
  readonly ids: number[] = [];
  write(r: RequestRecord): void {
    this.ids.push(r.req.id);
  }
}

describe('RequestLog', () => {
  it('hands records to the sink in arrival order although they settle out of order', () => {
    const sink = new Collect();
    const log = new RequestLog({}, false, sink);
    const rs = [0, 1, 2].map((i) => rec(req(i, 100, 10, 512)));
    for (const r of rs) log.submitted(r);
    rs[2].finish = 5;
    rs[2].firstToken = 1;
    log.settled(rs[2]);
    expect(sink.ids).toEqual([]); // 0 and 1 are still in flight
    rs[0].rejected = 'ttft: test';
    log.settled(rs[0]);
    expect(sink.ids).toEqual([0]);
    rs[1].finish = 4;
    rs[1].firstToken = 2;
    log.settled(rs[1]);
    expect(sink.ids).toEqual([0, 1, 2]);
    expect([log.total, log.finished, log.rejected, log.rejectedTtft, log.pending]).toEqual([3, 2, 1, 1, 0]);
    // ttft = firstToken − arrival (arrivals are 0 in fakes.req): in arrival order 2, 1
    expect(Array.from(log.ttft.toArray())).toEqual([2, 1]);
  });

  it('a run without kept records gives the same summary, and the streamed requests.csv the same bytes', () => {
    const loaded = loadScenario(BASE, []);
    const kept = runScenario(loaded);
    const spool = new SpoolFile();
    const writer = new RequestsCsvWriter(spool, 4096); // rows cross several blocks
    const streamed = runScenario(loaded, { keepRecords: false, sink: writer });
    try {
      expect(streamed.summary).toEqual(kept.summary);
      expect(kept.metrics.records.length).toBeGreaterThan(100);
      expect(writer.finish().text()).toBe(requestsCsv(kept.metrics.records));
      expect(() => streamed.metrics.records).toThrow(/not kept/);
    } finally {
      spool.close();
    }
  });

  it('a scenario with expectations keeps its records (they are checked per request)', () => {
    const r = runScenario(loadScenario(MEDIUM, ['workload.duration=1 min']), { keepRecords: false });
    expect(r.metrics.records.length).toBe(r.summary.requests.total);
  });
});

describe('csvLine', () => {
  it('is byte-identical to csv-stringify for numbers and awkward strings', async () => {
    const { stringify } = await import('csv-stringify/sync');
    const { csvLine } = await import('../../src/report/requests-csv.js');
    const fc = (await import('fast-check')).default;
    const field = fc.oneof(fc.double({ noNaN: true }), fc.integer(), fc.string(), fc.constantFrom('', 'a,b', 'say "hi"', 'x\ny', 'r\rs', ' lead', 'ttft: 3.2 s > 2 s'));
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 8 }), (row) => {
        expect(csvLine(row)).toBe(stringify([row]));
      }),
      { numRuns: 500 },
    );
  });
});

describe('RequestsCsvWriter rows', () => {
  it('are byte-identical to csv-stringify for any record: missing times, awkward rejection reasons', async () => {
    const fc = (await import('fast-check')).default;
    // Also what String(x) spells unusually: -0, negative and huge whole numbers, exponents, infinities.
    const odd = fc.constantFrom(-0, -3, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 1e15 - 1, 1e15, 1e21, 1.5e-7, -2.5e-9, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
    const time = fc.oneof(fc.constant(Number.NaN), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 100 }), fc.double(), odd);
    const count = fc.integer({ min: 0, max: 200_000 });
    const record = fc.record({
      arrival: fc.double({ min: 0, max: 1e6, noNaN: true }),
      inputTokens: fc.integer({ min: 1, max: 200_000 }),
      outputTokens: fc.integer({ min: 1, max: 5000 }),
      counts: fc.array(count, { minLength: 6, maxLength: 6 }),
      instances: fc.array(fc.integer({ min: -1, max: 64 }), { minLength: 2, maxLength: 2 }),
      times: fc.array(time, { minLength: 10, maxLength: 10 }),
      rejected: fc.oneof(fc.constant(''), fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('ttft: 3.2 s > 2 s', 'a,b', 'say "hi"', 'x\ny', 'TBT 120 ms ≥ 100 ms', 'é'.repeat(400))),
    });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 20 }), (raw) => {
        const records = raw.map((x, i) => {
          const r = rec(req(i, x.inputTokens, x.outputTokens, 512));
          Object.assign(r.req, { arrival: x.arrival });
          [r.cachedTokens, r.hbmTokens, r.cpuTokens, r.diskTokens, r.poolTokens, r.remoteTokens] = x.counts;
          [r.prefillInstance, r.decodeInstance] = x.instances;
          [r.loadStart, r.loadEnd, r.prefillStart, r.prefillEnd, r.transferStart, r.transferEnd, r.decodeStart, r.firstToken, r.finish] = x.times;
          r.rejected = x.rejected;
          return r;
        });
        const spool = new SpoolFile();
        try {
          const writer = new RequestsCsvWriter(spool, 1024); // and composed blocks
          for (const r of records) writer.write(r);
          expect(writer.finish().text()).toBe(requestsCsv(records));
        } finally {
          spool.close();
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('SpoolFile', () => {
  it('keeps appended blocks byte for byte, empty and partial ones included', () => {
    const spool = new SpoolFile();
    // 'é' is 2 UTF-8 bytes, '€' 3, '😀' 4 (a surrogate pair); a block's tail past `length` is not written.
    const pieces = ['abc', 'é€😀', 'x'.repeat(40), '', 'row,1\n', '€'.repeat(5), 'z'];
    try {
      for (const p of pieces) spool.append(Buffer.from(`${p}TAIL`), Buffer.byteLength(p));
      const all = pieces.join('');
      expect(spool.size).toBe(Buffer.byteLength(all));
      expect(spool.text()).toBe(all);
    } finally {
      spool.close();
    }
  });
});
