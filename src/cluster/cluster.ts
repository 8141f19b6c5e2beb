import type { Simulator } from '../engine/simulator.js';
import type { MetricsCollector, OccupancySample } from '../metrics/collector.js';
import { newRecord, type RequestRecord } from '../metrics/request-record.js';
import { DECODE_ROUTERS, PREFILL_ROUTERS } from '../policies/registry.js';
import type { DecodeView, PrefillView, Router } from '../policies/router.js';
import type { Request } from '../workload/request.js';
import { DecodeInstance } from './decode-instance.js';
import { Network } from './network.js';
import type { ClusterPlan, PoolPlan } from './plan.js';
import { PrefillInstance } from './prefill-instance.js';
import { PrefixCache } from './prefix-cache.js';
import { matmulParamsPerToken } from './step-time.js';
import { buildTiers, type TierStores } from './kv-tiers/build.js';
import { TRANSPORTS } from './catalog/transports.js';
import { EVICTION_POLICIES } from '../policies/eviction/registry.js';

/**
 * A prefill/decode-disaggregated cluster: requests are routed to a prefill instance, prefilled
 * (first token), routed to a decode instance, which reserves KV, pulls it over the network and
 * decodes the rest. Nodes 0..P-1 are prefill nodes, P..P+D-1 decode nodes (for the network).
 */
export class Cluster {
  readonly prefill: PrefillInstance[] = [];
  readonly decode: DecodeInstance[] = [];
  readonly network: Network;
  readonly tierStores: TierStores;
  private readonly prefillRouter: Router<PrefillView>;
  private readonly decodeRouter: Router<DecodeView>;
  private readonly kvBytesPerToken: number;
  /** Network resources of each node's NICs (full duplex: separate egress and ingress). */
  private readonly egress: number[];
  private readonly ingress: number[];
  private kvHandoffBytes = 0;
  private readonly prefillCapacityTokens: number;
  private readonly decodeCapacityTokens: number;
  private unfinished = 0;

  constructor(
    private readonly sim: Simulator,
    readonly plan: ClusterPlan,
    private readonly metrics: MetricsCollector,
    private readonly blockSize: number,
  ) {
    const p = plan.prefill;
    const d = plan.decode;
    this.kvBytesPerToken = p.stepModel.kvBytesPerToken;
    const prefillBlocks = Math.floor(p.kvTokensPerInstance / blockSize);
    const decodeBlocks = Math.floor(d.kvTokensPerInstance / blockSize);
    this.prefillCapacityTokens = prefillBlocks * blockSize;
    this.decodeCapacityTokens = decodeBlocks * blockSize;
    const limits = (pool: PoolPlan) => ({
      maxNumSeqs: pool.config.max_num_seqs,
      maxNumBatchedTokens: pool.config.max_num_batched_tokens,
    });
    for (let i = 0; i < d.instances; i++) {
      this.decode.push(
        new DecodeInstance(i, p.config.nodes + Math.floor(i / d.instancesPerNode), sim, d.stepModel, limits(d),
          blockSize, decodeBlocks, metrics.decode, metrics.interTokenGaps,
          (rec, into) => this.pullKv(rec, into), (rec) => this.onFinished(rec)),
      );
    }
    const nodeBandwidth = [
      ...new Array<number>(p.config.nodes).fill(p.nodeBandwidth),
      ...new Array<number>(d.config.nodes).fill(d.nodeBandwidth),
    ];
    this.network = new Network(sim);
    this.egress = nodeBandwidth.map((bw) => this.network.addResource(bw));
    this.ingress = nodeBandwidth.map((bw) => this.network.addResource(bw));
    const model = plan.model;
    const tiers = buildTiers(
      this.network,
      plan.cache,
      Array.from({ length: p.instances }, (_, i) => {
        const node = Math.floor(i / p.instancesPerNode);
        return { nicEgress: this.egress[node], nicIngress: this.ingress[node], tp: p.config.tp, nicBandwidth: p.nodeBandwidth };
      }),
      blockSize,
      this.kvBytesPerToken,
      model.layers,
      plan.file,
      plan.cache.global_pool || p.config.router === 'kv_balance',
      TRANSPORTS.rdma.latency,
    );
    this.tierStores = tiers.stores;
    // Recomputing block i costs its linear FLOPs plus attention over the i blocks before it.
    const attentionPerBlock = (4 * model.layers * model.heads * model.headDim * blockSize) / (2 * matmulParamsPerToken(model));
    const blockCost = (i: number) => 1 + attentionPerBlock * (i + 0.5);
    for (let i = 0; i < p.instances; i++) {
      const hierarchy = tiers.hierarchies[i];
      const cache = new PrefixCache(
        prefillBlocks,
        EVICTION_POLICIES[plan.cache.hbm_eviction](prefillBlocks),
        hierarchy && ((h) => hierarchy.onHbmEvict(h)),
        blockCost,
        tiers.hbmListeners[i],
      );
      this.prefill.push(
        new PrefillInstance(i, Math.floor(i / p.instancesPerNode), sim, p.stepModel, limits(p), blockSize,
          cache, metrics.prefill, (rec) => this.onPrefilled(rec), hierarchy),
      );
    }
    this.prefillRouter = PREFILL_ROUTERS[p.config.router]();
    this.decodeRouter = DECODE_ROUTERS[d.config.router]();
  }

