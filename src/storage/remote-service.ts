import type { Network } from '../cluster/network.js';
import type { Simulator } from '../engine/simulator.js';
import type { RemoteProfile } from './catalog.js';
import { LatencySampler, meanLatency } from './latency.js';

/** What a remote service did, for summary.json (the recipe's GetObject/PutObject counts and bytes). */
export interface ServiceCounters {
  /** GET requests (one per object, part, file or key read; ranged part GETs count one each). */
  getRequests: number;
  /** PUT requests (one per object, part, file or key written, plus multipart create/complete). */
  putRequests: number;
  readBytes: number;
  writtenBytes: number;
}

/**
 * A client's pool of request slots in one direction (LMCache keeps at most `s3_max_inflight_reqs`
 * requests in flight per connector): batches issued while the pool is busy queue FIFO behind it.
 */
export class LanePool {
  private active = 0;
  private readonly waiting: { n: number; start: () => void }[] = [];
  private head = 0;

  constructor(readonly lanes: number) {}

  /** Runs `start` once `n` (<= lanes) slots are free, FIFO; it must `release(n)` when done. */
  acquire(n: number, start: () => void): void {
    if (this.head === this.waiting.length && this.active + n <= this.lanes) {
      this.active += n;
      start();
    } else {
      this.waiting.push({ n, start });
    }
  }

  release(n: number): void {
    this.active -= n;
    while (this.head < this.waiting.length && this.active + this.waiting[this.head].n <= this.lanes) {
      const next = this.waiting[this.head];
      this.waiting[this.head++] = DONE;
      this.active += next.n;
      next.start();
    }
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Slots in use plus slots asked for by queued batches. */
  get busy(): number {
    let queued = 0;
    for (let i = this.head; i < this.waiting.length; i++) queued += this.waiting[i].n;
    return this.active + queued;
  }
}

/** A batch's requests in flight (see RemoteService.run). */
interface BatchRun {
  readonly batch: RequestBatch;
  readonly dir: 'read' | 'write';
  /** Requests and lanes of each part (two with a layer-wise split: the first layer's, the rest). */
  readonly parts: readonly { readonly n: number; readonly lanes: number }[];
  readonly split: boolean;
  readonly pool: LanePool;
  readonly slots: number;
  readonly done: () => void;
  readonly readyAfter: number;
  readonly ready: (() => void) | undefined;
  /** Parts not landed yet. */
  pending: number;
}

const DONE = { n: 0, start: (): void => {} };

/**
 * One batch of requests by one client: `units` requests of `unitBytes` each over `path`, through
 * the client's lane pool (`lanes` slots, shared by all its batches in that direction), each moving
 * its bytes at most at `laneRate` (one connection's bandwidth).
 */
export interface RequestBatch {
  readonly units: number;
  readonly unitBytes: number;
  readonly path: readonly number[];
  readonly lanes: number;
  readonly laneRate: number;
  /** Requests that move no data but count (multipart create + complete). */
  readonly extraRequests: number;
  /** The client's pool (default: a private one of `lanes` slots). */
  readonly pool?: LanePool;
}

/**
 * A remote storage service shared by every client: its aggregate bandwidth (a network resource per
 * direction, scaled by its nodes), a request-rate limit per direction (requests are admitted one
 * slot apart, like RGW's per-gateway ops limits summed over gateways), a per-request latency drawn
 * from a seeded stream, and request/byte counters.
 */
export class RemoteService {
  readonly readResource: number;
  readonly writeResource: number;
  readonly counters: ServiceCounters = { getRequests: 0, putRequests: 0, readBytes: 0, writtenBytes: 0 };
  private readonly readOps: number;
  private readonly writeOps: number;
  private nextReadSlot = 0;
  private nextWriteSlot = 0;
  /** Sum of n request latencies, drawn in order. */
  private readonly latencies: LatencySampler;
  private readonly meanLatency: number;

