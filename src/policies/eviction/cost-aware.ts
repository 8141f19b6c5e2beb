import { FrequencyPolicy, type FrequencyRecord } from './lfu.js';

export interface CostAwareOptions {
  /** Exponent of the recompute cost in the retention benefit (vLLM RFC 23641: 2). */
  alpha?: number;
  /** Dynamic aging, as LFU-DA (see FrequencyPolicy). */
  aging?: boolean;
}

/**
 * Frequency × cost-aware eviction (vLLM RFC 23641): the retention benefit of a candidate is
 * `frequency × cost^alpha` and the smallest benefit is evicted first, ties least recently used
 * first. The RFC prices a prefix of `size` as `size^alpha` (alpha = 2: attention grows with the
 * square of the length; smaller with FlashAttention-style kernels). Here the tiers pass `cost` =
 * what losing the block costs to recompute — it and every block after it in its prefix, linear
 * FLOPs plus attention, in units of one block's linear FLOPs — so `alpha = 1` ranks by recompute
 * FLOPs exactly and the RFC's default 2 additionally favours long prefixes. Frequency is counted as
 * in LFU (first `add` + every `access`, kept while pinned). `cost` comes from `add(key, cost)`
 * (default 1); a later `add` without a cost keeps the stored one, with a cost replaces it.
 */
export class CostAwarePolicy extends FrequencyPolicy {
  readonly name = 'cost_aware';
  readonly usesCost = true;
  readonly alpha: number;

  constructor(options: CostAwareOptions = {}) {
    super();
    const alpha = options.alpha ?? 2;
    if (!Number.isFinite(alpha)) throw new RangeError(`cost_aware: alpha must be finite, got ${alpha}`);
    this.alpha = alpha;
    this.aging = options.aging ?? false;
  }

  override add(key: number, cost?: number): void {
    if (cost !== undefined && !(cost >= 0 && Number.isFinite(cost))) {
      throw new RangeError(`cost_aware: cost must be a finite number >= 0, got ${cost}`);
    }
    super.add(key, cost);
  }

  protected priority(r: FrequencyRecord): number {
    return r.freq * Math.pow(r.cost, this.alpha);
  }
}
