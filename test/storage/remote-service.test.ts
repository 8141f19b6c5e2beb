/**
 * The remote-store request model (RemoteService + layoutRequests + NFS mounts) against
 * hand-computed times, and the acceptance properties: one vs many connections, chunk size,
 * NFS/RDMA vs S3 on small objects and on bandwidth, and node scaling until client NICs bind.
 */
import { describe, expect, it } from 'vitest';
import { Network } from '../../src/cluster/network.js';
import { Topology } from '../../src/cluster/topology.js';
import { Simulator } from '../../src/engine/simulator.js';
import { REMOTE_PROFILES, type RemoteProfile } from '../../src/storage/catalog.js';
import { LanePool, layoutRequests, nfsMountBandwidth, RemoteService, type RequestBatch } from '../../src/storage/remote-service.js';

const MiB = 2 ** 20;

/** A profile with a fixed latency and no request-rate limit, for hand-computed times. */
function simple(over: Partial<RemoteProfile> = {}): RemoteProfile {
  return {
    ...REMOTE_PROFILES.s3,
    latency: { dist: 'fixed', value: 0.01 },
    gatewayReadOps: Infinity,
    gatewayWriteOps: Infinity,
    ...over,
  };
}

function world() {
  const sim = new Simulator();
  const net = new Network(sim);
  return { sim, net };
}

/** Time for one batch alone. */
function timeOf(profile: RemoteProfile, batch: Omit<RequestBatch, 'path'>, clientBandwidth = 1e15, aggregate?: number): number {
  const { sim, net } = world();
  const svc = new RemoteService(sim, net, profile, () => 0.5, { read: aggregate });
  const client = net.addResource(clientBandwidth);
  let done = NaN;
  svc.get({ ...batch, path: [svc.readResource, client] }, () => (done = sim.now));
  sim.run();
  return done;
}

describe('layoutRequests: one object per LMCache chunk and TP rank, multipart above the part size', () => {
  const layout = { kvBytesPerToken: 1000, blockSize: 512, chunkTokens: 256 };
  it('chunks × ranks objects; parts of at most the part size', () => {
    // 4 blocks × 512 = 2048 tokens = 8 chunks; TP 2 -> 16 objects of 128 000 B (below 8 MiB: no parts)
    expect(layoutRequests(REMOTE_PROFILES.s3, layout, 4, 2, 'read')).toEqual({ units: 16, unitBytes: 128_000, extraRequests: 0 });
    // Llama-70B-sized objects: 256 tokens × 327 680 B / TP 2 = 41.9 MB -> 5 parts of 8.39 MB each,
    // and an upload adds CreateMultipartUpload + CompleteMultipartUpload per object.
    const big = { kvBytesPerToken: 327_680, blockSize: 512, chunkTokens: 256 };
    const r = layoutRequests(REMOTE_PROFILES.s3, big, 1, 2, 'write');
    expect(r.units).toBe(4 * 5);
    expect(r.unitBytes).toBeCloseTo((256 * 327_680) / 2 / 5, 6);
    expect(r.extraRequests).toBe(2 * 4);
    // Files (NFS) are never split.
    expect(layoutRequests(REMOTE_PROFILES.nfs_rdma, big, 1, 2, 'read')).toEqual({ units: 4, unitBytes: (256 * 327_680) / 2, extraRequests: 0 });
  });
});

