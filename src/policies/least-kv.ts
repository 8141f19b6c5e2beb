import { FreeKvIndex } from './decode-indexes.js';
import type { DecodeView, Router } from './router.js';

/** Decode: the instance with the most free KV (fewest reserved blocks); ties to the lower index. */
export class LeastKvRouter implements Router<DecodeView> {
  readonly name = 'least_kv';
  private index: FreeKvIndex | undefined;

  route(_req: unknown, instances: readonly DecodeView[]): number {
    if (this.index) return instances[this.index.best()].index;
    let best = instances[0];
    for (const v of instances) if (v.freeKvBlocks() > best.freeKvBlocks()) best = v;
    return best.index;
  }

  /** Stateless: the same pick as `route`. */
  preview(req: unknown, instances: readonly DecodeView[]): number {
    return this.route(req, instances);
  }

  attach(instances: readonly DecodeView[]): void {
    this.index = new FreeKvIndex(instances);
  }

  loadChanged(position: number): void {
    this.index?.changed(position);
  }
}
