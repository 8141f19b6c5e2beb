import type { Simulator } from '../engine/simulator.js';
import { registered } from '../util/own.js';
import type { MetricsCollector, OccupancySample, PoolStats } from '../metrics/collector.js';
import { newRecord, type RequestRecord } from '../metrics/request-record.js';
import { EVICTION_POLICIES } from '../policies/eviction/registry.js';
import { policyRng } from '../policies/policy-rng.js';
import { CacheAwareIndex, INDEXED_DEPTH } from '../policies/cache-aware-index.js';
import { CacheAwareRouter } from '../policies/cache-aware.js';
import { TbtIndex } from '../policies/decode-indexes.js';
import { DECODE_ROUTERS, PREFILL_ROUTERS } from '../policies/registry.js';
import type { CacheListener } from '../storage/kv-tiers/pool-directory.js';
import type { DecodeView, PrefillView, Router } from '../policies/router.js';
import type { Request } from '../workload/request.js';
import { TRANSPORTS } from './catalog/transports.js';
import { ColocatedInstance } from './colocated-instance.js';
import { DecodeInstance } from './decode-instance.js';
import { buildTiers, type InstancePorts, type TierStores } from '../storage/kv-tiers/build.js';
import type { RemoteClient } from '../storage/kv-tiers/hierarchy.js';
import { Network } from './network.js';
import type { ClusterPlan, PoolPlan } from './plan.js';
import { PrefillInstance } from './prefill-instance.js';
import { PrefixCache } from './prefix-cache.js';
import { matmulParamsPerToken } from './step-time.js';
import { Topology } from './topology.js';
import { InputError } from '../scenario/input-error.js';

/** Where an instance sits: its node, its first device and the NICs next to its devices. */
interface Placement {
  readonly pool: PoolPlan;
  readonly node: number;
  readonly firstDevice: number;
  readonly nics: number[];
}

/**
 * The simulated cluster. `disaggregated` (default): requests are routed to a prefill instance,
 * prefilled, routed to a decode instance, which reserves KV, pulls it over the network and
 * generates every client-visible token (vLLM PD proxy semantics). `colocated`: every instance of both pools runs vLLM-style mixed
 * batches (chunked prefill + decode) on the same hardware, the baseline disaggregation is
 * compared against. Admission control (optional) rejects requests predicted to miss their SLO.
 */
export class Cluster {
  readonly prefill: PrefillInstance[] = [];
  readonly decode: DecodeInstance[] = [];
  readonly colocated: ColocatedInstance[] = [];
  readonly network: Network;
  readonly topology: Topology;
  readonly tierStores: TierStores;
  private readonly prefillRouter: Router<PrefillView>;
  private readonly decodeRouter: Router<DecodeView>;
  /** Least predicted TBT over the decode pool, for TBT admission (see TbtIndex). */
  private admissionTbt: TbtIndex | undefined;
  private readonly kvBytesPerToken: number;
  private readonly placement = new Map<PrefillInstance | DecodeInstance | ColocatedInstance, Placement>();
  private kvHandoffBytes = 0;
  /** Remote-store clients of decode instances that save their KV (one NFS mount each). */
  private readonly decodeClients = new Map<number, RemoteClient>();
  /** Largest prompt (and prompt + answer) any instance could ever hold; beyond that: rejected. */
  private readonly maxPromptTokens: number;
  private readonly maxSequenceTokens: number;
  private unfinished = 0;
  /** Instances' end-of-request callback: a bound method, not a closure per run (see src/util/countdown.ts). */
  private readonly finished = this.onFinished.bind(this);

