import { rngStream } from '../../src/engine/rng.js';
/**
 * Hand-built KV-tier hierarchies for unit tests: every bandwidth, latency and capacity is given
 * explicitly so that expected times can be computed by hand.
 */
import { Simulator } from '../../src/engine/simulator.js';
import { Network } from '../../src/cluster/network.js';
import { BlockStore } from '../../src/storage/kv-tiers/block-store.js';
import { KvHierarchy, RemoteTier, type HierarchyConfig, type LowerTier, type Segment, type TierPath } from '../../src/storage/kv-tiers/hierarchy.js';
import { EVICTION_POLICIES } from '../../src/policies/eviction/registry.js';
import { REMOTE_PROFILES, type RemoteProfile } from '../../src/storage/catalog.js';
import { LanePool, RemoteService } from '../../src/storage/remote-service.js';

export const lru = (capacity: number) => EVICTION_POLICIES.lru(capacity, { rng: rngStream(1, 'test') });

export function store(name: string, capacity: number, policy = 'lru'): BlockStore {
  return new BlockStore(name, capacity, EVICTION_POLICIES[policy](capacity, { rng: rngStream(1, 'test') }));
}

export interface RemoteSpec {
  capacity?: number;
  latency: number;
  /** Per-connection read / write caps, B/s. */
  readRate: number;
  writeRate: number;
  /** Service-side aggregate bandwidths, B/s. */
  aggregateRead: number;
  aggregateWrite: number;
}

/**
 * A remote store shared by the instances built with `instance` below: one request per transfer
 * (a chunk larger than any test's prompt), one lane, a fixed latency and no request-rate limit, so
 * a load costs latency + bytes / min(per-connection rate, fair shares) as computed by hand.
 */
export function remoteTier(net: Network, spec: RemoteSpec, blockBytes: number): RemoteTier {
  const cap = spec.capacity ?? Infinity;
  const sim = (net as unknown as { sim: Simulator }).sim;
  const profile: RemoteProfile = {
    ...REMOTE_PROFILES.redis,
    latency: { dist: 'fixed', value: spec.latency },
    readBandwidth: spec.readRate,
    writeBandwidth: spec.writeRate,
    connections: 1,
    gatewayReadOps: Infinity,
    gatewayWriteOps: Infinity,
  };
  const service = new RemoteService(sim, net, profile, () => 0.5, { read: spec.aggregateRead, write: spec.aggregateWrite });
  return new RemoteTier(service, store('remote', cap), { kvBytesPerToken: blockBytes, blockSize: 1, chunkTokens: 1e12 }, 1, spec.readRate, spec.writeRate);
}

export interface InstanceSpec {
  /** Host->device bandwidth (the instance's PCIe, load direction), B/s. */
  h2d: number;
  /** Device->host direction (offloads), B/s. Default: same as h2d. */
  d2h?: number;
  /** NIC ingress / egress of the instance's node, B/s. Default: 1e12 (never the bottleneck). */
  nic?: number;
  cpu?: { capacity: number; latency: number; policy?: string };
  disk?: { capacity: number; latency: number; read: number; policy?: string };
  remote?: RemoteTier;
  cfg?: Partial<HierarchyConfig>;
}

export const BLOCK_BYTES = 1e6;

/** One instance's hierarchy, wired like buildTiers does (paths over the network resources). */
export function instance(net: Network, spec: InstanceSpec) {
  const h2d = net.addResource(spec.h2d);
  const d2h = net.addResource(spec.d2h ?? spec.h2d);
  const nicIn = net.addResource(spec.nic ?? 1e12);
  const nicOut = net.addResource(spec.nic ?? 1e12);
  const cfg: HierarchyConfig = {
    blockBytes: BLOCK_BYTES,
    blocksPerChunk: 1,
    offload: 'all',
    hotThreshold: 2,
    layerwise: false,
    layers: 1,
    ...spec.cfg,
  };
  let cpu: TierPath | undefined;
  if (spec.cpu) {
    cpu = {
      store: store('local_cpu', spec.cpu.capacity, spec.cpu.policy),
      readPath: [h2d],
      latency: spec.cpu.latency,
      readRate: Infinity,
    };
  }
  let disk: TierPath | undefined;
  let diskRes: number | undefined;
  if (spec.disk) {
    diskRes = net.addResource(spec.disk.read);
    disk = {
      store: store('local_disk', spec.disk.capacity, spec.disk.policy),
      readPath: [diskRes, h2d],
      latency: spec.disk.latency,
      readRate: Infinity,
    };
  }
  const r = spec.remote;
  const remote = r && {
    tier: r,
    store: r.store,
    client: { tp: 1, readPool: new LanePool(1), writePool: new LanePool(1), readPath: [r.readResource, nicIn, h2d], writePath: [d2h, nicOut, r.writeResource] },
  };
  const ports = { rdmaOut: [nicOut], rdmaIn: [nicIn], h2d, pcieBandwidth: spec.h2d, egressLoad: () => net.flowsOn(nicOut) };
  const h = new KvHierarchy(net, cpu, disk, remote, cfg, ports);
  return { h, h2d, d2h, nicIn, nicOut, diskRes };
}

export function world() {
  const sim = new Simulator();
  const net = new Network(sim);
  return { sim, net };
}

/** Puts blocks straight into a store (as if written earlier), discarding evictions. */
export function fill(s: BlockStore, hashes: readonly number[]): void {
  const out: number[] = [];
  for (const h of hashes) s.write(h, 1, out);
}

export const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

/** A segment of one of the instance's own tiers (or the remote store). */
export function seg(tier: LowerTier, start: number, blocks: number): Segment {
  return { tier, start, blocks, peer: -1 } as Segment;
}

/** Segments without fields beyond tier/start/blocks, for exact comparisons. */
export function plain(segs: readonly Segment[]): { tier: LowerTier; start: number; blocks: number }[] {
  return segs.map(({ tier, start, blocks }) => ({ tier, start, blocks }));
}
