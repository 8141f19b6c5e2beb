import type { Request } from '../workload/request.js';

/** What any router may know about an instance when choosing it. */
export interface InstanceView {
  readonly index: number;
  /** Requests assigned and not yet done with this instance (queued + running). */
  load(): number;
}

/** What a prefill router may also ask (Mooncake's Conductor inputs). */
export interface PrefillView extends InstanceView {
  /**
   * Estimated time to first token of `req` if it were queued here now: queued work ahead +
   * loading whatever prefix this instance can reuse (its HBM, its tiers, the shared pool) +
   * prefilling the rest.
   */
  estimateTtft(req: Request): number;
}

/** What a decode router may also ask. */
export interface DecodeView extends InstanceView {
  /** KV blocks not reserved by any sequence. */
  freeKvBlocks(): number;
  /** Step time (≈ TBT) if a sequence of `contextTokens` joined the current batch. */
  predictedTbt(contextTokens: number): number;
  /**
   * Summed context of the running sequences as last accounted: at most the current sum, which
   * only grows between the changes the cluster reports (for lower bounds of predictedTbt).
   */
  accountedContext(): number;
  /** The instance's decode step time for `batch` sequences whose contexts sum to `sumContext`. */
  decodeTime(batch: number, sumContext: number): number;
}

/** Picks the instance of a pool that gets a request. One small interface for every policy. */
export interface Router<V extends InstanceView = InstanceView> {
  readonly name: string;
  route(req: Request, instances: readonly V[]): number;
  /**
   * Optional: told whenever the instance at `position` of the routed pool changes its load() and,
   * for decode instances, its KV reservations or batch (indexing routers re-read it).
   */
  loadChanged?(position: number, load: number): void;
  /**
   * Optional: the cluster will report every change of these instances (loadChanged, once the
   * instance has settled it), so the router may keep an index over them instead of asking each
   * one on every request. Without it (e.g. a unit test's views) a router scans.
   */
  attach?(instances: readonly V[]): void;
  /**
   * The instance `route` would pick right now, without changing the router's state (admission
   * control asks where a request would go before it is admitted). Stateless routers: `route`.
   */
  preview(req: Request, instances: readonly V[]): number;
}