  constructor(
    private readonly sim: Simulator,
    readonly plan: ClusterPlan,
    private readonly metrics: MetricsCollector,
    private readonly blockSize: number,
    /** Internal: decode instances take one event per step (the reference analytic stepping is tested against). */
    opts: { steppedDecode?: boolean; scanRouting?: boolean } = {},
  ) {
    const p = plan.prefill;
    const d = plan.decode;
    const model = plan.model;
    this.kvBytesPerToken = p.stepModel.kvBytesPerToken;
    this.network = new Network(sim);
    this.topology = new Topology(this.network, plan.transportEfficiency);

    const place = (pool: PoolPlan): Placement[] => {
      const out: Placement[] = [];
      for (let n = 0; n < pool.config.nodes; n++) {
        const node = this.topology.addNode(pool.nics, pool.nicLineRate, pool.config.devices_per_node);
        for (let k = 0; k < pool.instancesPerNode; k++) {
          const firstDevice = k * pool.config.tp;
          out.push({ pool, node, firstDevice, nics: this.topology.preferred(node, firstDevice, pool.config.tp) });
        }
      }
      return out;
    };
    for (const pool of [p, d]) {
      if (pool.kvPageSizeExplicit && blockSize % pool.kvPageSize !== 0) {
        throw new InputError(plan.file, `${pool.role}.kv_page_size`, `${pool.kvPageSize} tokens must divide the workload's ${blockSize}-token hash blocks`);
      }
    }
    // Every pool's KV is allocated in pages (vLLM block_size); hash blocks are whole pages.
    const pageOf = (pool: PoolPlan) => kvPageSize(pool.kvPageSize, blockSize);
    const pagesOf = (pool: PoolPlan) => Math.floor(pool.kvTokensPerInstance / pageOf(pool));
    /** Longest sequence whose KV one instance of `pool` can hold. */
    const tokensOf = (pool: PoolPlan) => pagesOf(pool) * pageOf(pool);
    const prefillPlaces = place(p);
    const decodePlaces = place(d);
    const colocated = plan.mode === 'colocated';
    // In colocated mode both pools' instances do prefill and decode, and all of them cache.
    const cachePlaces = colocated ? [...prefillPlaces, ...decodePlaces] : prefillPlaces;

    // Recomputing block j costs its linear FLOPs plus attention over the j blocks before it
    // (1 + a·(j + ½) in units of one block's linear FLOPs). Losing block i of an n-block prefix
    // loses it and every block after it (they are unreachable without it): Σ_{j=i}^{n-1}.
    const a = (4 * model.layers * model.heads * model.headDim * blockSize) / (2 * matmulParamsPerToken(model));
    const blockCost = (i: number, n: number) => n - i + (a * (n * n - i * i)) / 2;
    const tiers = buildTiers({
      network: this.network,
      sim,
      cfg: plan.cache,
      instances: cachePlaces.map((pl) => this.nicPorts(pl)),
      blockSize,
      kvBytesPerToken: this.kvBytesPerToken,
      layers: model.layers,
      file: plan.file,
      peerFetch: plan.cache.global_pool || p.config.router === 'kv_balance',
      rdmaLatency: TRANSPORTS.rdma.latency,
      seed: plan.seed,
      blockCost,
    });
    this.tierStores = tiers.stores;
    // cache_aware scores only the instances that can win when nothing below HBM can be reused
    // (see CacheAwareIndex); its holder index listens to the HBM caches.
    this.prefillRouter = registered(PREFILL_ROUTERS, p.config.router, 'router')(policyRng(plan.seed, 'router:prefill'));
    const router = this.prefillRouter;
    const indexed = !opts.scanRouting && router instanceof CacheAwareRouter && !colocated && tiers.hierarchies.every((h) => h === undefined) && tiers.hbmListeners.every((l) => l === undefined);
    let index: CacheAwareIndex | undefined;
    const holderListener = (i: number): CacheListener => ({ added: (h, s, depth) => index!.added(i, h, s, depth), removed: (h, s) => index!.removed(i, h, s) });
    const cacheFor = (i: number, pool: PoolPlan) => {
      const hierarchy = tiers.hierarchies[i];
      const pages = pagesOf(pool);
      return new PrefixCache(
        pages,
        registered(EVICTION_POLICIES, plan.cache.hbm_eviction, 'eviction policy')(pages, { alpha: plan.cache.cost_aware_alpha, aging: plan.cache.lfu_aging, rng: policyRng(plan.seed, `eviction:hbm:${i}`), expectedKeys: Math.floor(pages / (blockSize / pageOf(pool))) }),
        hierarchy && ((h, cost) => hierarchy.onHbmEvict(h, cost)),
        blockCost,
        indexed ? holderListener(i) : tiers.hbmListeners[i],
        blockSize / pageOf(pool),
        indexed ? INDEXED_DEPTH : Infinity,
      );
    };
    const limits = (pool: PoolPlan) => ({
      maxNumSeqs: pool.config.max_num_seqs,
      maxNumBatchedTokens: pool.config.max_num_batched_tokens,
    });
    const statsFor = (pool: PoolPlan): PoolStats => (pool === p ? metrics.prefill : metrics.decode);
    // Batch occupancy: decode steps are bounded by sequences, prefill and mixed steps by tokens.
    metrics.prefill.batchCapacity = p.config.max_num_batched_tokens;
    metrics.decode.batchCapacity = plan.mode === 'colocated' ? d.config.max_num_batched_tokens : d.config.max_num_seqs;

    if (colocated) {
      cachePlaces.forEach((pl, i) => {
        const inst = new ColocatedInstance(i, pl.node, sim, pl.pool.stepModel, limits(pl.pool), blockSize,
          cacheFor(i, pl.pool), statsFor(pl.pool), metrics.interTokenGaps,
          this.finished, tiers.hierarchies[i]);
        this.colocated.push(inst);
        this.placement.set(inst, pl);
      });
      const smallest = Math.min(tokensOf(p), tokensOf(d));
      this.maxPromptTokens = smallest;
      this.maxSequenceTokens = smallest;
    } else {
      prefillPlaces.forEach((pl, i) => {
        const inst = new PrefillInstance(i, pl.node, sim, p.stepModel, limits(p), blockSize, cacheFor(i, p),
          metrics.prefill, this.onPrefilled.bind(this), tiers.hierarchies[i]);
        this.prefill.push(inst);
        this.placement.set(inst, pl);
      });
      decodePlaces.forEach((pl, i) => {
        // Decode KV is paged (vLLM block_size), not held in hash blocks: no prefix matching there.
        const inst = new DecodeInstance(i, pl.node, sim, d.stepModel, limits(d), pageOf(d), pagesOf(d),
          metrics.decode, metrics.interTokenGaps, this.pullKv.bind(this), this.finished, opts.steppedDecode ?? false);
        this.decode.push(inst);
        this.placement.set(inst, pl);
      });
      this.maxPromptTokens = tokensOf(p);
      this.maxSequenceTokens = tokensOf(d);
    }
    if (indexed) {
      const first = this.prefill[0];
      index = new CacheAwareIndex(this.prefill, { secondsPerToken: first.secondsPerToken, prefillTime: (n, c) => p.stepModel.prefillTime(n, c) });
      const changed = index.changed.bind(index);
      for (const inst of this.prefill) inst.routingListener = changed;
      (router as CacheAwareRouter).index = index;
      (router as CacheAwareRouter).blockSize = blockSize;
    }
    this.decodeRouter = registered(DECODE_ROUTERS, d.config.router, 'router')(policyRng(plan.seed, 'router:decode'));
    // Every change of a decode instance's reservations or batch reaches the router, once settled.
    if (this.decode.length && !opts.scanRouting) {
      this.decodeRouter.attach?.(this.decode);
      // TBT admission asks for the least predicted step time over the pool: the same lower-bound walk.
      if (plan.admission?.tbt !== undefined) this.admissionTbt = new TbtIndex(this.decode);
    }
    const decodeChanged = this.decodeChanged.bind(this);
    for (const inst of this.decode) inst.routingListener = decodeChanged;
  }

