import { describe, expect, it } from 'vitest';
import { buildTiers } from '../../src/storage/kv-tiers/build.js';
import { Network } from '../../src/cluster/network.js';
import { Simulator } from '../../src/engine/simulator.js';
import { InputError } from '../../src/scenario/input-error.js';
import { scenarioSchema, type CacheConfig } from '../../src/scenario/schema.js';
import { fill, seg } from './helpers.js';

const GiB = 2 ** 30;

function cacheConfig(input: unknown): CacheConfig {
  return scenarioSchema.shape.cache.parse(input) as CacheConfig;
}

/** Two prefill instances (TP2, 1e10 B/s NIC each), 16-token blocks of 1000 B/token = 16 000 B. */
function build(input: unknown, blockSize = 16) {
  const sim = new Simulator();
  const net = new Network(sim);
  const ports = [0, 1].map(() => {
    const out = net.addResource(1e10);
    const inn = net.addResource(1e10);
    return { nicOut: () => [out], nicIn: () => [inn], tp: 2, egressLoad: () => net.flowsOn(out) };
  });
  const built = buildTiers({
    network: net, sim, cfg: cacheConfig(input), instances: ports, blockSize, kvBytesPerToken: 1000, layers: 80,
    file: 'test.yaml', peerFetch: false, rdmaLatency: 0, seed: 1,
  });
  return { sim, net, ...built };
}

