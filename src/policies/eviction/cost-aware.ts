import { FrequencyPolicy, type FrequencyRecord } from './lfu.js';

export interface CostAwareOptions {
  /** Exponent of the size term of the retention benefit (vLLM RFC 23641 suggests 1-2). */
  alpha?: number;
}

/**
 * Frequency × cost-aware eviction (vLLM RFC 23641): the retention benefit of a candidate is
 * `frequency × cost × size^alpha` and the smallest benefit is evicted first, ties least recently
 * used first. Frequency is counted as in LFU (first `add` + every `access`, kept while pinned).
 * `cost` comes from `add(key, cost)` (default 1); a later `add` without a cost keeps the stored
 * one, with a cost replaces it. Every block has size 1 here, so `size^alpha` is 1 whatever
 * `alpha`; a tier that wants a prefix-length-dependent price folds it into `cost`.
 */
export class CostAwarePolicy extends FrequencyPolicy {
  readonly name = 'cost_aware';
  readonly alpha: number;
  private readonly sizeFactor: number;

  constructor(options: CostAwareOptions = {}) {
    super();
    const alpha = options.alpha ?? 1;
    if (!Number.isFinite(alpha)) throw new RangeError(`cost_aware: alpha must be finite, got ${alpha}`);
    this.alpha = alpha;
    this.sizeFactor = Math.pow(1, alpha);
  }

  override add(key: number, cost?: number): void {
    if (cost !== undefined && !(cost >= 0 && Number.isFinite(cost))) {
      throw new RangeError(`cost_aware: cost must be a finite number >= 0, got ${cost}`);
    }
    super.add(key, cost);
  }

  protected priority(r: FrequencyRecord): number {
    return r.freq * r.cost * this.sizeFactor;
  }
}
