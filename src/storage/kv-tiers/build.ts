import type { Network } from '../../cluster/network.js';
import type { Simulator } from '../../engine/simulator.js';
import { rngStream } from '../../engine/rng.js';
import { policyRng } from '../../policies/policy-rng.js';
import { EVICTION_POLICIES, type EvictionOptions } from '../../policies/eviction/registry.js';
import type { CacheConfig } from '../../scenario/schema.js';
import { registered } from '../../util/own.js';
import { InputError } from '../../scenario/input-error.js';
import { LOCAL_PROFILES, REMOTE_PROFILES, type RemoteProfile, type StorageTransport } from '../catalog.js';
import { latencyProblem, type LatencyDist } from '../latency.js';
import { Lifecycle } from '../lifecycle.js';
import { LanePool, nfsMountBandwidth, RemoteService } from '../remote-service.js';
import { BlockStore } from './block-store.js';
import { KvHierarchy, RemoteTier, type InstancePorts as HierarchyPorts, type RemoteClient, type TierPath } from './hierarchy.js';
import { PoolDirectory, type CacheListener } from './pool-directory.js';

/** The stores of every tier, for metrics: local ones per prefill instance, the remote one shared. */
export interface TierStores {
  readonly localCpu: BlockStore[];
  readonly localDisk: BlockStore[];
  readonly remote?: RemoteTier;
  readonly remoteProfile?: RemoteProfile;
  readonly lifecycle?: Lifecycle;
  readonly blockBytes: number;
  /** A remote-store client for another instance (decode instances saving their KV). */
  readonly remoteClient?: (ports: NicPorts) => RemoteClient;
}

/** An instance's NIC as paths (wire + transport stack) per transport. */
export interface NicPorts {
  readonly nicOut: (transport: StorageTransport) => readonly number[];
  readonly nicIn: (transport: StorageTransport) => readonly number[];
  /** Devices of the instance (each has its own PCIe link, and its own objects per chunk). */
  readonly tp: number;
}

export interface InstancePorts extends NicPorts {
  /** Flows leaving the instance's NIC now (global-pool peer choice). */
  readonly egressLoad: () => number;
}

export interface TierContext {
  readonly network: Network;
  readonly sim: Simulator;
  readonly cfg: CacheConfig;
  readonly instances: readonly InstancePorts[];
  readonly blockSize: number;
  readonly kvBytesPerToken: number;
  readonly layers: number;
  readonly file: string;
  /** Peer fetching over RDMA (global KV pool, or kv_balance routing). */
  readonly peerFetch: boolean;
  /** Per-transfer latency of the RDMA transport. */
  readonly rdmaLatency: number;
  readonly seed: number | string;
  /** Relative recompute cost of block i of an n-block prefix (cost-aware eviction). */
  readonly blockCost?: (position: number, blocks: number) => number;
}

type RemoteConfig = NonNullable<CacheConfig['remote']>;

/** The catalog profile with the scenario's overrides, validated (one-line errors naming the key). */
export function resolveRemoteProfile(r: RemoteConfig, file: string): RemoteProfile {
  const base = registered(REMOTE_PROFILES, r.backend, 'remote tier profile');
  const key = (k: string) => `cache.remote.${k}`;
  const only = (k: keyof RemoteConfig, kind: RemoteProfile['kind'], backend: string) => {
    if (r[k] !== undefined && base.kind !== kind) {
      throw new InputError(file, key(k), `applies to the ${backend} backend only, not ${r.backend}`);
    }
  };
  only('part_size', 'object', 's3');
  only('rsize', 'file', 'nfs_rdma');
  only('wsize', 'file', 'nfs_rdma');
  only('nconnect', 'file', 'nfs_rdma');
  let latency: LatencyDist = base.latency;
  const l = r.latency;
  if (typeof l === 'number') latency = { dist: 'fixed', value: l };
  else if (l && 'cv' in l) latency = { dist: 'lognormal', mean: l.mean, cv: l.cv, min: l.min ?? 0, max: l.max ?? Infinity };
  else if (l) latency = { dist: 'uniform', min: l.min, max: l.max };
  const problem = latencyProblem(latency);
  if (problem) throw new InputError(file, key('latency'), problem);
  const nfs = base.nfs && {
    ...base.nfs,
    rsize: r.rsize ?? base.nfs.rsize,
    wsize: r.wsize ?? base.nfs.wsize,
    nconnect: r.nconnect ?? base.nfs.nconnect,
  };
  return {
    ...base,
    latency,
    readBandwidth: r.read_bandwidth ?? base.readBandwidth,
    writeBandwidth: r.write_bandwidth ?? base.writeBandwidth,
    connections: r.connections ?? base.connections,
    nodes: r.nodes ?? base.nodes,
    gateways: r.gateways ?? base.gateways,
    gatewayReadOps: r.gateway_read_ops ?? base.gatewayReadOps,
    gatewayWriteOps: r.gateway_write_ops ?? base.gatewayWriteOps,
    partSize: r.part_size ?? base.partSize,
    nfs,
  };
}

