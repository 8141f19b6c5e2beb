/**
 * What routers and admission control see: a prefill instance's estimated TTFT, a decode instance's
 * predicted TBT, and which NIC a transfer takes. Fake step-time models make every number
 * hand-computable.
 */
import { describe, expect, it } from 'vitest';
import { DecodeInstance } from '../../src/cluster/decode-instance.js';
import { Network } from '../../src/cluster/network.js';
import { PrefillInstance } from '../../src/cluster/prefill-instance.js';
import { PrefixCache } from '../../src/cluster/prefix-cache.js';
import { Topology } from '../../src/cluster/topology.js';
import { Simulator } from '../../src/engine/simulator.js';
import { PoolStats } from '../../src/metrics/collector.js';
import type { BatchShape } from '../../src/cluster/step-time.js';
import { fakeModel, rec, RecordingGaps, req } from './fakes.js';

const BS = 16;

describe('PrefillInstance.estimateTtft = queued work + load + own prefill', () => {
  // Step time = 0.001·prefillTokens + 0.01 s; chunk budget 512 tokens, so the instance's prefill
  // throughput is (0.001·512 + 0.01) / 512 = 0.522 / 512 s per queued token.
  const linear = (b: BatchShape) => 0.001 * b.prefillTokens + 0.01;
  const perToken = 0.522 / 512;
  function setup() {
    const sim = new Simulator();
    const { model } = fakeModel(linear);
    const inst: PrefillInstance = new PrefillInstance(0, 0, sim, model, { maxNumSeqs: 16, maxNumBatchedTokens: 512 }, BS,
      new PrefixCache(10_000), new PoolStats(), (r) => inst.releaseKv(r));
    return { sim, inst };
  }

  it('an idle instance: just the prefill of the whole prompt', () => {
    const { inst } = setup();
    // 0.001·100 + 0.01 = 0.11 s
    expect(inst.estimateTtft(req(1, 100, 10, BS))).toBeCloseTo(0.11, 12);
  });

  it('queued prompts ahead add their tokens at the instance throughput', () => {
    const { inst } = setup();
    inst.enqueue(rec(req(1, 1000, 10, BS)));
    inst.enqueue(rec(req(2, 300, 10, BS)));
    // (1000 + 300)·0.522/512 = 1.325390625 s queued + 0.11 s own prefill
    expect(inst.estimateTtft(req(3, 100, 10, BS))).toBeCloseTo(1300 * perToken + 0.11, 12);
  });

  it('cached prefix blocks are not recomputed; at least the last prompt token is', () => {
    const { sim, inst } = setup();
    const first = req(1, 64, 10, BS); // 4 full blocks, ids 10000..10003
    inst.enqueue(rec(first));
    sim.run(); // prefilled and released: its 4 blocks stay cached
    // Shares 2 of its blocks, then 3 of its own (80 tokens, 5 blocks): 32 cached, 48 computed:
    // 0.001·48 + 0.01 = 0.058 s, queue empty.
    const shared = req(2, 80, 10, BS, [10000, 10001, 7, 8, 9]);
    expect(inst.estimateTtft(shared)).toBeCloseTo(0.058, 12);
    // The same 64-token prompt again: all 4 blocks hit, but the last token is recomputed: 0.011 s.
    expect(inst.estimateTtft(req(1, 64, 10, BS))).toBeCloseTo(0.011, 12);
    // A prompt that misses at its first block reuses nothing even if later blocks match.
    expect(inst.estimateTtft(req(3, 64, 10, BS, [1, 10001, 10002, 10003]))).toBeCloseTo(0.074, 12);
  });
});

