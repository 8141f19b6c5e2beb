import type { Network } from '../network.js';
import type { BlockStore } from './block-store.js';

export type LowerTier = 'local_cpu' | 'local_disk' | 'remote';

/** A run of consecutive prefix blocks found in one lower tier. */
export interface Segment {
  readonly tier: LowerTier;
  /** Index of the first block in the request's hash list. */
  readonly start: number;
  readonly blocks: number;
}

/** How one instance reaches a tier: network resources crossed, latency, per-connection rate. */
export interface TierPath {
  readonly store: BlockStore;
  readonly readPath: readonly number[];
  readonly latency: number;
  readonly readRate: number;
  /** Nominal read bandwidth for the load-or-recompute estimate (no contention). */
  readonly nominalReadRate: number;
}

/**
 * The remote store shared by all instances, with its in-flight writes (a block becomes readable
 * only when its PUT completes) and the hit counts that decide `hot` offloading.
 */
export class RemoteTier {
  private readonly writing = new Set<number>();
  readonly hits = new Map<number, number>();

  constructor(
    private readonly network: Network,
    readonly store: BlockStore,
    readonly latency: number,
    readonly readRate: number,
    readonly writeRate: number,
    /** Service-side resources every client shares. */
    readonly readResource: number,
    readonly writeResource: number,
    private readonly blockBytes: number,
  ) {}

  /** PUTs the blocks it lacks over `path` (the writer's side, ending at the service). */
  put(hashes: readonly number[], path: readonly number[]): void {
    const todo = hashes.filter((h) => !this.store.has(h) && !this.writing.has(h));
    if (todo.length === 0) return;
    for (const h of todo) this.writing.add(h);
    this.network.transfer(path, todo.length * this.blockBytes, this.latency, () => {
      const out: number[] = [];
      for (const h of todo) {
        this.writing.delete(h);
        this.store.write(h, 1, out);
      }
    }, this.writeRate);
  }
}

export interface HierarchyConfig {
  readonly blockBytes: number;
  /** Lower tiers cache whole LMCache chunks: lookups stop at a multiple of this many blocks. */
  readonly blocksPerChunk: number;
  readonly offload: 'all' | 'hot' | 'evicted';
  readonly hotThreshold: number;
  readonly layerwise: boolean;
  readonly layers: number;
}

/**
 * One prefill instance's view of the LMCache tiers below its HBM prefix cache: local CPU DRAM and
 * local disk (its own), and a remote store shared by every instance. It finds cached prefix
 * segments, loads them as network flows (so they share PCIe, disk, NIC and the storage service
 * with everything else), demotes what HBM evicts (HBM -> DRAM -> disk), and offloads to the
 * remote tier per the offload mode (all = write-through at prefill end, hot = once a block has
 * been hit `hotThreshold` times, evicted = when it falls out of the last local tier).
 */
export class KvHierarchy {
  constructor(
    private readonly network: Network,
    readonly cpu: TierPath | undefined,
    readonly disk: TierPath | undefined,
    readonly remote: (TierPath & { readonly tier: RemoteTier; readonly writePath: readonly number[] }) | undefined,
    private readonly cfg: HierarchyConfig,
  ) {}

  get hasLowerTiers(): boolean {
    return this.cpu !== undefined || this.disk !== undefined || this.remote !== undefined;
  }

  private tierOf(hash: number): LowerTier | undefined {
    if (this.cpu?.store.has(hash)) return 'local_cpu';
    if (this.disk?.store.has(hash)) return 'local_disk';
    if (this.remote?.store.has(hash)) return 'remote';
    return undefined;
  }

  private path(tier: LowerTier): TierPath {
    return (tier === 'local_cpu' ? this.cpu : tier === 'local_disk' ? this.disk : this.remote)!;
  }