describe('RemoteService: per-request latency, connection pool, rate limit, aggregate', () => {
  it('one connection pays every request latency in turn; many connections overlap them', () => {
    const p = simple({ readBandwidth: 1e9 });
    // 8 objects of 1e7 B at 1e9 B/s each: one lane = 8 × (10 ms + 10 ms) = 160 ms.
    expect(timeOf(p, { units: 8, unitBytes: 1e7, lanes: 1, laneRate: 1e9, extraRequests: 0 })).toBeCloseTo(0.16, 9);
    // 8 lanes, nothing else binding: all in parallel = 10 ms + 10 ms.
    expect(timeOf(p, { units: 8, unitBytes: 1e7, lanes: 8, laneRate: 1e9, extraRequests: 0 })).toBeCloseTo(0.02, 9);
    // 4 lanes: two rounds = 40 ms.
    expect(timeOf(p, { units: 8, unitBytes: 1e7, lanes: 4, laneRate: 1e9, extraRequests: 0 })).toBeCloseTo(0.04, 9);
  });

  it("a client's pool is shared by its batches: a second batch queues behind the first", () => {
    const { sim, net } = world();
    const svc = new RemoteService(sim, net, simple({ readBandwidth: 1e9 }), () => 0.5);
    const pool = new LanePool(2);
    const ends: number[] = [];
    const batch = { units: 2, unitBytes: 1e7, path: [svc.readResource], lanes: 2, laneRate: 1e9, extraRequests: 0, pool };
    svc.get(batch, () => ends.push(sim.now));
    svc.get(batch, () => ends.push(sim.now));
    sim.run();
    // Each request: 10 ms latency + 10 ms of bytes. Two slots: the first batch takes both (20 ms),
    // the second starts as they free (40 ms).
    expect(ends[0]).toBeCloseTo(0.02, 9);
    expect(ends[1]).toBeCloseTo(0.04, 9);
    expect(pool.busy).toBe(0);
  });

  it('chunk size changes the result: fewer, larger objects amortize the per-object latency', () => {
    const p = simple({ readBandwidth: 1e9, partSize: undefined });
    const layout = (chunkTokens: number) => ({ kvBytesPerToken: 1000, blockSize: 512, chunkTokens });
    const time = (chunkTokens: number) => {
      const r = layoutRequests(p, layout(chunkTokens), 8, 1, 'read');
      return timeOf(p, { ...r, lanes: 1, laneRate: 1e9 });
    };
    // 8 blocks = 4096 tokens = 4.096e6 B at 1e9 B/s = 4.096 ms of data on one connection, plus
    // 10 ms per object: chunk 128 -> 32 objects (324.1 ms), 256 -> 16 (164.1 ms), 512 -> 8 (84.1 ms).
    expect(time(128)).toBeCloseTo(0.32 + 0.004096, 9);
    expect(time(256)).toBeCloseTo(0.16 + 0.004096, 9);
    expect(time(512)).toBeCloseTo(0.08 + 0.004096, 9);
  });

  it('the request-rate limit queues requests one slot apart (gateways × ops per gateway)', () => {
    // 2 gateways × 50 req/s = 100 req/s: 10 requests admitted at 0, 10 ms, ..., 90 ms; latency 0,
    // 1 B each at 1e9 B/s: the last lands at 90 ms + 1 ns.
    const p = simple({ latency: { dist: 'fixed', value: 0 }, gateways: 2, gatewayReadOps: 50 });
    expect(timeOf(p, { units: 10, unitBytes: 1, lanes: 10, laneRate: 1e9, extraRequests: 0 })).toBeCloseTo(0.09 + 1e-9, 12);
  });

  it('counts GET and PUT requests (multipart create/complete included) and bytes', () => {
    const { sim, net } = world();
    const svc = new RemoteService(sim, net, simple(), () => 0.5);
    const path = [svc.readResource];
    svc.get({ units: 5, unitBytes: 100, path, lanes: 2, laneRate: 1e9, extraRequests: 0 }, () => {});
    svc.put({ units: 6, unitBytes: 50, path: [svc.writeResource], lanes: 2, laneRate: 1e9, extraRequests: 2 }, () => {});
    sim.run();
    expect(svc.counters).toEqual({ getRequests: 5, putRequests: 8, readBytes: 500, writtenBytes: 300 });
  });

  it('latencies are drawn from a seeded stream: same seed, same times; the lognormal stays in its range', () => {
    const p = REMOTE_PROFILES.s3;
    const run = (seed: number) => {
      let x = seed;
      const rng = () => ((x = (x * 16807) % 2147483647) / 2147483647);
      const { sim, net } = world();
      const svc = new RemoteService(sim, net, p, rng);
      const times: number[] = [];
      for (let i = 0; i < 50; i++) svc.get({ units: 1, unitBytes: 0, path: [svc.readResource], lanes: 1, laneRate: 1e9, extraRequests: 0 }, () => times.push(sim.now));
      sim.run();
      return times;
    };
    expect(run(3)).toEqual(run(3));
    // 50 requests admitted 1/312 000 s apart: the rate limit adds < 0.2 ms; latency in [10, 100] ms.
    for (const t of run(3)) {
      expect(t).toBeGreaterThanOrEqual(0.01);
      expect(t).toBeLessThanOrEqual(0.1 + 50 / 312_000);
    }
  });

  it('the aggregate scales with nodes (min of nodes × per node, gateways × per gateway)', () => {
    const { sim, net } = world();
    const s3 = new RemoteService(sim, net, REMOTE_PROFILES.s3, () => 0.5);
    expect(s3.aggregateReadBandwidth).toBeCloseTo(10 * 5.3e9, 0); // Reef: 53 GB/s on 10 nodes
    const s3x2 = new RemoteService(sim, net, { ...REMOTE_PROFILES.s3, nodes: 20 }, () => 0.5);
    expect(s3x2.aggregateReadBandwidth).toBeCloseTo(20 * 5.3e9, 0);
    // NFS: one Ganesha server (43.4 GiB/s) binds before 10 OSD nodes (92.5 GiB/s); two do not.
    const nfs = new RemoteService(sim, net, REMOTE_PROFILES.nfs_rdma, () => 0.5);
    expect(nfs.aggregateReadBandwidth).toBeCloseTo(43.4 * 2 ** 30, 0);
    const nfs3 = new RemoteService(sim, net, { ...REMOTE_PROFILES.nfs_rdma, gateways: 3 }, () => 0.5);
    expect(nfs3.aggregateReadBandwidth).toBeCloseTo(10 * 9.25 * 2 ** 30, 0);
  });
});

