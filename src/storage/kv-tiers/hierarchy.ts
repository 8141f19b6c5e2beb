import type { Network } from '../../cluster/network.js';
import { layoutRequests, type LanePool, type RemoteService, type RequestBatch, type StorageLayout } from '../remote-service.js';
import type { BlockStore } from './block-store.js';
import { IntMap, IntSet } from '../../util/int-table.js';
import { countdown } from '../../util/countdown.js';
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

type MutableSegment = { -readonly [K in keyof Segment]: Segment[K] };

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

/** One client (instance) of the remote store: its TP ranks (one object per chunk each) and paths. */
export interface RemoteClient {
  readonly tp: number;
  /** Its request slots per direction (`connections` each), shared by all its loads / offloads. */
  readonly readPool: LanePool;
  readonly writePool: LanePool;
  /** Service -> NIC (transport stack) -> [NFS mount] -> host-to-device. */
  readonly readPath: readonly number[];
  /** Device-to-host -> NIC -> [NFS mount] -> service. */
  readonly writePath: readonly number[];
}

/**
 * The remote store shared by all instances, with its in-flight writes (a block becomes readable
 * only when its PUT completes) and the hit counts that decide `hot` offloading. Data moves as the
 * service's requests (objects / files / keys per chunk and rank; see RemoteService).
 */
export class RemoteTier {
  private readonly writing = new IntSet();
  /** Hits per block for `hot` offloading (one entry per distinct block ever hit). */
  readonly hits = new IntMap();

  constructor(
    readonly service: RemoteService,
    readonly store: BlockStore,
    private readonly layout: StorageLayout,
    /** Requests one client keeps in flight. */
    readonly connections: number,
    /** One request stream's cap, B/s (Infinity where a per-client resource caps instead). */
    private readonly readRate: number,
    private readonly writeRate: number,
  ) {}

  /** The service's shared bandwidth resources (every client's paths end / start there). */
  get readResource(): number {
    return this.service.readResource;
  }

  get writeResource(): number {
    return this.service.writeResource;
  }

  /** The requests moving `blocks` blocks for `client`. */
  batch(blocks: number, client: RemoteClient, dir: 'read' | 'write'): RequestBatch {
    const r = layoutRequests(this.service.profile, this.layout, blocks, client.tp, dir);
    return {
      units: r.units,
      unitBytes: r.unitBytes,
      extraRequests: r.extraRequests,
      path: dir === 'read' ? client.readPath : client.writePath,
      lanes: this.connections,
      laneRate: dir === 'read' ? this.readRate : this.writeRate,
      pool: dir === 'read' ? client.readPool : client.writePool,
    };
  }

  /** Expected time for `client` to read `blocks` blocks if it started now. */
  estimateRead(blocks: number, client: RemoteClient): number {
    return this.service.estimateGet(this.batch(blocks, client, 'read'));
  }

  /**
   * Reads `blocks` blocks; `done` when all landed; with `firstOf` > 1 (layers), `ready` once the
   * first 1/firstOf of the requests have landed (layer-wise: compute starts on the first layer).
   */
  read(blocks: number, client: RemoteClient, done: () => void, firstOf = 1, ready?: () => void): void {
    const b = this.batch(blocks, client, 'read');
    this.service.get(b, done, ready ? Math.max(1, Math.ceil(b.units / firstOf)) : 0, ready);
  }

  /** PUTs the first `n` of `hashes` that it lacks, with their recompute costs (cost-aware eviction). */
  put(hashes: readonly number[], n: number, costOf: ((i: number) => number) | undefined, client: RemoteClient): void {
    let todo: number[] | undefined;
    let todoCosts: number[] | undefined;
    for (let i = 0; i < n; i++) {
      const h = hashes[i];
      if (this.store.has(h) || this.writing.has(h)) continue;
      (todo ??= []).push(h);
      (todoCosts ??= []).push(costOf ? costOf(i) : 1);
    }
    if (todo === undefined) return;
    const blocks = todo;
    const costs = todoCosts!;
    for (const h of blocks) this.writing.add(h);
    // A bound method, not a closure per PUT (see src/util/countdown.ts).
    this.service.put(this.batch(blocks.length, client, 'write'), this.written.bind(this, blocks, costs));
  }