  private decodeChanged(i: number): void {
    this.decodeRouter.loadChanged?.(i, this.decode[i].load());
    this.admissionTbt?.changed(i);
  }

  /** KV bytes handed off from prefill to decode. */
  get handoffBytes(): number {
    return this.kvHandoffBytes;
  }

  /** Every HBM prefix cache (prefill or colocated instances). */
  get caches(): PrefixCache[] {
    return this.colocated.length ? this.colocated.map((c) => c.cache) : this.prefill.map((p) => p.cache);
  }

  /** Blocks held by each cache tier right now, summed over instances. */
  occupancy(time: number): OccupancySample {
    return {
      time,
      hbm: usedBlocks(this.caches),
      local_cpu: usedBlocks(this.tierStores.localCpu),
      local_disk: usedBlocks(this.tierStores.localDisk),
      remote: this.tierStores.remote?.store.usedBlocks ?? 0,
    };
  }

  /** Requests admitted and not yet finished. */
  get inFlight(): number {
    return this.unfinished;
  }

  /** A request arrives now. */
  submit(req: Request): void {
    const rec = newRecord(req);
    this.metrics.log.submitted(rec);
    this.admit(rec);
    if (rec.rejected !== '') this.metrics.log.settled(rec);
  }

  /** Rejects the request (sets `rejected`) or enqueues it at a prefill instance. */
  private admit(rec: RequestRecord): void {
    const req = rec.req;
    // A prompt that fits no instance would wait forever: reject it, counted, instead of hanging.
    if (req.inputTokens > this.maxPromptTokens) {
      rec.rejected = `capacity: prompt of ${req.inputTokens} tokens exceeds an instance's KV capacity (${this.maxPromptTokens})`;
      return;
    }
    if (req.inputTokens + req.outputTokens > this.maxSequenceTokens) {
      rec.rejected = `capacity: prompt+output of ${req.inputTokens + req.outputTokens} tokens exceeds an instance's KV capacity (${this.maxSequenceTokens})`;
      return;
    }
    const pool: readonly (PrefillInstance | ColocatedInstance)[] = this.colocated.length ? this.colocated : this.prefill;
    const target = pool[this.prefillRouter.route(req, pool)];
    const reason = this.admission(req, target);
    if (reason) {
      rec.rejected = reason;
      return;
    }
    this.unfinished++;
    target.enqueue(rec);
    this.prefillRouter.loadChanged?.(target.index, target.load());
  }