describe('buildTiers', () => {
  it('no lower tier: no hierarchy', () => {
    const { hierarchies, stores } = build({});
    expect(hierarchies).toEqual([undefined, undefined]);
    expect(stores.localCpu).toEqual([]);
    expect(stores.remote).toBeUndefined();
    expect(stores.blockBytes).toBe(16_000);
  });

  it('capacities in whole blocks per instance; the remote store is shared', () => {
    const { hierarchies, stores } = build({
      chunk_size: 16,
      local_cpu: { size: 160_000 }, // 160 000 / 16 000 = 10 blocks
      local_disk: { size: '1 MB' }, // 1e6 / 16 000 = 62.5 -> 62 blocks
      remote: { backend: 'nfs_rdma' },
    });
    const [a, b] = hierarchies;
    expect(a!.cpu!.store.capacityBlocks).toBe(10);
    expect(a!.disk!.store.capacityBlocks).toBe(62);
    expect(a!.cpu!.store).not.toBe(b!.cpu!.store);
    expect(a!.remote!.tier).toBe(b!.remote!.tier);
    expect(stores.remote!.store.capacityBlocks).toBe(Infinity);
    expect(stores.localCpu).toHaveLength(2);
    expect(stores.localDisk).toHaveLength(2);
    expect(stores.remoteProfile!.id).toBe('nfs_rdma');
  });

  it('stores keep per-block costs only when some tier is cost-aware (costs are handed down the tiers)', () => {
    const tiers = (disk: string) =>
      build({
        chunk_size: 16,
        local_cpu: { size: 160_000, eviction: 'lru' },
        local_disk: { size: '1 MB', eviction: disk },
        remote: { backend: 'nfs_rdma' },
      }).hierarchies[0]!;
    // 10-block DRAM: the 11th write evicts block 0, written with cost 7.
    const costOfVictim = (disk: string) => {
      const cpu = tiers(disk).cpu!.store;
      cpu.put(0, 7);
      for (let h = 1; h <= 10; h++) cpu.put(h, 1);
      return cpu.victimCosts[0];
    };
    expect(costOfVictim('cost_aware')).toBe(7); // the disk below reads it
    expect(costOfVictim('s3fifo')).toBe(1); // nobody reads it: not kept
  });

  it('load estimates from the catalog profiles, PCIe × TP and the NIC', () => {
    const { hierarchies } = build({
      chunk_size: 16,
      pcie_bandwidth: '10 GB/s', // × TP 2 = 2e10 B/s
      local_cpu: { size: '1 GB' },
      local_disk: { size: '1 GB' },
      remote: { backend: 'nfs_rdma' },
    });
    const h = hierarchies[0]!;
    // 4 blocks = 64 000 B
    // cpu: 10 µs + 64 000 / 2e10 = 1e-5 + 3.2e-6
    expect(h.estimateLoad(seg('local_cpu', 0, 4))).toBeCloseTo(1.32e-5, 15);
    // disk: 100 µs + 64 000 / min(13e9, 2e10)
    expect(h.estimateLoad(seg('local_disk', 0, 4))).toBeCloseTo(1e-4 + 64_000 / 13e9, 15);
    // nfs_rdma: 2 ms + 64 000 / min(26.4 GiB/s, 43.4 GiB/s, NIC 1e10, PCIe 2e10) = 2e-3 + 6.4e-6
    expect(26.4 * GiB).toBeGreaterThan(1e10);
    expect(h.estimateLoad(seg('remote', 0, 4))).toBeCloseTo(2.0064e-3, 15);
  });

  // cache.local_cpu.read_bandwidth (documented "loads only") caps CPU loads below the PCIe rate.
  it('cache.local_cpu.read_bandwidth bounds CPU loads (estimate and flow)', () => {
    const { sim, hierarchies } = build({
      chunk_size: 16,
      pcie_bandwidth: '10 GB/s', // × TP 2 = 2e10 B/s
      local_cpu: { size: '1 GB', latency: 0, read_bandwidth: '1 GB/s' },
    });
    const h = hierarchies[0]!;
    // 4 blocks = 64 000 B at min(1e9, 2e10): 6.4e-5 s
    expect(h.estimateLoad(seg('local_cpu', 0, 4))).toBeCloseTo(6.4e-5, 15);
    fill(h.cpu!.store, [0, 1, 2, 3]);
    let ready = NaN;
    h.load([0, 1, 2, 3], h.findSegments([0, 1, 2, 3], 0, 4), () => (ready = sim.now));
    sim.run();
    expect(ready).toBeCloseTo(6.4e-5, 15);
  });

  it('remote: one object per chunk and rank; connections bound the requests in flight', () => {
    const { hierarchies } = build({
      chunk_size: 16,
      remote: { backend: 's3', latency: '5 ms', read_bandwidth: '0.5 GB/s', connections: 4 },
    });
    // 4 blocks of 16 tokens = 4 chunks × TP 2 = 8 objects of 8 000 B. 4 lanes -> 2 rounds of 5 ms;
    // bytes at 4 lanes × min(0.5e9 per connection, 1e10 NIC / 4): 64 000 / 2e9 = 3.2e-5.
    expect(hierarchies[0]!.estimateLoad(seg('remote', 0, 4))).toBeCloseTo(10.032e-3, 15);
  });

  it('scenario overrides of the remote profile reach the estimate (default pool of 64 connections)', () => {
    const { hierarchies } = build({
      chunk_size: 16,
      remote: { backend: 's3', latency: '5 ms', read_bandwidth: '0.5 GB/s' },
    });
    // 8 objects on 8 of the 64 connections: one round of 5 ms; 64 000 / (8 × min(0.5e9, 1e10 / 8)) = 1.6e-5
    expect(hierarchies[0]!.estimateLoad(seg('remote', 0, 4))).toBeCloseTo(5.016e-3, 15);
  });

  it('chunk_size: a multiple of the block makes lookups whole chunks; neither divisor nor multiple is an input error', () => {
    const { hierarchies } = build({ chunk_size: 64, local_cpu: { size: '1 GB' } }); // 4 blocks per chunk
    const h = hierarchies[0]!;
    fill(h.cpu!.store, [0, 1, 2, 3, 4, 5]);
    expect(h.findSegments([0, 1, 2, 3, 4, 5, 6], 0, 7).map((s) => s.blocks)).toEqual([4]);
    // chunk 8 < block 16: 8 divides 16 -> 1 block per chunk
    const small = build({ chunk_size: 8, local_cpu: { size: '1 GB' } }).hierarchies[0]!;
    fill(small.cpu!.store, [0, 1, 2]);
    expect(small.findSegments([0, 1, 2, 3], 0, 4).map((s) => s.blocks)).toEqual([3]);
    expect(() => build({ chunk_size: 24, local_cpu: { size: '1 GB' } })).toThrow(InputError);
    expect(() => build({ chunk_size: 24, local_cpu: { size: '1 GB' } })).toThrow(/cache\.chunk_size/);
  });

  it('a tier smaller than one block is an input error', () => {
    // 1 kB is the smallest plausible tier size (schema bound); a 16-token block of this model is 16,000 B.
    expect(() => build({ chunk_size: 16, local_cpu: { size: 15_999 } })).toThrow(/cache\.local_cpu\.size/);
    expect(() => build({ chunk_size: 16, local_disk: { size: 1000 } })).toThrow(/cache\.local_disk\.size/);
    expect(() => build({ chunk_size: 16, remote: { backend: 's3', size: 1000 } })).toThrow(/cache\.remote\.size/);
  });
});
