import { describe, expect, it } from 'vitest';
import { PrefixCache } from '../../src/cluster/prefix-cache.js';
import { BLOCK_BYTES, fill, instance, plain, range, remoteTier, seg, world, type RemoteSpec } from './helpers.js';

// All block sizes are BLOCK_BYTES = 1e6 B.
const hashes = range(100, 110); // block i has hash 100 + i

describe('KvHierarchy.findSegments', () => {
  function threeTiers(blocksPerChunk = 1) {
    const { net } = world();
    const remote = remoteTier(net, { latency: 0, readRate: 1e9, writeRate: 1e9, aggregateRead: 1e9, aggregateWrite: 1e9 }, BLOCK_BYTES);
    const { h } = instance(net, {
      h2d: 1e9,
      cpu: { capacity: 100, latency: 0 },
      disk: { capacity: 100, latency: 0, read: 1e9 },
      remote,
      cfg: { blocksPerChunk },
    });
    return { h, cpu: h.cpu!.store, disk: h.disk!.store, remote: remote.store };
  }

  it('groups consecutive blocks by tier, preferring cpu over disk over remote, and stops at a miss', () => {
    const { h, cpu, disk, remote } = threeTiers();
    fill(cpu, [100, 101]);
    fill(disk, [101, 102, 103]); // 101 also in cpu: cpu wins
    fill(remote, [103, 104, 106]); // 103 also on disk: disk wins; 105 is nowhere; 106 is past the miss
    expect(plain(h.findSegments(hashes, 0, 10))).toEqual([
      { tier: 'local_cpu', start: 0, blocks: 2 },
      { tier: 'local_disk', start: 2, blocks: 2 },
      { tier: 'remote', start: 4, blocks: 1 },
    ]);
    // from the HBM hits on: starts at `from`
    expect(plain(h.findSegments(hashes, 1, 10))).toEqual([
      { tier: 'local_cpu', start: 1, blocks: 1 },
      { tier: 'local_disk', start: 2, blocks: 2 },
      { tier: 'remote', start: 4, blocks: 1 },
    ]);
    // never past fullBlocks
    expect(plain(h.findSegments(hashes, 0, 3))).toEqual([
      { tier: 'local_cpu', start: 0, blocks: 2 },
      { tier: 'local_disk', start: 2, blocks: 1 },
    ]);
    // a miss right at `from`: nothing
    expect(plain(h.findSegments(hashes, 5, 10))).toEqual([]);
    expect(plain(h.findSegments(hashes, 6, 10))).toEqual([{ tier: 'remote', start: 6, blocks: 1 }]);
  });

  it('a tier that comes back after another starts a new segment', () => {
    const { h, cpu, disk } = threeTiers();
    fill(cpu, [100, 102]);
    fill(disk, [101]);
    expect(plain(h.findSegments(hashes, 0, 10))).toEqual([
      { tier: 'local_cpu', start: 0, blocks: 1 },
      { tier: 'local_disk', start: 1, blocks: 1 },
      { tier: 'local_cpu', start: 2, blocks: 1 },
    ]);
  });

  it('with 4 blocks per chunk, drops the trailing part-chunk (across segments)', () => {
    const { h, cpu, disk, remote } = threeTiers(4);
    fill(cpu, [100, 101]);
    fill(disk, [102, 103, 104, 105]);
    fill(remote, [106]);
    // 7 blocks found (0..6): 7 mod 4 = 3 dropped -> remote's 1, then 2 of disk's 4
    expect(plain(h.findSegments(hashes, 0, 10))).toEqual([
      { tier: 'local_cpu', start: 0, blocks: 2 },
      { tier: 'local_disk', start: 2, blocks: 2 },
    ]);
    // 8 blocks (0..7): two whole chunks, nothing dropped
    fill(remote, [107]);
    expect(plain(h.findSegments(hashes, 0, 10))).toEqual([
      { tier: 'local_cpu', start: 0, blocks: 2 },
      { tier: 'local_disk', start: 2, blocks: 4 },
      { tier: 'remote', start: 6, blocks: 2 },
    ]);
    // less than one chunk: nothing
    expect(plain(h.findSegments(hashes, 0, 3))).toEqual([]);
  });

  // LMCache chunks are aligned at absolute token positions (multiples of chunk_size), so after an
  // HBM hit that is not chunk-aligned the loaded prefix still ends on an absolute chunk boundary.
  it('with 4 blocks per chunk and 2 HBM hits, the lower-tier prefix ends on a chunk boundary (absolute)', () => {
    const { h, cpu } = threeTiers(4);
    fill(cpu, range(102, 108)); // blocks 2..7
    // prefix found up to block 8 = 2 chunks: blocks 2..7 (6 blocks) complete chunk 0 and chunk 1
    const a = plain(h.findSegments(hashes, 2, 10));
    expect(a).toEqual([{ tier: 'local_cpu', start: 2, blocks: 6 }]);
    // blocks 2..5 only: the prefix is whole up to block 4 (chunk 0); blocks 4..5 are half of chunk 1
    const { h: h2, cpu: cpu2 } = threeTiers(4);
    fill(cpu2, range(102, 106));
    const b = plain(h2.findSegments(hashes, 2, 10));
    expect(b).toEqual([{ tier: 'local_cpu', start: 2, blocks: 2 }]);
    for (const segs of [a, b]) {
      const last = segs[segs.length - 1];
      expect((last.start + last.blocks) % 4).toBe(0);
    }
  });
});

