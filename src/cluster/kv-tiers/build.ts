import { policyRng } from '../../policies/policy-rng.js';
import { EVICTION_POLICIES } from '../../policies/eviction/registry.js';
import type { CacheConfig } from '../../scenario/schema.js';
import { InputError } from '../../scenario/input-error.js';
import { LOCAL_PROFILES, REMOTE_PROFILES, type StorageProfile } from '../catalog/storage.js';
import type { Network } from '../network.js';
import { BlockStore } from './block-store.js';
import { KvHierarchy, RemoteTier, type InstancePorts as HierarchyPorts, type TierPath } from './hierarchy.js';
import { PoolDirectory, type CacheListener } from './pool-directory.js';

/** The stores of every tier, for metrics: local ones per prefill instance, the remote one shared. */
export interface TierStores {
  readonly localCpu: BlockStore[];
  readonly localDisk: BlockStore[];
  readonly remote?: RemoteTier;
  readonly remoteProfile?: StorageProfile;
  readonly blockBytes: number;
}

export interface InstancePorts {
  /** The instance's node NIC resources (shared with KV handoffs). */
  readonly nicEgress: number;
  readonly nicIngress: number;
  /** Devices of the instance (each has its own PCIe link). */
  readonly tp: number;
}

/** Builds the LMCache tiers of every prefill instance over the shared network resources. */
export function buildTiers(
  network: Network,
  cfg: CacheConfig,
  instances: readonly InstancePorts[],
  blockSize: number,
  kvBytesPerToken: number,
  layers: number,
  file: string,
  /** Peer fetching over RDMA (global KV pool, or kv_balance routing). */
  peerFetch: boolean,
  /** Per-transfer latency of the RDMA transport. */
  rdmaLatency: number,
  /** Scenario seed, for the eviction policies' random streams. */
  seed: number | string = 1,
): { hierarchies: (KvHierarchy | undefined)[]; stores: TierStores; hbmListeners: (CacheListener | undefined)[] } {
  const blockBytes = blockSize * kvBytesPerToken;
  if (cfg.chunk_size % blockSize !== 0 && blockSize % cfg.chunk_size !== 0) {
    throw new InputError(file, 'cache.chunk_size', `${cfg.chunk_size} tokens must divide the workload's ${blockSize}-token blocks or be a multiple of them`);
  }
  const blocksPerChunk = Math.max(1, cfg.chunk_size / blockSize);
  const blocksOf = (bytes: number) => Math.floor(bytes / blockBytes);

  let remoteTier: RemoteTier | undefined;
  let remoteProfile: StorageProfile | undefined;
  if (cfg.remote) {
    const base = REMOTE_PROFILES[cfg.remote.backend];
    remoteProfile = {
      ...base,
      latency: cfg.remote.latency ?? base.latency,
      readBandwidth: cfg.remote.read_bandwidth ?? base.readBandwidth,
      writeBandwidth: cfg.remote.write_bandwidth ?? base.writeBandwidth,
      aggregateReadBandwidth: cfg.remote.aggregate_read_bandwidth ?? base.aggregateReadBandwidth,
      aggregateWriteBandwidth: cfg.remote.aggregate_write_bandwidth ?? base.aggregateWriteBandwidth,
    };
    const capacity = cfg.remote.size === 'unlimited' ? Infinity : blocksOf(cfg.remote.size);
    if (capacity < 1) throw new InputError(file, 'cache.remote.size', `smaller than one ${blockSize}-token block (${blockBytes} B)`);
    // A transfer striped over `connections` parallel streams gets that many connections' rate.
    const streams = cfg.remote.connections;
    remoteTier = new RemoteTier(
      network,
      new BlockStore('remote', capacity, EVICTION_POLICIES[cfg.remote.eviction](capacity, policyRng(seed, 'eviction:remote'))),
      remoteProfile.latency,
      remoteProfile.readBandwidth * streams,
      remoteProfile.writeBandwidth * streams,
      network.addResource(remoteProfile.aggregateReadBandwidth),
      network.addResource(remoteProfile.aggregateWriteBandwidth),
      blockBytes,
    );
  }

  const directory = peerFetch ? new PoolDirectory() : undefined;
  const listenerFor = (owner: number): CacheListener | undefined =>
    directory && { added: (h) => directory.added(h, owner), removed: (h) => directory.removed(h, owner) };
  const anyTier = cfg.local_cpu || cfg.local_disk || cfg.remote || peerFetch;
  // Loads use the host-to-device direction; offloads the other one, counted with the NIC path.
  const allPorts: HierarchyPorts[] = instances.map((ports) => {
    const pcie = cfg.pcie_bandwidth * ports.tp;
    return {
      nicEgress: ports.nicEgress,
      nicIngress: ports.nicIngress,
      h2d: anyTier ? network.addResource(pcie) : -1,
      pcieBandwidth: pcie,
    };
  });
  const pool = (self: number) => directory && { self, directory, ports: allPorts, latency: rdmaLatency };

  const localCpu: BlockStore[] = [];
  const localDisk: BlockStore[] = [];
  const hierarchies = instances.map((ports, index) => {
    if (!anyTier) return undefined;
    const pcie = allPorts[index].pcieBandwidth;
    const h2d = allPorts[index].h2d;
    const d2h = network.addResource(pcie);
    let cpu: TierPath | undefined;
    if (cfg.local_cpu) {
      const capacity = blocksOf(cfg.local_cpu.size);
      if (capacity < 1) throw new InputError(file, 'cache.local_cpu.size', `smaller than one ${blockSize}-token block (${blockBytes} B)`);
      const store = new BlockStore('local_cpu', capacity, EVICTION_POLICIES[cfg.local_cpu.eviction](capacity, policyRng(seed, `eviction:local_cpu:${index}`)), listenerFor(index));
      localCpu.push(store);
      const latency = cfg.local_cpu.latency ?? LOCAL_PROFILES.local_cpu.latency;
      const read = cfg.local_cpu.read_bandwidth;
      cpu = {
        store,
        readPath: read ? [network.addResource(read), h2d] : [h2d],
        latency,
        readRate: Infinity,
      };
    }
    let disk: TierPath | undefined;
    if (cfg.local_disk) {
      const capacity = blocksOf(cfg.local_disk.size);
      if (capacity < 1) throw new InputError(file, 'cache.local_disk.size', `smaller than one ${blockSize}-token block (${blockBytes} B)`);
      const store = new BlockStore('local_disk', capacity, EVICTION_POLICIES[cfg.local_disk.eviction](capacity, policyRng(seed, `eviction:local_disk:${index}`)));
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
    const remote = remoteTier && {
      tier: remoteTier,
      store: remoteTier.store,
      readPath: [remoteTier.readResource, ports.nicIngress, h2d],
      writePath: [d2h, ports.nicEgress, remoteTier.writeResource],
      latency: remoteTier.latency,
      readRate: remoteTier.readRate,
    };
    return new KvHierarchy(network, cpu, disk, remote, {
      blockBytes,
      blocksPerChunk,
      offload: cfg.offload,
      hotThreshold: cfg.hot_threshold,
      layerwise: cfg.use_layerwise,
      layers,
    }, allPorts[index], pool(index));
  });
  return {
    hierarchies,
    stores: { localCpu, localDisk, remote: remoteTier, remoteProfile, blockBytes },
    hbmListeners: instances.map((_, i) => listenerFor(i)),
  };
}
