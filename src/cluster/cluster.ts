import type { Simulator } from '../engine/simulator.js';
import type { MetricsCollector } from '../metrics/collector.js';
import { newRecord, type RequestRecord } from '../metrics/request-record.js';
import { ROUTERS } from '../policies/registry.js';
import type { Router } from '../policies/router.js';
import type { Request } from '../workload/request.js';
import { DecodeInstance } from './decode-instance.js';
import { Network } from './network.js';
import type { ClusterPlan, PoolPlan } from './plan.js';
import { PrefillInstance } from './prefill-instance.js';

/**
 * A prefill/decode-disaggregated cluster: requests are routed to a prefill instance, prefilled
 * (first token), routed to a decode instance, which reserves KV, pulls it over the network and
 * decodes the rest. Nodes 0..P-1 are prefill nodes, P..P+D-1 decode nodes (for the network).
 */
export class Cluster {
  readonly prefill: PrefillInstance[] = [];
  readonly decode: DecodeInstance[] = [];
  readonly network: Network;
  private readonly prefillRouter: Router;
  private readonly decodeRouter: Router;
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
    blockSize: number,
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
    for (let i = 0; i < p.instances; i++) {
      this.prefill.push(
        new PrefillInstance(i, Math.floor(i / p.instancesPerNode), sim, p.stepModel, limits(p), blockSize,
          prefillBlocks, metrics.prefill, (rec) => this.onPrefilled(rec)),
      );
    }
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
    this.prefillRouter = ROUTERS[p.config.router]();
    this.decodeRouter = ROUTERS[d.config.router]();
  }

  /** KV bytes handed off from prefill to decode. */
  get handoffBytes(): number {
    return this.kvHandoffBytes;
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

  private onFinished(_rec: RequestRecord): void {
    this.unfinished--;
  }
}