describe('KvHierarchy.estimateLoad', () => {
  it('= latency + blocks·blockBytes / nominal read rate', () => {
    const { net } = world();
    const remote = remoteTier(net, { latency: 0.002, readRate: 0.5e9, writeRate: 1e9, aggregateRead: 40e9, aggregateWrite: 1e9 }, BLOCK_BYTES);
    const { h } = instance(net, {
      h2d: 2e9,
      cpu: { capacity: 10, latency: 1e-5 },
      disk: { capacity: 10, latency: 1e-4, read: 1e9 },
      remote,
    });
    // cpu: 1e-5 + 3e6 / 2e9 = 0.00151
    expect(h.estimateLoad(seg('local_cpu', 0, 3))).toBeCloseTo(0.00151, 12);
    // disk: 1e-4 + 2e6 / min(1e9, 2e9) = 0.0021
    expect(h.estimateLoad(seg('local_disk', 0, 2))).toBeCloseTo(0.0021, 12);
    // remote: 0.002 + 4e6 / min(0.5e9, 2e9) = 0.010
    expect(h.estimateLoad(seg('remote', 5, 4))).toBeCloseTo(0.01, 12);
  });
});

describe('KvHierarchy.load', () => {
  it('a CPU segment is ready at latency + bytes / PCIe', () => {
    const { sim, net } = world();
    const { h } = instance(net, { h2d: 1e9, cpu: { capacity: 10, latency: 0.001 } });
    fill(h.cpu!.store, [100, 101, 102]);
    const segs = h.findSegments(hashes, 0, 10);
    let ready = NaN;
    h.load(hashes, segs, () => (ready = sim.now));
    sim.run();
    // 0.001 + 3e6 / 1e9 = 0.004
    expect(ready).toBeCloseTo(0.004, 12);
    expect(h.cpu!.store.counters.readBlocks).toBe(3);
  });

  it('no segments: ready at once', () => {
    const { sim, net } = world();
    const { h } = instance(net, { h2d: 1e9, cpu: { capacity: 10, latency: 0.001 } });
    let ready = NaN;
    h.load(hashes, [], () => (ready = sim.now));
    expect(ready).toBe(0);
  });

  const spec: RemoteSpec = { latency: 0.002, readRate: 0.5e9, writeRate: 1e9, aggregateRead: 0.8e9, aggregateWrite: 1e9 };

  it('remote: the per-connection cap bounds a lone load', () => {
    const { sim, net } = world();
    const remote = remoteTier(net, spec, BLOCK_BYTES);
    fill(remote.store, [100, 101]);
    const { h } = instance(net, { h2d: 10e9, remote });
    let ready = NaN;
    h.load(hashes, h.findSegments(hashes, 0, 10), () => (ready = sim.now));
    sim.run();
    // 0.002 + 2e6 / min(cap 0.5e9, service 0.8e9, PCIe 10e9) = 0.006
    expect(ready).toBeCloseTo(0.006, 12);
  });

  it('remote: two instances share the service bandwidth', () => {
    const { sim, net } = world();
    const remote = remoteTier(net, spec, BLOCK_BYTES);
    fill(remote.store, [100, 101]);
    const a = instance(net, { h2d: 10e9, remote }).h;
    const b = instance(net, { h2d: 10e9, remote }).h;
    const ready: Record<string, number> = {};
    a.load(hashes, a.findSegments(hashes, 0, 10), () => (ready.a = sim.now));
    b.load(hashes, b.findSegments(hashes, 0, 10), () => (ready.b = sim.now));
    sim.run();
    // both flows from 0.002 at min(0.5e9, 0.8e9 / 2) = 0.4e9: 0.002 + 2e6 / 0.4e9 = 0.007
    expect(ready.a).toBeCloseTo(0.007, 12);
    expect(ready.b).toBeCloseTo(0.007, 12);
    expect(remote.store.counters.readBlocks).toBe(4);
  });

  it('remote: staggered loads switch between the cap and the fair share', () => {
    const { sim, net } = world();
    const remote = remoteTier(net, spec, BLOCK_BYTES);
    fill(remote.store, [100, 101]);
    const a = instance(net, { h2d: 10e9, remote }).h;
    const b = instance(net, { h2d: 10e9, remote }).h;
    const ready: Record<string, number> = {};
    a.load(hashes, a.findSegments(hashes, 0, 10), () => (ready.a = sim.now));
    sim.at(0.001, () => b.load(hashes, b.findSegments(hashes, 0, 10), () => (ready.b = sim.now)));
    sim.run();
    // a: flow from 0.002 at the 0.5e9 cap; by 0.003 it moved 0.5e6, 1.5e6 left.
    // from 0.003 both at 0.8e9 / 2 = 0.4e9: a needs 1.5e6 / 0.4e9 = 0.00375 -> 0.00675.
    // b moved 1.5e6 by then, 0.5e6 left alone at the cap: 0.001 more -> 0.00775.
    expect(ready.a).toBeCloseTo(0.00675, 12);
    expect(ready.b).toBeCloseTo(0.00775, 12);
  });

  it('segments of several tiers load in parallel over the shared PCIe link; ready when all landed', () => {
    const { sim, net } = world();
    const { h } = instance(net, {
      h2d: 2e9,
      cpu: { capacity: 10, latency: 0 },
      disk: { capacity: 10, latency: 0.001, read: 1e9 },
    });
    fill(h.cpu!.store, [100, 101, 102, 103]);
    fill(h.disk!.store, [104, 105, 106]);
    const segs = h.findSegments(hashes, 0, 10);
    expect(plain(segs)).toEqual([
      { tier: 'local_cpu', start: 0, blocks: 4 },
      { tier: 'local_disk', start: 4, blocks: 3 },
    ]);
    let ready = NaN;
    h.load(hashes, segs, () => (ready = sim.now));
    const promotedAt: Record<string, boolean> = {};
    sim.at(0.0035, () => (promotedAt.early = h.cpu!.store.has(104)));
    sim.run();
    // cpu flow alone at 2e9 until 0.001 (2e6 moved, 2e6 left); the disk flow joins: PCIe 2e9 / 2
    // = 1e9 each (disk 1e9 too). cpu done at 0.001 + 2e6 / 1e9 = 0.003; disk moved 2e6 by then,
    // 1e6 left alone at min(disk 1e9, PCIe 2e9): done at 0.004.
    expect(ready).toBeCloseTo(0.004, 12);
    // disk hits are promoted into the CPU tier once loaded, not before
    expect(promotedAt.early).toBe(false);
    expect([104, 105, 106].every((x) => h.cpu!.store.has(x))).toBe(true);
    expect(h.disk!.store.has(104)).toBe(true); // a copy: still on disk
    expect(h.cpu!.store.counters.writtenBlocks).toBe(4 + 3);
    expect(h.disk!.store.counters.readBlocks).toBe(3);
  });

  it('remote hits are promoted into the CPU tier; a full CPU tier demotes its LRU block to disk', () => {
    const { sim, net } = world();
    const remote = remoteTier(net, spec, BLOCK_BYTES);
    const { h } = instance(net, {
      h2d: 10e9,
      cpu: { capacity: 2, latency: 0 },
      disk: { capacity: 10, latency: 0, read: 1e9 },
      remote,
    });
    fill(h.cpu!.store, [1, 2]); // unrelated blocks, LRU order 1 2
    fill(remote.store, [100, 101]);
    h.load(hashes, h.findSegments(hashes, 0, 10), () => {});
    sim.run();
    // promotion writes 100 (evicts 1 -> disk) then 101 (evicts 2 -> disk)
    expect(h.cpu!.store.has(100) && h.cpu!.store.has(101)).toBe(true);
    expect(h.disk!.store.has(1) && h.disk!.store.has(2)).toBe(true);
    expect(remote.store.has(100)).toBe(true);
  });

  it('layer-wise: ready once the first 1/layers of the bytes landed; promotion after the rest', () => {
    const { sim, net } = world();
    const { h } = instance(net, {
      h2d: 1e9,
      cpu: { capacity: 10, latency: 0 },
      disk: { capacity: 10, latency: 0.001, read: 1e9 },
      cfg: { layerwise: true, layers: 4 },
    });
    fill(h.disk!.store, [100, 101, 102, 103]);
    let ready = NaN;
    h.load(hashes, h.findSegments(hashes, 0, 10), () => (ready = sim.now));
    let promotedEarly = true;
    sim.at(0.0049, () => (promotedEarly = h.cpu!.store.has(100)));
    sim.run();
    // first layer: 4e6 / 4 = 1e6 B at 1e9 after 0.001 latency -> ready at 0.002
    expect(ready).toBeCloseTo(0.002, 12);
    // the other 3e6 B stream right after at 1e9 -> landed (and promoted) at 0.005
    expect(promotedEarly).toBe(false);
    expect(h.cpu!.store.has(100)).toBe(true);
    expect(sim.now).toBeCloseTo(0.005, 12);
  });

  it('layer-wise with one layer is a plain load', () => {
    const { sim, net } = world();
    const { h } = instance(net, { h2d: 1e9, cpu: { capacity: 10, latency: 0.001 }, cfg: { layerwise: true, layers: 1 } });
    fill(h.cpu!.store, [100, 101]);
    let ready = NaN;
    h.load(hashes, h.findSegments(hashes, 0, 10), () => (ready = sim.now));
    sim.run();
    // 0.001 + 2e6 / 1e9
    expect(ready).toBeCloseTo(0.003, 12);
  });
});