  private written(blocks: readonly number[], costs: readonly number[]): void {
    for (let i = 0; i < blocks.length; i++) {
      this.writing.delete(blocks[i]);
      this.store.put(blocks[i], costs[i]);
    }
  }
}

/** An instance's own network resources, which peers read from and it loads through. */
export interface InstancePorts {
  /** Its NIC over RDMA (Transfer Engine reads between instances): wire + RDMA stack. */
  readonly rdmaOut: readonly number[];
  readonly rdmaIn: readonly number[];
  readonly h2d: number;
  /** Host-to-device bandwidth of the instance (all its devices), B/s. */
  readonly pcieBandwidth: number;
  /** NIC egress flows right now (peer choice: the least loaded holder). */
  readonly egressLoad: () => number;
}

/** Peer fetching over RDMA from other instances' HBM and DRAM (Mooncake's global KV pool). */
export interface PoolAccess {
  readonly self: number;
  readonly directory: PoolDirectory;
  /** Every instance's ports, by index. */
  readonly ports: readonly InstancePorts[];
  readonly latency: number;
  /** Which holder serves a block: the least loaded NIC (default) or the lowest index. */
  readonly peerChoice: 'least_loaded' | 'lowest_index';
}

export interface HierarchyConfig {
  readonly blockBytes: number;
  /** Lower tiers cache whole LMCache chunks: lookups stop at a multiple of this many blocks. */
  readonly blocksPerChunk: number;
  readonly offload: 'all' | 'hot' | 'evicted';
  readonly hotThreshold: number;
  readonly layerwise: boolean;
  readonly layers: number;
  /** Relative recompute cost of block i of an n-block prefix (cost-aware eviction on every tier). */
  readonly blockCost?: (position: number, blocks: number) => number;
}

/** The shared remote store as one instance reaches it. */
export interface RemoteAccess {
  readonly tier: RemoteTier;
  readonly store: BlockStore;
  readonly client: RemoteClient;
}

/**
 * One prefill instance's view of the LMCache tiers below its HBM prefix cache: local CPU DRAM and
 * local disk (its own), and a remote store shared by every instance. It finds cached prefix
 * segments, loads them as network flows (so they share PCIe, disk, NIC and the storage service
 * with everything else), demotes what HBM evicts (HBM -> DRAM -> disk), and offloads to the
 * remote tier per the offload mode (all = write-through at prefill end, hot = once a block has
 * been hit `hotThreshold` times, evicted = when it falls out of the last local tier). Every tier
 * keeps each block's recompute cost, so cost-aware eviction sees real costs below HBM too.
 */
