/**
 * Transports per path and the striped KV handoff: a TCP handoff setting never caps RDMA storage
 * traffic, and a TP4 handoff striped over each rank's NIC is ~4x faster than over one NIC when
 * the NICs are what binds.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Network } from '../../src/cluster/network.js';
import { Topology, type Transport } from '../../src/cluster/topology.js';
import { Simulator } from '../../src/engine/simulator.js';
import { runScenario } from '../../src/run.js';
import { loadScenario } from '../../src/scenario/load.js';

const dir = mkdtempSync(join(tmpdir(), 'kvsim-transports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A KV handoff (over `handoff`) and an NFS-over-RDMA load start together on the same 400 Gb NIC
 * pair; returns when each ends.
 */
function sharedNic(handoff: Transport): { handoff: number; nfs: number } {
  const sim = new Simulator();
  const net = new Network(sim);
  const topo = new Topology(net, { rdma: 0.9, tcp: 0.25 });
  const a = topo.addNode(1, 50e9, 1);
  const b = topo.addNode(1, 50e9, 1);
  const storage = net.addResource(1e15);
  const ends = { handoff: NaN, nfs: NaN };
  net.transfer([...topo.path(a, 0, 'egress', handoff), ...topo.path(b, 0, 'ingress', handoff)], 5e9, 0, () => (ends.handoff = sim.now));
  net.transfer([storage, ...topo.path(b, 0, 'ingress', 'rdma')], 5e9, 0, () => (ends.nfs = sim.now));
  sim.run();
  return ends;
}

describe('transports per path', () => {
  it('tcp slows the handoff but not an NFS/RDMA load on the same NIC', () => {
    const rdma = sharedNic('rdma');
    const tcp = sharedNic('tcp');
    // rdma handoff: both flows share the RDMA stack (45 GB/s): 22.5 GB/s each -> 5e9 / 22.5e9 = 222 ms.
    expect(rdma.handoff).toBeCloseTo(5e9 / 22.5e9, 9);
    expect(rdma.nfs).toBeCloseTo(5e9 / 22.5e9, 9);
    // tcp handoff: capped by the TCP stack (12.5 GB/s) -> 400 ms; the NFS flow has the RDMA stack
    // to itself and half the wire (25 GB/s) -> 200 ms: not slower than with an RDMA handoff.
    expect(tcp.handoff).toBeCloseTo(5e9 / 12.5e9, 9);
    expect(tcp.nfs).toBeCloseTo(5e9 / 25e9, 9);
    expect(tcp.handoff).toBeGreaterThan(rdma.handoff);
    expect(tcp.nfs).toBeLessThanOrEqual(rdma.nfs);
  });
});

/** One TP4 prefill node and one TP4 decode node, 4 × 400 Gb NICs each, one 16 000-token request. */
function oneHandoff(handoff: 'per_rank' | 'single', transport: Transport = 'rdma'): number {
  const scenario = {
    name: `handoff-${handoff}-${transport}`,
    seed: 1,
    model: 'llama-3.1-70b',
    prefill: { nodes: 1, device: 'mi300x', devices_per_node: 4, tp: 4, nic: { count: 4, bandwidth: '400 Gb/s' } },
    decode: { nodes: 1, device: 'gaudi3', devices_per_node: 4, tp: 4, nic: { count: 4, bandwidth: '400 Gb/s' } },
    network: { transport, handoff },
    workload: {
      type: 'synthetic',
      num_requests: 1,
      arrival: { process: 'poisson', rate: 1 },
      input_tokens: { dist: 'fixed', value: 16000 },
      output_tokens: { dist: 'fixed', value: 2 },
    },
  };
  const file = join(dir, `${scenario.name}.yaml`);
  writeFileSync(file, stringify(scenario));
  return runScenario(loadScenario(file)).summary.kv_transfer_s.mean;
}

describe('KV handoff striped per TP rank', () => {
  it('TP4 over four NICs is ~4x faster than over one when the NICs bind', () => {
    // 16 000 tokens × 327 680 B = 5.24 GB. One NIC at RDMA's 0.9 × 50 GB/s = 45 GB/s: 116.5 ms;
    // four stripes of 1.31 GB over four NICs: 29.1 ms; plus 50 µs of RDMA latency each way.
    const bytes = 16000 * 327_680;
    const single = oneHandoff('single');
    const striped = oneHandoff('per_rank');
    expect(single).toBeCloseTo(50e-6 + bytes / 45e9, 9);
    expect(striped).toBeCloseTo(50e-6 + bytes / 4 / 45e9, 9);
    expect(single / striped).toBeGreaterThan(3.9);
    expect(single / striped).toBeLessThanOrEqual(4);
  });

  it('tcp slows the striped handoff by the TCP/RDMA efficiency ratio', () => {
    const bytes = 16000 * 327_680;
    // TCP: 0.25 × 50 GB/s = 12.5 GB/s per NIC, 500 µs latency.
    expect(oneHandoff('per_rank', 'tcp')).toBeCloseTo(500e-6 + bytes / 4 / 12.5e9, 9);
  });
});
