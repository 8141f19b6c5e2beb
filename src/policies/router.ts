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
}

/** Picks the instance of a pool that gets a request. One small interface for every policy. */
export interface Router<V extends InstanceView = InstanceView> {
  readonly name: string;
  route(req: Request, instances: readonly V[]): number;
  /**
   * Optional: told whenever the instance at `position` of the routed pool changes its load()
   * (load-ordered routers keep an index instead of asking every instance).
   */
  loadChanged?(position: number, load: number): void;
}