  constructor(
    private readonly sim: Simulator,
    private readonly network: Network,
    readonly profile: RemoteProfile,
    rng: () => number,
    /** Overrides of the node-scaled aggregate bandwidth, B/s. */
    aggregate: { read?: number; write?: number } = {},
  ) {
    const p = profile;
    const read = aggregate.read ?? Math.min(p.nodes * p.nodeReadBandwidth, p.gateways * p.gatewayReadBandwidth);
    const write = aggregate.write ?? Math.min(p.nodes * p.nodeWriteBandwidth, p.gateways * p.gatewayWriteBandwidth);
    this.readResource = network.addResource(read);
    this.writeResource = network.addResource(write);
    this.readOps = p.gateways * p.gatewayReadOps;
    this.writeOps = p.gateways * p.gatewayWriteOps;
    this.latencies = new LatencySampler(p.latency, rng);
    this.meanLatency = meanLatency(p.latency);
  }

  /** Aggregate bandwidth of the service, B/s. */
  get aggregateReadBandwidth(): number {
    return this.network.capacity(this.readResource);
  }

  get aggregateWriteBandwidth(): number {
    return this.network.capacity(this.writeResource);
  }

  /** Request rate limits, requests/s. */
  get opsLimits(): { read: number; write: number } {
    return { read: this.readOps, write: this.writeOps };
  }

  /**
   * Reads the batch; `done` when every request has landed, `ready` (optional) once the first
   * `readyAfter` requests have (layer-wise loading starts compute on the first layer).
   */
  get(batch: RequestBatch, done: () => void, readyAfter = 0, ready?: () => void): void {
    this.counters.getRequests += batch.units + batch.extraRequests;
    this.counters.readBytes += batch.units * batch.unitBytes;
    this.run(batch, 'read', done, readyAfter, ready);
  }

  put(batch: RequestBatch, done: () => void): void {
    this.counters.putRequests += batch.units + batch.extraRequests;
    this.counters.writtenBytes += batch.units * batch.unitBytes;
    this.run(batch, 'write', done, 0);
  }

  /**
   * Expected time to read the batch if started now: rounds of lanes each paying the mean latency,
   * or the request-rate queue if that is longer, plus the bytes at the rate the batch's lanes
   * would share on the path now.
   */
  estimateGet(batch: RequestBatch): number {
    if (batch.units === 0) return 0;
    const lanes = Math.min(batch.lanes, batch.units);
    // Requests already holding or queued for the client's pool go first.
    const rounds = Math.ceil(((batch.pool?.busy ?? 0) + batch.units) / batch.lanes);
    const queue = Math.max(0, this.nextReadSlot - this.sim.now) + batch.units / this.readOps;
    const rate = lanes * this.network.fairShare(batch.path, batch.laneRate, lanes);
    return Math.max(rounds * this.meanLatency, queue) + (batch.units * batch.unitBytes) / rate;
  }

  /**
   * Runs the batch's requests through the client's pool. The batch takes g = min(lanes, units)
   * slots; its requests run back to back on those g lanes, k = units / g each. That is modelled as
   * one flow standing for g parallel streams (g fair shares, at most g × one connection's rate)
   * that starts after the request-rate admission of the batch and a lane's mean summed latency
   * (k draws each): the same total time as g lanes alternating latency and bytes at a steady rate,
   * in one event instead of `units` (a TP-2 Llama-70B prefix of 24 blocks is ~480 S3 part requests).
   * With `ready` (layer-wise), the first `readyAfter` requests run as their own flow so compute can
   * start when they land.
   */
  private run(batch: RequestBatch, dir: 'read' | 'write', done: () => void, readyAfter: number, ready?: () => void): void {
    const { units } = batch;
    if (units === 0) {
      ready?.();
      done();
      return;
    }
    const pool = batch.pool ?? new LanePool(batch.lanes);
    const slots = Math.min(batch.lanes, units);
    // Layer-wise: the first `readyAfter` requests get their own lanes (in proportion, at least one).
    const split = ready !== undefined && readyAfter > 0 && readyAfter < units && slots > 1;
    const firstLanes = split ? Math.max(1, Math.min(slots - 1, Math.round((slots * readyAfter) / units))) : slots;
    const parts = split ? [{ n: readyAfter, lanes: firstLanes }, { n: units - readyAfter, lanes: slots - firstLanes }] : [{ n: units, lanes: slots }];
    // Bound methods over the batch's state, not closures per batch (see src/util/countdown.ts).
    const run: BatchRun = { batch, dir, parts, split, pool, slots, done, readyAfter, ready, pending: parts.length };
    pool.acquire(slots, this.startBatch.bind(this, run));
  }