describe('DecodeInstance.predictedTbt = step time with the new sequence in the batch', () => {
  // Step time = 0.01 + 0.001·B + 1e-6·(Σ context) s.
  const step = (b: BatchShape) => 0.01 + 0.001 * b.decodeSeqs + 1e-6 * b.decodeContextTokens;
  function setup() {
    const sim = new Simulator();
    const { model } = fakeModel(step);
    const inst = new DecodeInstance(0, 0, sim, model, { maxNumSeqs: 64, maxNumBatchedTokens: 8192 }, BS, 10_000,
      new PoolStats(), new RecordingGaps(), (r, into) => sim.after(0.1, () => into.onTransferred(r)), () => {});
    return { sim, inst };
  }

  it('an idle instance: a batch of one', () => {
    const { inst } = setup();
    // B = 1, context 1001: 0.01 + 0.001 + 0.001001 = 0.012001
    expect(inst.predictedTbt(1001)).toBeCloseTo(0.012001, 12);
  });

  it('a sequence still transferring counts with the newcomer context; a running one with its own', () => {
    const { sim, inst } = setup();
    const a = rec(req(1, 500, 100, BS));
    inst.handoff(a);
    // a reserved, not running: B = 2, context 1001·2 = 2002: 0.01 + 0.002 + 0.002002 = 0.014002
    expect(inst.predictedTbt(1001)).toBeCloseTo(0.014002, 12);
    let running = NaN;
    // a lands at 0.1 and joins the first step, which attends over its 500-token prompt (~11.5 ms).
    sim.at(0.105, () => (running = inst.predictedTbt(1001)));
    sim.run();
    // B = 2, context 500 + 1001 = 1501: 0.01 + 0.002 + 0.001501 = 0.013501
    expect(running).toBeCloseTo(0.013501, 12);
  });
});

describe('Topology: NIC choice', () => {
  it('an instance prefers the NICs next to its devices; with fewer NICs than instances, they share', () => {
    const topo = new Topology(new Network(new Simulator()), { rdma: 1, tcp: 1 });
    const eight = topo.addNode(8, 1e9, 8);
    // 8 NICs on 8 devices: NIC k sits next to device k.
    expect(topo.preferred(eight, 2, 2)).toEqual([2, 3]);
    const two = topo.addNode(2, 1e9, 8);
    // 2 NICs on 8 devices: NIC 0 next to device 0, NIC 1 next to device 4 (k·8/2).
    expect(topo.preferred(two, 0, 4)).toEqual([0]);
    expect(topo.preferred(two, 4, 4)).toEqual([1]);
    // TP2 at devices 2-3 has no NIC of its own: floor(2 / (8/2)) % 2 = NIC 0; devices 6-7: NIC 1.
    expect(topo.preferred(two, 2, 2)).toEqual([0]);
    expect(topo.preferred(two, 6, 2)).toEqual([1]);
  });

  it('a transfer takes the preferred NIC with the fewest flows, ties to the first preferred', () => {
    const sim = new Simulator();
    const net = new Network(sim);
    const topo = new Topology(net, { rdma: 0.9, tcp: 0.25 });
    const node = topo.addNode(2, 1e9, 2);
    // Resources are created egress/ingress per NIC in order: NIC 0 = (0, 1), NIC 1 = (2, 3); pick
    // returns NIC indices.
    expect(topo.pick(node, [0, 1], 'egress')).toBe(0);
    expect(topo.pick(node, [0, 1], 'ingress')).toBe(0);
    net.transfer(topo.path(node, 0, 'egress', 'rdma'), 1e9, 0, () => {}); // ~1.1 s on NIC 0 egress
    const seen: number[] = [];
    sim.at(0.5, () => {
      seen.push(topo.pick(node, [0, 1], 'egress')); // NIC 0 has 1 flow, NIC 1 none -> NIC 1
      seen.push(topo.pick(node, [0, 1], 'ingress')); // ingress idle on both -> first preferred, NIC 0
      seen.push(topo.pick(node, [0], 'egress')); // only NIC 0 preferred, busy or not -> 0
    });
    sim.run();
    expect(seen).toEqual([1, 0, 0]);
  });
});