/**
 * Tells the pool directory what one instance's tiers hold: a class, not a pair of closures per
 * instance and run, so V8 keeps its optimized code between runs (see src/util/countdown.ts).
 */
class DirectoryListener implements CacheListener {
  constructor(
    private readonly directory: PoolDirectory,
    private readonly owner: number,
  ) {}

  added(hash: number): void {
    this.directory.added(hash, this.owner);
  }

  removed(hash: number): void {
    this.directory.removed(hash, this.owner);
  }
}

/** Builds the LMCache tiers of every prefill instance over the shared network resources. */
export function buildTiers(ctx: TierContext): {
  hierarchies: (KvHierarchy | undefined)[];
  stores: TierStores;
  hbmListeners: (CacheListener | undefined)[];
} {
  const { network, cfg, instances, blockSize, kvBytesPerToken, file } = ctx;
  const blockBytes = blockSize * kvBytesPerToken;
  if (cfg.chunk_size % blockSize !== 0 && blockSize % cfg.chunk_size !== 0) {
    throw new InputError(file, 'cache.chunk_size', `${cfg.chunk_size} tokens must divide the workload's ${blockSize}-token blocks or be a multiple of them`);
  }
  const blocksPerChunk = Math.max(1, cfg.chunk_size / blockSize);
  const chunkBytes = cfg.chunk_size * kvBytesPerToken;
  const blocksOf = (bytes: number) => Math.floor(bytes / blockBytes);
  /** A tier must hold at least one block and one whole chunk. */
  const capacityOf = (bytes: number, k: string): number => {
    const blocks = blocksOf(bytes);
    if (blocks < 1) throw new InputError(file, k, `smaller than one ${blockSize}-token block (${blockBytes} B)`);
    if (blocks < blocksPerChunk) {
      throw new InputError(file, 'cache.chunk_size', `a ${cfg.chunk_size}-token chunk (${chunkBytes} B) is larger than ${k} (${bytes} B)`);
    }
    return blocks;
  };
  const evictionOptions: EvictionOptions = { alpha: cfg.cost_aware_alpha, aging: cfg.lfu_aging };
  /** `purpose` names the store's own seeded stream (randomized policies follow the scenario seed). */
  const policy = (name: string, capacity: number, purpose: string) =>
    registered(EVICTION_POLICIES, name, 'eviction policy')(capacity, { ...evictionOptions, rng: policyRng(ctx.seed, `eviction:${purpose}`), expectedKeys: capacity });

  let remoteTier: RemoteTier | undefined;
  let remoteProfile: RemoteProfile | undefined;
  let lifecycle: Lifecycle | undefined;
  let remoteClient: ((ports: NicPorts, h2d?: number, d2h?: number) => RemoteClient) | undefined;
  if (cfg.remote) {
    const r = cfg.remote;
    const profile = resolveRemoteProfile(r, file);
    remoteProfile = profile;
    const capacity = r.size === 'unlimited' ? Infinity : capacityOf(r.size, 'cache.remote.size');
    const service = new RemoteService(ctx.sim, network, profile, rngStream(ctx.seed, 'remote-storage-latency'), {
      read: r.aggregate_read_bandwidth,
      write: r.aggregate_write_bandwidth,
    });
    lifecycle = Lifecycle.create(r.lifecycle, capacity, ctx.sim, file);
    // With background cleanup the store is not capped inline: it over-fills between cleanups.
    const inlineCapacity = lifecycle?.cleansBySize ? Infinity : capacity;
    const store = new BlockStore('remote', inlineCapacity, policy(r.eviction, capacity, 'remote'));
    lifecycle?.attach(store);
    // Files: one NFS mount per client caps its bandwidth (nconnect × per-connection, rsize/wsize
    // efficiency), not each file; objects and keys: each request stream is one connection.
    const file_ = profile.kind === 'file' && profile.nfs;
    remoteTier = new RemoteTier(
      service,
      store,
      { kvBytesPerToken, blockSize, chunkTokens: cfg.chunk_size },
      profile.connections,
      file_ ? Infinity : profile.readBandwidth,
      file_ ? Infinity : profile.writeBandwidth,
    );
    remoteClient = (ports, h2d, d2h) => {
      const mountIn: number[] = [];
      const mountOut: number[] = [];
      if (file_) {
        mountIn.push(network.addResource(nfsMountBandwidth(profile.readBandwidth, file_.rsize, file_.nconnect, file_.rpcOverhead)));
        mountOut.push(network.addResource(nfsMountBandwidth(profile.writeBandwidth, file_.wsize, file_.nconnect, file_.rpcOverhead)));
      }
      return {
        tp: ports.tp,
        readPool: new LanePool(profile.connections),
        writePool: new LanePool(profile.connections),
        readPath: [service.readResource, ...ports.nicIn(profile.transport), ...mountIn, ...(h2d === undefined ? [] : [h2d])],
        writePath: [...(d2h === undefined ? [] : [d2h]), ...mountOut, ...ports.nicOut(profile.transport), service.writeResource],
      };
    };
  }

  const directory = ctx.peerFetch ? new PoolDirectory() : undefined;
  const listenerFor = (owner: number): CacheListener | undefined => directory && new DirectoryListener(directory, owner);
  const anyTier = cfg.local_cpu || cfg.local_disk || cfg.remote || ctx.peerFetch;
  // Loads use the host-to-device direction; offloads the other one, counted with the NIC path.
  const allPorts: HierarchyPorts[] = instances.map((ports) => {
    const pcie = cfg.pcie_bandwidth * ports.tp;
    return {
      rdmaOut: ports.nicOut('rdma'),
      rdmaIn: ports.nicIn('rdma'),
      h2d: anyTier ? network.addResource(pcie) : -1,
      pcieBandwidth: pcie,
      egressLoad: ports.egressLoad,
    };
  });
  const pool = (self: number) =>
    directory && { self, directory, ports: allPorts, latency: ctx.rdmaLatency, peerChoice: cfg.pool_peer };

  const localCpu: BlockStore[] = [];
  const localDisk: BlockStore[] = [];
  const hierarchies = instances.map((ports, index) => {
    if (!anyTier) return undefined;
    const h2d = allPorts[index].h2d;
    const d2h = network.addResource(allPorts[index].pcieBandwidth);
    let cpu: TierPath | undefined;
    if (cfg.local_cpu) {
      const capacity = capacityOf(cfg.local_cpu.size, 'cache.local_cpu.size');
      const store = new BlockStore('local_cpu', capacity, policy(cfg.local_cpu.eviction, capacity, `local_cpu:${index}`), listenerFor(index));
      localCpu.push(store);
      const read = cfg.local_cpu.read_bandwidth;
      cpu = {
        store,
        readPath: read ? [network.addResource(read), h2d] : [h2d],
        latency: cfg.local_cpu.latency ?? LOCAL_PROFILES.local_cpu.latency,
        readRate: Infinity,
      };
    }
    let disk: TierPath | undefined;
    if (cfg.local_disk) {
      const capacity = capacityOf(cfg.local_disk.size, 'cache.local_disk.size');
      const store = new BlockStore('local_disk', capacity, policy(cfg.local_disk.eviction, capacity, `local_disk:${index}`));
      localDisk.push(store);
      const prof = LOCAL_PROFILES.local_disk;
      const read = cfg.local_disk.read_bandwidth ?? prof.readBandwidth;
      disk = {
        store,
        readPath: [network.addResource(read), h2d],
        latency: cfg.local_disk.latency ?? prof.latency,
        readRate: Infinity,
      };
    }
    const remote = remoteTier && { tier: remoteTier, store: remoteTier.store, client: remoteClient!(ports, h2d, d2h) };
    return new KvHierarchy(network, cpu, disk, remote, {
      blockBytes,
      blocksPerChunk,
      offload: cfg.offload,
      hotThreshold: cfg.hot_threshold,
      layerwise: cfg.use_layerwise,
      layers: ctx.layers,
      blockCost: ctx.blockCost,
    }, allPorts[index], pool(index));
  });
  // Costs travel down the tiers only for cost-aware policies to read: without one, keep none.
  const stores = [...localCpu, ...localDisk, ...(remoteTier ? [remoteTier.store] : [])];
  if (!stores.some((s) => s.readsCosts)) for (const s of stores) s.ignoreCosts();
  return {
    hierarchies,
    stores: { localCpu, localDisk, remote: remoteTier, remoteProfile, lifecycle, blockBytes, remoteClient: remoteClient && ((p) => remoteClient!(p)) },
    hbmListeners: instances.map((_, i) => listenerFor(i)),
  };
}