  /** Blocks from `from` on that the lower tiers hold, as tier segments, whole chunks only. */
  findSegments(hashes: readonly number[], from: number, fullBlocks: number): Segment[] {
    const segments: Segment[] = [];
    let i = from;
    while (i < fullBlocks) {
      const tier = this.tierOf(hashes[i]);
      if (tier === undefined) break;
      const last = segments[segments.length - 1];
      if (last && last.tier === tier) segments[segments.length - 1] = { ...last, blocks: last.blocks + 1 };
      else segments.push({ tier, start: i, blocks: 1 });
      i++;
    }
    // Lower tiers store whole chunks: drop a trailing part-chunk.
    const k = this.cfg.blocksPerChunk;
    let excess = (i - from) % k;
    while (excess > 0 && segments.length) {
      const last = segments[segments.length - 1];
      const cut = Math.min(excess, last.blocks);
      excess -= cut;
      if (cut === last.blocks) segments.pop();
      else segments[segments.length - 1] = { ...last, blocks: last.blocks - cut };
    }
    return segments;
  }

  /** Uncontended time to load a segment: latency + bytes / the path's nominal rate. */
  estimateLoad(seg: Segment): number {
    const p = this.path(seg.tier);
    return p.latency + (seg.blocks * this.cfg.blockBytes) / p.nominalReadRate;
  }

  /**
   * Loads the segments into HBM; `ready` runs once compute may start: when everything has landed,
   * or with layer-wise pipelining once the first layer has (the rest streams behind compute; the
   * caller only loads segments that beat recomputation, so the stream keeps ahead).
   */
  load(hashes: readonly number[], segments: readonly Segment[], ready: () => void): void {
    let pending = segments.length;
    const landed = () => {
      if (--pending === 0) ready();
    };
    for (const seg of segments) {
      const p = this.path(seg.tier);
      for (let i = seg.start; i < seg.start + seg.blocks; i++) this.noteHit(p, seg.tier, hashes[i]);
      const bytes = seg.blocks * this.cfg.blockBytes;
      const promote = () => {
        if (seg.tier !== 'local_cpu') {
          for (let i = seg.start; i < seg.start + seg.blocks; i++) this.writeCpu(hashes[i]);
        }
      };
      if (this.cfg.layerwise && this.cfg.layers > 1) {
        const first = bytes / this.cfg.layers;
        this.network.transfer(p.readPath, first, p.latency, () => {
          landed();
          this.network.transfer(p.readPath, bytes - first, 0, promote, p.readRate);
        }, p.readRate);
      } else {
        this.network.transfer(p.readPath, bytes, p.latency, () => {
          promote();
          landed();
        }, p.readRate);
      }
    }
    if (segments.length === 0) ready();
  }

  private noteHit(p: TierPath, tier: LowerTier, hash: number): void {
    p.store.read(hash);
    const remote = this.remote;
    if (!remote || this.cfg.offload !== 'hot') return;
    const n = (remote.tier.hits.get(hash) ?? 0) + 1;
    remote.tier.hits.set(hash, n);
    if (n >= this.cfg.hotThreshold && tier !== 'remote') this.writeRemote([hash]);
  }

  /** Prefill computed these blocks: write-through to the remote tier in `all` mode. */
  onComputed(hashes: readonly number[], fullBlocks: number): void {
    if (this.remote && this.cfg.offload === 'all') this.writeRemote(hashes.slice(0, fullBlocks));
  }

  /**
   * HBM evicted a block: demote it down the hierarchy. Demotions to DRAM and disk are counted but
   * not timed: they use the device-to-host PCIe direction and the disk's write side, which no
   * other traffic in the model shares, and the block's copy is usable at once (LMCache stores
   * asynchronously; a reader waits on its load, which is timed).
   */
  onHbmEvict(hash: number): void {
    if (this.cpu) this.writeCpu(hash);
    else if (this.disk) this.writeDisk(hash);
    else this.fellOut(hash);
  }

  private writeCpu(hash: number): void {
    const cpu = this.cpu;
    if (!cpu) return;
    const out: number[] = [];
    cpu.store.write(hash, 1, out);
    for (const h of out) {
      if (this.disk) this.writeDisk(h);
      else this.fellOut(h);
    }
  }

  private writeDisk(hash: number): void {
    const disk = this.disk!;
    const out: number[] = [];
    disk.store.write(hash, 1, out);
    for (const h of out) this.fellOut(h);
  }

  /** A block left the last local tier. */
  private fellOut(hash: number): void {
    if (this.remote && this.cfg.offload === 'evicted') this.writeRemote([hash]);
  }

  private writeRemote(hashes: readonly number[]): void {
    this.remote!.tier.put(hashes, this.remote!.writePath);
  }
}