describe('NFS mount: rsize/wsize and nconnect', () => {
  it('bandwidth = nconnect × per-connection rate × RPC efficiency relative to rsize 1 MiB', () => {
    const rate = 26.4 * 2 ** 30;
    expect(nfsMountBandwidth(rate, MiB, 1, 10e-6)).toBeCloseTo(rate, 0);
    expect(nfsMountBandwidth(rate, MiB, 4, 10e-6)).toBeCloseTo(4 * rate, 0);
    // 64 KiB RPCs: efficiency 65 536 / (65 536 + 1e-5 × rate) vs 1 MiB's.
    const eff = (s: number) => s / (s + 1e-5 * rate);
    expect(nfsMountBandwidth(rate, 64 * 1024, 1, 10e-6)).toBeCloseTo(rate * (eff(65_536) / eff(MiB)), 0);
    expect(nfsMountBandwidth(rate, 64 * 1024, 1, 10e-6)).toBeLessThan(0.3 * rate);
  });
});

/** Many clients, each on its own NIC (wire + transport stack), reading `objects` chunk objects each. */
function throughput(profile: RemoteProfile, clients: number, objectsEach: number, objectBytes: number, nicLine = 50e9): number {
  const { sim, net } = world();
  const topo = new Topology(net, { rdma: 0.9, tcp: 0.25 });
  const svc = new RemoteService(sim, net, profile, () => 0.5);
  let last = 0;
  for (let c = 0; c < clients; c++) {
    const node = topo.addNode(1, nicLine, 1);
    const mount = profile.nfs
      ? [net.addResource(nfsMountBandwidth(profile.readBandwidth, profile.nfs.rsize, profile.nfs.nconnect, profile.nfs.rpcOverhead))]
      : [];
    const path = [svc.readResource, ...topo.path(node, 0, 'ingress', profile.transport), ...mount];
    svc.get(
      { units: objectsEach, unitBytes: objectBytes, path, lanes: profile.connections, laneRate: profile.nfs ? Infinity : profile.readBandwidth, extraRequests: 0 },
      () => (last = sim.now),
    );
  }
  sim.run();
  return (clients * objectsEach * objectBytes) / last;
}

describe('acceptance: NFS/RDMA vs S3 (catalog profiles)', () => {
  it('NFS/RDMA beats S3 on small-object latency', () => {
    const fixedMean = (p: RemoteProfile): RemoteProfile => ({ ...p, latency: { dist: 'fixed', value: p.latency.dist === 'lognormal' ? p.latency.mean : 0 } });
    const one = (p: RemoteProfile) => timeOf(p, { units: 1, unitBytes: 64 * 1024, lanes: 1, laneRate: p.nfs ? Infinity : p.readBandwidth, extraRequests: 0 });
    // One 64 KiB object: NFS ≈ its 2 ms op, S3 ≈ its 30 ms first byte: over 10x apart.
    expect(one(fixedMean(REMOTE_PROFILES.s3))).toBeGreaterThan(10 * one(fixedMean(REMOTE_PROFILES.nfs_rdma)));
  });

  it('S3 with enough parallelism matches NFS/RDMA bandwidth at scale; with one connection it cannot', () => {
    const obj = 42e6; // a 256-token Llama-70B chunk per TP-2 rank
    const nfs = throughput(REMOTE_PROFILES.nfs_rdma, 8, 64, obj);
    const s3Many = throughput(REMOTE_PROFILES.s3, 8, 64, obj);
    const s3One = throughput({ ...REMOTE_PROFILES.s3, connections: 1 }, 8, 64, obj);
    // 8 clients: NFS is capped by its one Ganesha server (46.6 GB/s); S3 with LMCache's 64
    // connections by its 10 RGW nodes (53 GB/s) -> at least as fast; one connection each: 8 × 1 GB/s.
    expect(s3Many).toBeGreaterThanOrEqual(0.95 * nfs);
    expect(s3One).toBeLessThan(0.25 * nfs);
    expect(s3One).toBeLessThanOrEqual(8e9 * 1.0001);
  });

  it('adding storage nodes raises the aggregate until the client NICs bind', () => {
    const obj = 42e6;
    // Zero latency and no request-rate limit: only bandwidth is in question here.
    const at = (nodes: number) =>
      throughput({ ...REMOTE_PROFILES.s3, latency: { dist: 'fixed', value: 0 }, gatewayReadOps: Infinity, nodes, gateways: 2 * nodes }, 4, 64, obj);
    const t = [1, 2, 4, 8, 16, 32].map(at);
    const rel = (x: number, y: number) => Math.abs(x / y - 1);
    // nodes × 5.3 GB/s until 4 clients × the TCP stack of one 400 Gb NIC (0.25 × 50 GB/s = 12.5 GB/s)
    // = 50 GB/s binds (between 8 and 16 nodes); beyond, more nodes change nothing.
    [1, 2, 4, 8].forEach((n, i) => expect(rel(t[i], n * 5.3e9)).toBeLessThan(1e-9));
    expect(rel(t[4], 4 * 0.25 * 50e9)).toBeLessThan(1e-9);
    expect(rel(t[5], 4 * 0.25 * 50e9)).toBeLessThan(1e-9);
  });
});