describe('KvHierarchy demotion', () => {
  const spec: RemoteSpec = { latency: 0.002, readRate: 1e9, writeRate: 0.5e9, aggregateRead: 10e9, aggregateWrite: 10e9 };

  function chain(offload: 'all' | 'hot' | 'evicted') {
    const { sim, net } = world();
    const remote = remoteTier(net, spec, BLOCK_BYTES);
    const { h } = instance(net, {
      h2d: 10e9,
      cpu: { capacity: 2, latency: 0 },
      disk: { capacity: 2, latency: 0, read: 1e9 },
      remote,
      cfg: { offload },
    });
    return { sim, net, h, remote, cpu: h.cpu!.store, disk: h.disk!.store };
  }

  it('HBM eviction -> CPU; CPU eviction -> disk; disk eviction -> remote (offload: evicted)', () => {
    const { sim, net, h, remote, cpu, disk } = chain('evicted');
    for (const x of [1, 2]) h.onHbmEvict(x);
    expect(cpu.has(1) && cpu.has(2)).toBe(true);
    h.onHbmEvict(3); // cpu evicts 1 -> disk
    h.onHbmEvict(4); // cpu evicts 2 -> disk
    expect(disk.has(1) && disk.has(2)).toBe(true);
    expect(cpu.has(3) && cpu.has(4)).toBe(true);
    h.onHbmEvict(5); // cpu evicts 3 -> disk, which evicts 1 -> remote PUT
    expect(disk.has(3) && !disk.has(1)).toBe(true);
    expect(remote.store.has(1)).toBe(false); // in flight
    let at = NaN;
    sim.at(0.0039, () => (at = remote.store.has(1) ? 1 : 0));
    sim.run();
    // PUT visible at 0.002 + 1e6 / 0.5e9 = 0.004
    expect(at).toBe(0);
    expect(remote.store.has(1)).toBe(true);
    expect(sim.now).toBeCloseTo(0.004, 12);
    expect(net.bytesThrough(remote.writeResource)).toBe(1e6);
    expect(cpu.counters.evictedBlocks).toBe(3);
    expect(disk.counters.evictedBlocks).toBe(1);
  });

  it('offload all / hot: what falls out of the disk is dropped, not written to the remote', () => {
    for (const mode of ['all', 'hot'] as const) {
      const { sim, net, h, remote } = chain(mode);
      for (const x of [1, 2, 3, 4, 5, 6]) h.onHbmEvict(x);
      sim.run();
      expect(net.bytesThrough(remote.writeResource)).toBe(0);
      expect(remote.store.usedBlocks).toBe(0);
    }
  });

  it('no CPU tier: HBM evictions go to disk; no local tier: straight to the remote (evicted mode)', () => {
    const { sim, net } = world();
    const remote = remoteTier(net, spec, BLOCK_BYTES);
    const d = instance(net, { h2d: 1e9, disk: { capacity: 1, latency: 0, read: 1e9 }, remote, cfg: { offload: 'evicted' } }).h;
    d.onHbmEvict(7);
    expect(d.disk!.store.has(7)).toBe(true);
    d.onHbmEvict(8); // disk evicts 7 -> remote
    const r = instance(net, { h2d: 1e9, remote, cfg: { offload: 'evicted' } }).h;
    r.onHbmEvict(9);
    sim.run();
    expect(remote.store.has(7) && remote.store.has(9)).toBe(true);
    expect(remote.store.has(8)).toBe(false);
  });

  it('wired to a PrefixCache: HBM LRU victims are demoted in eviction order', () => {
    const { net } = world();
    const small = instance(net, { h2d: 1e9, cpu: { capacity: 1, latency: 0 }, disk: { capacity: 4, latency: 0, read: 1e9 } }).h;
    const hbm = new PrefixCache(2, undefined, (x) => small.onHbmEvict(x));
    expect(hbm.allocate([1, 2], 2, 2)).toBe(0);
    hbm.markComputed([1, 2], 2);
    hbm.release([1, 2], 2, 2); // tail first: LRU order 2, 1
    expect(hbm.allocate([3, 4], 2, 2)).toBe(0); // evicts 2 then 1
    // 2 -> cpu; 1 -> cpu, which pushes 2 down to disk
    expect(small.cpu!.store.has(1)).toBe(true);
    expect(small.disk!.store.has(2)).toBe(true);
    expect(small.cpu!.store.has(2)).toBe(false);
  });
});