  /** Mooncake-style early rejection: a reason if the request is predicted to miss its SLO. */
  private admission(req: Request, target: PrefillView): string {
    const a = this.plan.admission;
    if (!a) return '';
    if (a.ttft !== undefined) {
      const ttft = this.predictTtft(req, target);
      if (ttft > a.ttft) return `ttft: predicted TTFT ${ttft.toFixed(3)} s > limit ${a.ttft} s`;
    }
    if (a.tbt !== undefined && this.decode.length && req.outputTokens > 1) {
      const context = req.inputTokens + 1;
      const tbt = this.admissionTbt
        ? this.decode[this.admissionTbt.best(context)].predictedTbt(context)
        : Math.min(...this.decode.map((d) => d.predictedTbt(context)));
      if (tbt > a.tbt) return `tbt: predicted TBT ${tbt.toFixed(4)} s > limit ${a.tbt} s`;
    }
    return '';
  }

  /**
   * Predicted client-visible TTFT of `req` if sent to `target` now. Colocated: the instance's own
   * estimate (its first token is streamed). Disaggregated, as vLLM's PD proxy serves it: the
   * prefill estimate, then — on the decode instance the decode router would pick now — the KV
   * reservation (granted at the later of prefill end and the predicted room), the handoff at the
   * path's current fair share, and the first decode step over the prompt.
   */
  predictTtft(req: Request, target: PrefillView): number {
    const prefill = target.estimateTtft(req);
    if (this.colocated.length) return prefill;
    const from = this.prefill[target.index];
    const into = this.decode[this.decodeRouter.preview(req, this.decode)];
    const reserved = Math.max(prefill, into.predictReservationWait(req));
    return reserved + this.predictHandoff(req, from, into) + into.predictedTbt(req.inputTokens);
  }

  /**
   * Predicted KV handoff time: latency + prompt KV bytes at the current fair share of one flow over
   * the instances' least loaded NICs (a striped handoff is faster: an upper bound then).
   */
  predictHandoff(req: Request, from: PrefillInstance, into: DecodeInstance): number {
    const src = this.placement.get(from)!;
    const dst = this.placement.get(into)!;
    const t = this.plan.transport;
    // The path's fair share is the least over its resources: the least of its two halves' (no joined array).
    const share = Math.min(
      this.network.fairShare(this.topology.path(src.node, this.topology.pick(src.node, src.nics, 'egress'), 'egress', t)),
      this.network.fairShare(this.topology.path(dst.node, this.topology.pick(dst.node, dst.nics, 'ingress'), 'ingress', t)),
    );
    return this.plan.transferLatency + (req.inputTokens * this.kvBytesPerToken) / share;
  }

  private onPrefilled(rec: RequestRecord): void {
    // Every request is handed off, even a one-token answer: behind vLLM's PD proxy the client's
    // tokens all come from the decode instance.
    const i = this.decodeRouter.route(rec.req, this.decode);
    this.decode[i].handoff(rec);
  }

  /** An instance's NIC as storage and peer traffic sees it: fixed at build, per transport. */
  private nicPorts(pl: Placement): InstancePorts {
    const egress = this.topology.pick(pl.node, pl.nics, 'egress');
    const ingress = this.topology.pick(pl.node, pl.nics, 'ingress');
    return {
      nicOut: this.topology.path.bind(this.topology, pl.node, egress, 'egress'),
      nicIn: this.topology.path.bind(this.topology, pl.node, ingress, 'ingress'),
      tp: pl.pool.config.tp,
      egressLoad: this.topology.load.bind(this.topology, pl.node, egress, 'egress'),
    };
  }

