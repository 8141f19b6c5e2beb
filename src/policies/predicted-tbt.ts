import type { Request } from '../workload/request.js';
import { TbtIndex } from './decode-indexes.js';
import type { DecodeView, Router } from './router.js';

/**
 * Decode: the instance whose step time (≈ TBT) would be lowest with this sequence added
 * (Mooncake's decode selection keeps TBT within SLO); ties go to the one with more free KV.
 */
export class PredictedTbtRouter implements Router<DecodeView> {
  readonly name = 'predicted_tbt';
  private index: TbtIndex | undefined;

  route(req: Request, instances: readonly DecodeView[]): number {
    const context = req.inputTokens + 1;
    if (this.index) return instances[this.index.best(context)].index;
    let best = instances[0];
    let bestTbt = Infinity;
    for (const v of instances) {
      const t = v.predictedTbt(context);
      if (t < bestTbt || (t === bestTbt && v.freeKvBlocks() > best.freeKvBlocks())) {
        best = v;
        bestTbt = t;
      }
    }
    return best.index;
  }

  /** Stateless: the same pick as `route`. */
  preview(req: Request, instances: readonly DecodeView[]): number {
    return this.route(req, instances);
  }

  attach(instances: readonly DecodeView[]): void {
    this.index = new TbtIndex(instances);
  }

  loadChanged(position: number): void {
    this.index?.changed(position);
  }
}