describe('Remote offload', () => {
  const spec: RemoteSpec = { latency: 0.002, readRate: 1e9, writeRate: 0.5e9, aggregateRead: 10e9, aggregateWrite: 10e9 };

  it("offload 'all': the full blocks are PUT after prefill, visible when the PUT completes", () => {
    const { sim, net } = world();
    const remote = remoteTier(net, spec, BLOCK_BYTES);
    const { h, d2h } = instance(net, { h2d: 10e9, remote, cfg: { offload: 'all' } });
    h.onComputed([1, 2, 3, 4], 3); // block 4 is the partial last one
    const seen: boolean[] = [];
    sim.at(0.0079, () => seen.push(remote.store.has(1)));
    sim.run();
    // 0.002 + 3e6 / 0.5e9 = 0.008
    expect(seen).toEqual([false]);
    expect(sim.now).toBeCloseTo(0.008, 12);
    expect([1, 2, 3].every((x) => remote.store.has(x))).toBe(true);
    expect(remote.store.has(4)).toBe(false);
    expect(remote.store.counters.writtenBlocks).toBe(3);
    expect(net.bytesThrough(d2h)).toBe(3e6);
    // written again later: already there, no traffic
    h.onComputed([1, 2, 3, 4], 3);
    sim.run();
    expect(net.bytesThrough(remote.writeResource)).toBe(3e6);
  });

  it("offload 'all': two instances writing the same blocks concurrently PUT each block once", () => {
    const { sim, net } = world();
    const remote = remoteTier(net, spec, BLOCK_BYTES);
    const a = instance(net, { h2d: 10e9, remote });
    const b = instance(net, { h2d: 10e9, remote });
    const done: Record<string, number> = {};
    a.h.onComputed([1, 2, 3], 3);
    b.h.onComputed([2, 3, 4], 3); // 2 and 3 are in flight: only 4
    sim.at(0.0041, () => (done.at41 = remote.store.usedBlocks));
    sim.run();
    // b: 0.002 + 1e6 / 0.5e9 = 0.004 -> {4}; a: 0.002 + 3e6 / 0.5e9 = 0.008 -> {1, 2, 3, 4}
    expect(done.at41).toBe(1);
    expect(remote.store.usedBlocks).toBe(4);
    expect(remote.store.counters.writtenBlocks).toBe(4);
    expect(net.bytesThrough(remote.writeResource)).toBe(4e6);
    expect(net.bytesThrough(a.nicOut)).toBe(3e6);
    expect(net.bytesThrough(b.nicOut)).toBe(1e6);
  });

  it("offload 'evicted' / 'hot': onComputed writes nothing", () => {
    for (const offload of ['evicted', 'hot'] as const) {
      const { sim, net } = world();
      const remote = remoteTier(net, spec, BLOCK_BYTES);
      const { h } = instance(net, { h2d: 10e9, remote, cfg: { offload } });
      h.onComputed([1, 2, 3], 3);
      sim.run();
      expect(remote.store.usedBlocks).toBe(0);
      expect(net.bytesThrough(remote.writeResource)).toBe(0);
    }
  });

  it("offload 'hot': a block is PUT once it has been hit hotThreshold times (over all instances)", () => {
    const { sim, net } = world();
    const remote = remoteTier(net, spec, BLOCK_BYTES);
    const a = instance(net, { h2d: 10e9, cpu: { capacity: 10, latency: 0 }, remote, cfg: { offload: 'hot', hotThreshold: 2 } }).h;
    const b = instance(net, { h2d: 10e9, cpu: { capacity: 10, latency: 0 }, remote, cfg: { offload: 'hot', hotThreshold: 2 } }).h;
    fill(a.cpu!.store, [100, 101]);
    fill(b.cpu!.store, [100]);
    a.load(hashes, a.findSegments(hashes, 0, 10), () => {}); // hits: 100 -> 1, 101 -> 1
    sim.run();
    expect(remote.store.usedBlocks).toBe(0);
    expect(net.bytesThrough(remote.writeResource)).toBe(0);
    const t0 = sim.now;
    b.load(hashes, b.findSegments(hashes, 0, 10), () => {}); // 100 -> 2: hot, PUT
    let visibleEarly = true;
    sim.at(t0 + 0.0039, () => (visibleEarly = remote.store.has(100)));
    sim.run();
    // 0.002 + 1e6 / 0.5e9 = 0.004 after the hit
    expect(visibleEarly).toBe(false);
    expect(remote.store.has(100)).toBe(true);
    expect(remote.store.has(101)).toBe(false);
    expect(sim.now - t0).toBeCloseTo(0.004, 12);
    // a remote hit counts but does not re-PUT
    const c = instance(net, { h2d: 10e9, remote, cfg: { offload: 'hot', hotThreshold: 2 } }).h;
    c.load(hashes, c.findSegments(hashes, 0, 10), () => {});
    sim.run();
    expect(remote.hits.get(100)).toBe(3);
    expect(net.bytesThrough(remote.writeResource)).toBe(1e6);
  });
});