  /**
   * Pulls the prompt's KV from the prefill instance. NIXL moves each TP rank's shard itself: the
   * transfer is split into max(tp_src, tp_dst) stripes (a decode rank reads the part of the prefill
   * rank's shard holding its heads), each over the NICs next to its ranks' devices (falling back to
   * a less loaded NIC of the node), in parallel; done when the last stripe lands. `handoff: single`
   * uses one NIC per side (the least loaded of the instance's own).
   */
  private pullKv(rec: RequestRecord, into: DecodeInstance): void {
    const from = this.prefill[rec.prefillInstance];
    const bytes = rec.req.inputTokens * this.kvBytesPerToken;
    this.kvHandoffBytes += bytes;
    const src = this.placement.get(from)!;
    const dst = this.placement.get(into)!;
    const t = this.plan.transport;
    const done = this.handedOff.bind(this, rec, into);
    if (!this.plan.stripeHandoff) {
      const path = joined(
        this.topology.path(src.node, this.topology.pick(src.node, src.nics, 'egress'), 'egress', t),
        this.topology.path(dst.node, this.topology.pick(dst.node, dst.nics, 'ingress'), 'ingress', t),
      );
      this.network.transfer(path, bytes, this.plan.transferLatency, done);
      return;
    }
    const tpSrc = src.pool.config.tp;
    const tpDst = dst.pool.config.tp;
    const stripes = Math.max(tpSrc, tpDst);
    const paths: (readonly number[])[] = [];
    for (let k = 0; k < stripes; k++) {
      const srcNic = this.topology.nicOfDevice(src.node, src.firstDevice + Math.floor((k * tpSrc) / stripes));
      const dstNic = this.topology.nicOfDevice(dst.node, dst.firstDevice + Math.floor((k * tpDst) / stripes));
      paths.push(joined(
        this.topology.path(src.node, this.topology.pickForRank(src.node, srcNic, 'egress'), 'egress', t),
        this.topology.path(dst.node, this.topology.pickForRank(dst.node, dstNic, 'ingress'), 'ingress', t),
      ));
    }
    this.network.transferAll(paths, bytes / stripes, this.plan.transferLatency, done);
  }

  /** The KV of `rec` has landed at `into`. */
  private handedOff(rec: RequestRecord, into: DecodeInstance): void {
    this.releasePrefillKv(rec);
    into.onTransferred(rec);
  }

  private releasePrefillKv(rec: RequestRecord): void {
    const from = this.prefill[rec.prefillInstance];
    from.releaseKv(rec);
    this.prefillRouter.loadChanged?.(from.index, from.load());
  }

  private onFinished(rec: RequestRecord): void {
    this.unfinished--;
    if (this.colocated.length) {
      const at = this.colocated[rec.prefillInstance];
      this.prefillRouter.loadChanged?.(at.index, at.load());
    }
    this.metrics.log.settled(rec);
    const remote = this.tierStores.remote;
    if (remote && this.plan.cache.save_decode_cache && rec.decodeInstance >= 0) {
      // The decode side keeps the request's KV in the shared store (the prompt's full blocks: the
      // hashes of generated tokens are not in the workload, so they cannot be reused by id).
      const r = rec.req;
      const at = this.placement.get(this.decode[rec.decodeInstance])!;
      let client = this.decodeClients.get(rec.decodeInstance);
      if (!client) {
        client = this.tierStores.remoteClient!(this.nicPorts(at));
        this.decodeClients.set(rec.decodeInstance, client);
      }
      remote.put(r.blockHashes, Math.floor(r.inputTokens / this.blockSize), undefined, client);
    }
  }
}

/** Blocks held by `stores` together (a module function, not a closure per call: see src/util/countdown.ts). */
function usedBlocks(stores: readonly { usedBlocks: number }[]): number {
  let sum = 0;
  for (const x of stores) sum += x.usedBlocks;
  return sum;
}

/**
 * `a` then `b` in a new array (Array.prototype.concat is several times slower on this hot path). Not
 * memoized per pair: a 1,000-node cluster meets millions of NIC pairs, and a memo of them grew for
 * the whole run (5% of a production-day profile in its lookups), where a short-lived array per
 * stripe is cheap young-generation garbage.
 */
function joined(a: readonly number[], b: readonly number[]): number[] {
  // Two [wire, stack] halves (Topology.path): one packed literal, not an array grown by pushes.
  if (a.length === 2 && b.length === 2) return [a[0], a[1], b[0], b[1]];
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) out.push(a[i]);
  for (let i = 0; i < b.length; i++) out.push(b[i]);
  return out;
}

/**
 * The KV page size in use: the configured one, or — when a device default does not divide the
 * workload's hash block (e.g. Gaudi's 128 with 16-token synthetic blocks) — the largest size that
 * divides both, so a scenario that never mentions pages is not rejected for the device's default.
 */
export function kvPageSize(configured: number, hashBlock: number): number {
  let a = configured;
  let b = hashBlock;
  while (b) [a, b] = [b, a % b];
  return a;
}