  /** KV bytes handed off from prefill to decode. */
  get handoffBytes(): number {
    return this.kvHandoffBytes;
  }

  /** Blocks held by each cache tier right now, summed over instances. */
  occupancy(time: number): OccupancySample {
    const sum = (stores: readonly { usedBlocks: number }[]) => stores.reduce((s, x) => s + x.usedBlocks, 0);
    return {
      time,
      hbm: this.prefill.reduce((s, p) => s + p.cache.usedBlocks, 0),
      local_cpu: sum(this.tierStores.localCpu),
      local_disk: sum(this.tierStores.localDisk),
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
    this.metrics.records.push(rec);
    // A prompt that fits no instance would wait forever: reject it, counted, instead of hanging.
    if (req.inputTokens > this.prefillCapacityTokens) {
      rec.rejected = `prompt of ${req.inputTokens} tokens exceeds a prefill instance's KV capacity (${this.prefillCapacityTokens})`;
      return;
    }
    if (req.outputTokens > 1 && req.inputTokens + req.outputTokens > this.decodeCapacityTokens) {
      rec.rejected = `prompt+output of ${req.inputTokens + req.outputTokens} tokens exceeds a decode instance's KV capacity (${this.decodeCapacityTokens})`;
      return;
    }
    this.unfinished++;
    const i = this.prefillRouter.route(req, this.prefill);
    this.prefill[i].enqueue(rec);
  }

  private onPrefilled(rec: RequestRecord): void {
    if (rec.req.outputTokens <= 1) {
      // The only token came out of prefill: nothing to hand off.
      rec.finish = rec.firstToken;
      this.prefill[rec.prefillInstance].releaseKv(rec);
      this.onFinished(rec);
      return;
    }
    const i = this.decodeRouter.route(rec.req, this.decode);
    this.decode[i].handoff(rec);
  }

  private pullKv(rec: RequestRecord, into: DecodeInstance): void {
    const from = this.prefill[rec.prefillInstance];
    const bytes = rec.req.inputTokens * this.kvBytesPerToken;
    this.kvHandoffBytes += bytes;
    const path = [this.egress[from.node], this.ingress[into.node]];
    this.network.transfer(path, bytes, this.plan.transferLatency, () => {
      from.releaseKv(rec);
      into.onTransferred(rec);
    });
  }

  private onFinished(rec: RequestRecord): void {
    this.unfinished--;
    const remote = this.tierStores.remote;
    if (remote && this.plan.cache.save_decode_cache && rec.decodeInstance >= 0) {
      // The decode side keeps the request's KV in the shared store (the prompt's full blocks: the
      // hashes of generated tokens are not in the workload, so they cannot be reused by id).
      const r = rec.req;
      const node = this.decode[rec.decodeInstance].node;
      remote.put(r.blockHashes.slice(0, Math.floor(r.inputTokens / this.blockSize)), [this.egress[node], remote.writeResource]);
    }
  }
}