export class KvHierarchy {
  constructor(
    private readonly network: Network,
    readonly cpu: TierPath | undefined,
    readonly disk: TierPath | undefined,
    readonly remote: RemoteAccess | undefined,
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
      const pool = this.pool;
      this.foundPeer = pool.peerChoice === 'least_loaded'
        ? pool.directory.leastLoadedHolder(hash, pool.self, (o) => pool.ports[o].egressLoad(), this.network.flowCountVersion)
        : pool.directory.peerHolding(hash, pool.self);
      if (this.foundPeer >= 0) return 'pool';
    }
    if (this.remote?.store.has(hash)) return 'remote';
    return undefined;
  }

  private poolPath(peer: number): LoadPath {
    const from = this.pool!.ports[peer];
    return {
      readPath: [...from.rdmaOut, ...this.ports.rdmaIn, this.ports.h2d],
      latency: this.pool!.latency,
      readRate: Infinity,
    };
  }

  /** Path of a local tier or a peer (the remote store moves data as service requests instead). */
  private path(seg: Segment): LoadPath {
    return seg.tier === 'pool' ? this.poolPath(seg.peer) : this.own(seg.tier as 'local_cpu' | 'local_disk');
  }

  private own(tier: 'local_cpu' | 'local_disk'): TierPath {
    return (tier === 'local_cpu' ? this.cpu : this.disk)!;
  }

  private costOf(position: number, blocks: number): number {
    return this.cfg.blockCost ? this.cfg.blockCost(position, blocks) : 1;
  }

  /** Blocks from `from` on that the lower tiers hold, as tier segments, whole chunks only. */
  findSegments(hashes: readonly number[], from: number, fullBlocks: number): Segment[] {
    const segments: MutableSegment[] = [];
    let i = from;
    let last: MutableSegment | undefined;
    while (i < fullBlocks) {
      const tier = this.tierOf(hashes[i]);
      if (tier === undefined) break;
      const peer = tier === 'pool' ? this.foundPeer : -1;
      if (last && last.tier === tier && last.peer === peer) last.blocks++;
      else segments.push((last = { tier, start: i, blocks: 1, peer }));
      i++;
    }
    // Lower tiers store whole chunks, aligned from the start of the prompt: drop a trailing part-chunk.
    const k = this.cfg.blocksPerChunk;
    let excess = i % k;
    while (excess > 0 && segments.length) {
      const tail = segments[segments.length - 1];
      const cut = Math.min(excess, tail.blocks);
      excess -= cut;
      if (cut === tail.blocks) segments.pop();
      else tail.blocks -= cut;
    }
    return segments;
  }

  /**
   * Time to load a segment if started now: latency + bytes / the fair share its path would get
   * given the transfers already in flight (a busy NIC or storage service makes recompute win); for
   * the remote store, its requests' latencies, lanes and request-rate queue (RemoteService).
   */
  estimateLoad(seg: Segment): number {
    if (seg.tier === 'remote') return this.remote!.tier.estimateRead(seg.blocks, this.remote!.client);
    const p = this.path(seg);
    return p.latency + (seg.blocks * this.cfg.blockBytes) / this.network.fairShare(p.readPath, p.readRate);
  }

  /**
   * Loads the segments into HBM; `ready` runs once compute may start: when everything has landed,
   * or with layer-wise pipelining once the first layer has (the rest streams behind compute; the
   * caller only loads segments that beat recomputation, so the stream keeps ahead).
   */
  load(hashes: readonly number[], segments: readonly Segment[], ready: () => void): void {
    // Callbacks are bound methods, not closures per load (see src/util/countdown.ts).
    const landed = countdown(segments.length, ready);
    const layerwise = this.cfg.layerwise && this.cfg.layers > 1;
    for (const seg of segments) {
      if (seg.tier === 'local_cpu' || seg.tier === 'local_disk') {
        const own = this.own(seg.tier);
        for (let i = seg.start; i < seg.start + seg.blocks; i++) this.noteHit(own.store, seg.tier, hashes[i]);
      } else if (seg.tier === 'remote') {
        for (let i = seg.start; i < seg.start + seg.blocks; i++) this.noteHit(this.remote!.store, 'remote', hashes[i]);
      }
      if (seg.tier === 'remote') {
        const r = this.remote!;
        if (layerwise) r.tier.read(seg.blocks, r.client, this.promote.bind(this, hashes, seg, undefined), this.cfg.layers, landed);
        else r.tier.read(seg.blocks, r.client, this.promote.bind(this, hashes, seg, landed));
        continue;
      }
      const p = this.path(seg);
      const bytes = seg.blocks * this.cfg.blockBytes;
      if (layerwise) {
        const first = bytes / this.cfg.layers;
        this.network.transfer(p.readPath, first, p.latency, this.firstLayerLanded.bind(this, hashes, seg, p, bytes - first, landed), p.readRate);
      } else {
        this.network.transfer(p.readPath, bytes, p.latency, this.promote.bind(this, hashes, seg, landed), p.readRate);
      }
    }
    if (segments.length === 0) ready();
  }

  /**
   * The blocks of `seg` have landed: hits from disk, peers or the remote store are kept in DRAM (a
   * pool hit replicates the block); then `then`.
   */
  private promote(hashes: readonly number[], seg: Segment, then: (() => void) | undefined): void {
    if (seg.tier !== 'local_cpu') {
      const n = seg.start + seg.blocks;
      for (let i = seg.start; i < n; i++) this.writeCpu(hashes[i], this.costOf(i, n));
    }
    then?.();
  }

  /** Layer-wise: the first layer of `seg` has landed (compute may start); the `rest` bytes follow. */
  private firstLayerLanded(hashes: readonly number[], seg: Segment, p: LoadPath, rest: number, landed: () => void): void {
    landed();
    this.network.transfer(p.readPath, rest, 0, this.promote.bind(this, hashes, seg, undefined), p.readRate);
  }

  /** The HBM prefix cache served these blocks: they count toward `hot` offloading too. */
  onHbmHits(hashes: readonly number[], blocks: number): void {
    if (!this.remote || this.cfg.offload !== 'hot') return;
    for (let i = 0; i < blocks; i++) this.countHot(hashes[i], false, this.costOf(i, hashes.length));
  }

  private noteHit(store: BlockStore, tier: LowerTier, hash: number): void {
    store.read(hash);
    if (this.remote && this.cfg.offload === 'hot') this.countHot(hash, tier === 'remote', store.costOf(hash));
  }

  private countHot(hash: number, inRemote: boolean, cost: number): void {
    const remote = this.remote!;
    const n = (remote.tier.hits.get(hash) ?? 0) + 1;
    remote.tier.hits.set(hash, n);
    if (n >= this.cfg.hotThreshold && !inRemote) this.writeRemote([hash], [cost]);
  }

  /** Prefill computed these blocks: write-through to the remote tier in `all` mode. */
  onComputed(hashes: readonly number[], fullBlocks: number): void {
    if (!this.remote || this.cfg.offload !== 'all') return;
    this.remote.tier.put(hashes, fullBlocks, (i) => this.costOf(i, fullBlocks), this.remote.client);
  }

  /**
   * HBM evicted a block (with its recompute cost): demote it down the hierarchy. Demotions to DRAM
   * and disk are counted but not timed: they use the device-to-host PCIe direction and the disk's
   * write side, which no other traffic in the model shares, and the block's copy is usable at once
   * (LMCache stores asynchronously; a reader waits on its load, which is timed).
   */
  onHbmEvict(hash: number, cost = 1): void {
    if (this.cpu) this.writeCpu(hash, cost);
    else if (this.disk) this.writeDisk(hash, cost);
    else this.fellOut(hash, cost);
  }

  private writeCpu(hash: number, cost: number): void {
    const cpu = this.cpu;
    if (!cpu) return;
    const store = cpu.store;
    const n = store.put(hash, cost);
    // A DRAM victim goes to disk (whose own victims land in the disk store's lists, not these).
    for (let i = 0; i < n; i++) {
      if (this.disk) this.writeDisk(store.victims[i], store.victimCosts[i]);
      else this.fellOut(store.victims[i], store.victimCosts[i]);
    }
  }

  private writeDisk(hash: number, cost: number): void {
    const store = this.disk!.store;
    const n = store.put(hash, cost);
    for (let i = 0; i < n; i++) this.fellOut(store.victims[i], store.victimCosts[i]);
  }

  /** A block left the last local tier. */
  private fellOut(hash: number, cost: number): void {
    if (this.remote && this.cfg.offload === 'evicted') this.writeRemote([hash], [cost]);
  }

  private writeRemote(hashes: readonly number[], costs: readonly number[]): void {
    this.remote!.tier.put(hashes, hashes.length, (i) => costs[i], this.remote!.client);
  }
}
