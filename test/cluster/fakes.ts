import { emptyDecodeLine, type BatchShape, type DecodeLine, type StepCost, type StepTimeModel } from '../../src/cluster/step-time.js';
import { newRecord, type RequestRecord } from '../../src/metrics/request-record.js';
import type { Request } from '../../src/workload/request.js';

/**
 * A stand-in for StepTimeModel: the step time is `time(batch)`; every batch passed in is copied
 * into `log` so tests can check what the instance scheduled.
 */
export function fakeModel(time: (b: BatchShape) => number): { model: StepTimeModel; log: BatchShape[] } {
  const log: BatchShape[] = [];
  const fake = {
    step(b: BatchShape, out?: StepCost): StepCost {
      log.push({ ...b });
      const c: StepCost = out ?? { time: 0, compute: 0, memory: 0, comm: 0, overhead: 0, flops: 0, bytes: 0, computeBound: false };
      c.time = time(b);
      c.compute = c.time;
      c.memory = 0;
      c.comm = 0;
      c.overhead = 0;
      c.flops = 0;
      c.bytes = 0;
      c.computeBound = true;
      return c;
    },
    /** Time of a decode step (not logged: an estimate or a look ahead, not a scheduled step). */
    decodeTime(batch: number, sumContext: number): number {
      return time({ prefillTokens: 0, prefillAttention: 0, prefillContextTokens: 0, sampledSeqs: batch, decodeSeqs: batch, decodeContextTokens: sumContext });
    },
    /**
     * Analytic decode's line in the summed context (not logged: a run of steps, not one step):
     * valid for step times linear in decodeContextTokens, as every fake here is.
     */
    decodeLine(batch: number, out: DecodeLine = emptyDecodeLine()): DecodeLine {
      const t0 = this.decodeTime(batch, 0);
      Object.assign(out, emptyDecodeLine(), { computeBase: t0, computePerToken: this.decodeTime(batch, 1) - t0 });
      return out;
    },
    /** Standalone estimate of one chunk (not logged: it is not a scheduled step). */
    prefillTime(newTokens: number, contextTokens: number): number {
      const b = { prefillTokens: newTokens, prefillAttention: newTokens * (contextTokens + newTokens / 2), prefillContextTokens: contextTokens, sampledSeqs: 1, decodeSeqs: 0, decodeContextTokens: 0 };
      return newTokens > 0 ? time(b) : 0;
    },
  };
  return { model: fake as unknown as StepTimeModel, log };
}

/** A request whose block ids are unique to it unless `hashes` is given. */
export function req(id: number, inputTokens: number, outputTokens: number, blockSize: number, hashes?: number[]): Request {
  return {
    id,
    arrival: 0,
    inputTokens,
    outputTokens,
    blockHashes: hashes ?? Array.from({ length: Math.ceil(inputTokens / blockSize) }, (_, i) => id * 10_000 + i),
  };
}

export function rec(r: Request): RequestRecord {
  return newRecord(r);
}

/** Records every inter-token gap sample the decode instance reports, for exact checks. */
export class RecordingGaps {
  private readonly v: number[] = [];
  private readonly w: number[] = [];

  add(value: number, weight: number): void {
    if (weight <= 0) return;
    this.v.push(value);
    this.w.push(weight);
  }

  /** One entry per value, as `add` of each would record. */
  addLinear(first: number, step: number, n: number, weight: number): void {
    for (let j = 0; j < n; j++) this.add(first + step * j, weight);
  }

  entries(): { values: Float64Array; weights: Float64Array } {
    return { values: Float64Array.from(this.v), weights: Float64Array.from(this.w) };
  }
}
