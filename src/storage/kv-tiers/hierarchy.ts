import type { Network } from '../../cluster/network.js';
import type { BlockStore } from './block-store.js';
import type { PoolDirectory } from './pool-directory.js';

export type LowerTier = 'local_cpu' | 'local_disk' | 'pool' | 'remote';

/** A run of consecutive prefix blocks found in one lower tier. */
export interface Segment {
  readonly tier: LowerTier;
  /** Index of the first block in the request's hash list. */
  readonly start: number;
  readonly blocks: number;
  /** For 'pool': the peer instance the blocks are read from (else -1). */
  readonly peer: number;
}

/** How one instance loads from somewhere: network resources crossed, latency, per-connection rate. */
export interface LoadPath {
  readonly readPath: readonly number[];
  readonly latency: number;
  readonly readRate: number;
}

/** A tier of this instance's own (or the shared remote store) and how to load from it. */
export interface TierPath extends LoadPath {
  readonly store: BlockStore;
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

/** An instance's own network resources, which peers read from and it loads through. */
export interface InstancePorts {
  readonly nicEgress: number;
  readonly nicIngress: number;
  readonly h2d: number;
  /** Host-to-device bandwidth of the instance (all its devices), B/s. */
  readonly pcieBandwidth: number;
}

/** Peer fetching over RDMA from other instances' HBM and DRAM (Mooncake's global KV pool). */
export interface PoolAccess {
  readonly self: number;
  readonly directory: PoolDirectory;
  /** Every instance's ports, by index. */
  readonly ports: readonly InstancePorts[];
  readonly latency: number;
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
    private readonly ports: InstancePorts,
    private readonly pool?: PoolAccess,
  ) {}

  /** Peer the last `tierOf` call found a pool block at. */
  private foundPeer = -1;

  private tierOf(hash: number): LowerTier | undefined {
    if (this.cpu?.store.has(hash)) return 'local_cpu';
    if (this.disk?.store.has(hash)) return 'local_disk';
    if (this.pool) {
      this.foundPeer = this.pool.directory.peerHolding(hash, this.pool.self);
      if (this.foundPeer >= 0) return 'pool';
    }
    if (this.remote?.store.has(hash)) return 'remote';
    return undefined;
  }

  private poolPath(peer: number): LoadPath {
    const from = this.pool!.ports[peer];
    return {
      readPath: [from.nicEgress, this.ports.nicIngress, this.ports.h2d],
      latency: this.pool!.latency,
      readRate: Infinity,
    };
  }

  private path(seg: Segment): LoadPath {
    return seg.tier === 'pool' ? this.poolPath(seg.peer) : this.own(seg.tier);
  }

  private own(tier: Exclude<LowerTier, 'pool'>): TierPath {
    return (tier === 'local_cpu' ? this.cpu : tier === 'local_disk' ? this.disk : this.remote)!;
  }

  /** Blocks from `from` on that the lower tiers hold, as tier segments, whole chunks only. */
  findSegments(hashes: readonly number[], from: number, fullBlocks: number): Segment[] {
    const segments: Segment[] = [];
    let i = from;
    while (i < fullBlocks) {
      const tier = this.tierOf(hashes[i]);
      if (tier === undefined) break;
      const peer = tier === 'pool' ? this.foundPeer : -1;
      const last = segments[segments.length - 1];
      if (last && last.tier === tier && last.peer === peer) segments[segments.length - 1] = { ...last, blocks: last.blocks + 1 };
      else segments.push({ tier, start: i, blocks: 1, peer });
      i++;
    }
    // Lower tiers store whole chunks, aligned from the start of the prompt: drop a trailing part-chunk.
    const k = this.cfg.blocksPerChunk;
    let excess = i % k;
    while (excess > 0 && segments.length) {
      const last = segments[segments.length - 1];
      const cut = Math.min(excess, last.blocks);
      excess -= cut;
      if (cut === last.blocks) segments.pop();
      else segments[segments.length - 1] = { ...last, blocks: last.blocks - cut };
    }
    return segments;
  }

  /**
   * Time to load a segment if started now: latency + bytes / the fair share its path would get
   * given the transfers already in flight (a busy NIC or storage service makes recompute win).
   */
  estimateLoad(seg: Segment): number {
    const p = this.path(seg);
    return p.latency + (seg.blocks * this.cfg.blockBytes) / this.network.fairShare(p.readPath, p.readRate);
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
      const p = this.path(seg);
      if (seg.tier !== 'pool') {
        const own = this.own(seg.tier);
        for (let i = seg.start; i < seg.start + seg.blocks; i++) this.noteHit(own, seg.tier, hashes[i]);
      }
      const bytes = seg.blocks * this.cfg.blockBytes;
      // Hits from disk, peers or the remote store are kept in DRAM (a pool hit replicates the block).
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

  /** The HBM prefix cache served these blocks: they count toward `hot` offloading too. */
  onHbmHits(hashes: readonly number[], blocks: number): void {
    if (!this.remote || this.cfg.offload !== 'hot') return;
    for (let i = 0; i < blocks; i++) this.countHot(hashes[i], false);
  }

  private noteHit(p: TierPath, tier: LowerTier, hash: number): void {
    p.store.read(hash);
    if (this.remote && this.cfg.offload === 'hot') this.countHot(hash, tier === 'remote');
  }

  private countHot(hash: number, inRemote: boolean): void {
    const remote = this.remote!;
    const n = (remote.tier.hits.get(hash) ?? 0) + 1;
    remote.tier.hits.set(hash, n);
    if (n >= this.cfg.hotThreshold && !inRemote) this.writeRemote([hash]);
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