  /** The batch holds its lanes: its parts' requests start. */
  private startBatch(run: BatchRun): void {
    const { path, unitBytes, laneRate } = run.batch;
    for (let i = 0; i < run.parts.length; i++) {
      const { n, lanes } = run.parts[i];
      const latency = this.latencies.sum(n);
      const delay = this.admit(run.dir, n) + latency / lanes;
      this.network.transfer(path, n * unitBytes, delay, this.partLanded.bind(this, run, i), laneRate * lanes, lanes);
    }
  }

  private partLanded(run: BatchRun, i: number): void {
    if (run.split && i === 0) run.ready!();
    if (--run.pending > 0) return;
    run.pool.release(run.slots);
    if (!run.split && run.ready && run.readyAfter > 0) run.ready();
    run.done();
  }

  /**
   * Seconds until the last of `n` requests issued now is admitted by the service's request-rate
   * limit (slots 1/ops apart, shared by every client): the queue ahead plus n - 1 slots. (The
   * batch's bytes are taken to flow once all its requests are in: exact for one lane, an upper
   * bound for several.)
   */
  private admit(dir: 'read' | 'write', n: number): number {
    const now = this.sim.now;
    const ops = dir === 'read' ? this.readOps : this.writeOps;
    const next = dir === 'read' ? this.nextReadSlot : this.nextWriteSlot;
    const start = Math.max(now, next);
    if (dir === 'read') this.nextReadSlot = start + n / ops;
    else this.nextWriteSlot = start + n / ops;
    return start - now + (n - 1) / ops;
  }
}

/** How a client lays KV out in the store: LMCache chunks × TP ranks, multipart above the part size. */
export interface StorageLayout {
  readonly kvBytesPerToken: number;
  readonly blockSize: number;
  /** LMCache chunk_size, tokens: one object / file / key per chunk and rank. */
  readonly chunkTokens: number;
}

/**
 * The requests moving `blocks` blocks for a TP-`tp` client: ceil(tokens / chunk) chunks, one object
 * per chunk and rank (LMCache keys carry the worker id); an object larger than the profile's part
 * size is moved as parallel parts (S3 multipart upload / ranged GETs; a multipart upload adds a
 * create and a complete request per object).
 */
export function layoutRequests(
  profile: RemoteProfile,
  layout: StorageLayout,
  blocks: number,
  tp: number,
  dir: 'read' | 'write',
): { units: number; unitBytes: number; extraRequests: number } {
  const tokens = blocks * layout.blockSize;
  if (tokens === 0) return { units: 0, unitBytes: 0, extraRequests: 0 };
  const objects = Math.ceil(tokens / layout.chunkTokens) * tp;
  const objectBytes = (tokens * layout.kvBytesPerToken) / objects;
  const part = profile.partSize;
  if (part !== undefined && objectBytes > part) {
    const parts = Math.ceil(objectBytes / part);
    return { units: objects * parts, unitBytes: objectBytes / parts, extraRequests: dir === 'write' ? 2 * objects : 0 };
  }
  return { units: objects, unitBytes: objectBytes, extraRequests: 0 };
}

/**
 * One NFS mount's bandwidth: nconnect transport connections, each at the per-connection rate
 * scaled by how much of each RPC is payload. An RPC of `size` bytes costs `rpcOverhead` plus its
 * wire time, so efficiency(size) = size / (size + overhead × rate); the per-connection rate is
 * the one measured at rsize = 1 MiB, so efficiency is taken relative to that.
 */
export function nfsMountBandwidth(connectionRate: number, size: number, nconnect: number, rpcOverhead: number): number {
  const efficiency = (s: number) => s / (s + rpcOverhead * connectionRate);
  return nconnect * connectionRate * (efficiency(size) / efficiency(2 ** 20));
}
