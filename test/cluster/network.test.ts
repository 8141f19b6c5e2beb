import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { Simulator } from '../../src/engine/simulator.js';
import { Network } from '../../src/cluster/network.js';

/** Starts transfers at given times and records when each finishes. */
function setup(bandwidth: number[], latency: number) {
  const sim = new Simulator();
  const net = new Network(sim);
  // Each node: one egress and one ingress resource (a full-duplex NIC).
  const egress = bandwidth.map((bw) => net.addResource(bw));
  const ingress = bandwidth.map((bw) => net.addResource(bw));
  const done: Record<string, number> = {};
  const order: string[] = [];
  const send = (at: number, name: string, src: number, dst: number, bytes: number) =>
    sim.at(at, () =>
      net.transfer([egress[src], ingress[dst]], bytes, latency, () => {
        done[name] = sim.now;
        order.push(name);
      }),
    );
  return { sim, net, done, order, send, egress, ingress };
}

describe('Network', () => {
  it('one flow takes latency + bytes / bandwidth', () => {
    // 1e9 B over 25e9 B/s = 0.04 s, + 5 µs latency = 0.040005 s
    const { sim, done, net, send } = setup([25e9, 25e9], 5e-6);
    send(0, 'a', 0, 1, 1e9);
    sim.run();
    expect(done.a).toBeCloseTo(0.040005, 12);
    expect(net.activeFlows).toBe(0);
  });

  it('a flow started later is timed from its own start', () => {
    // starts at 2; 300 B / 100 B/s = 3 s; + 0.5 latency -> 2 + 0.5 + 3 = 5.5
    const { sim, done, send } = setup([100, 100], 0.5);
    send(2, 'a', 1, 0, 300);
    sim.run();
    expect(done.a).toBeCloseTo(5.5, 12);
  });

  it('two simultaneous flows out of one node share its egress: each takes 2B/bw', () => {
    // node 0 NIC 100 B/s; receivers 1 and 2 have 1000 B/s (not the bottleneck).
    // each flow 100 B at 50 B/s = 2 s; + 0.1 latency -> 2.1; callbacks oldest first
    const { sim, done, order, send } = setup([100, 1000, 1000], 0.1);
    send(0, 'a', 0, 1, 100);
    send(0, 'b', 0, 2, 100);
    sim.run();
    expect(done.a).toBeCloseTo(2.1, 12);
    expect(done.b).toBeCloseTo(2.1, 12);
    expect(order).toEqual(['a', 'b']);
  });

  it('a flow that starts when another is halfway gets the fair share from then on (piecewise)', () => {
    // bw(0) = 100 B/s, latency 0.5.
    // a: 100 B requested at 0, on the wire 0.5..; alone at 100 B/s until b joins.
    // b: 100 B requested at 0.5, on the wire at 1.0, when a has 100 − 0.5·100 = 50 B left.
    // 1.0 .. 2.0: both at 50 B/s; a's 50 B take 1 s -> a done at 2.0; b has 100 − 50 = 50 B left.
    // 2.0 .. 2.5: b alone at 100 B/s, 50 B take 0.5 s -> b done at 2.5.
    const { sim, done, send } = setup([100, 1000, 1000], 0.5);
    send(0, 'a', 0, 1, 100);
    send(0.5, 'b', 0, 2, 100);
    sim.run();
    expect(done.a).toBeCloseTo(2.0, 12);
    expect(done.b).toBeCloseTo(2.5, 12);
  });

  it('a short flow joining a long one: three phases', () => {
    // latency 0, bw(0) = 10 B/s.
    // a: 100 B from t=0. b: 10 B from t=2.
    // 0..2: a alone at 10 B/s -> 20 B sent, 80 left.
    // 2..4: both at 5 B/s; b's 10 B take 2 s -> b done at 4; a sent 10 more, 70 left.
    // 4..11: a alone at 10 B/s, 70 B take 7 s -> a done at 11 (= 110 B / 10 B/s: work-conserving).
    const { sim, done, order, send } = setup([10, 1000, 1000], 0);
    send(0, 'a', 0, 1, 100);
    send(2, 'b', 0, 2, 10);
    sim.run();
    expect(done.b).toBeCloseTo(4, 12);
    expect(done.a).toBeCloseTo(11, 12);
    expect(order).toEqual(['b', 'a']);
  });

  it('flows into one node share its ingress', () => {
    // senders 0 and 1 have 1000 B/s, receiver 2 has 100 B/s: each flow gets 100/2 = 50 B/s.
    // 100 B at 50 B/s = 2 s, + 0.25 latency -> 2.25
    const { sim, done, send } = setup([1000, 1000, 100], 0.25);
    send(0, 'a', 0, 2, 100);
    send(0, 'b', 1, 2, 100);
    sim.run();
    expect(done.a).toBeCloseTo(2.25, 12);
    expect(done.b).toBeCloseTo(2.25, 12);
  });

  it('a flow runs at the smaller of its egress and ingress shares (first-order sharing)', () => {
    // all NICs 100 B/s, latency 0. Flows a: 0->2, b: 1->2, c: 1->3, 100 B each, all at t=0.
    // a: min(100/1, 100/2) = 50; b: min(100/2, 100/2) = 50; c: min(100/2, 100/1) = 50.
    // all three 100 B at 50 B/s -> done at 2.
    const { sim, done, send } = setup([100, 100, 100, 100], 0);
    send(0, 'a', 0, 2, 100);
    send(0, 'b', 1, 2, 100);
    send(0, 'c', 1, 3, 100);
    sim.run();
    expect(done.a).toBeCloseTo(2, 12);
    expect(done.b).toBeCloseTo(2, 12);
    expect(done.c).toBeCloseTo(2, 12);
  });

  it('flows on disjoint node pairs do not slow each other', () => {
    // 0->1 and 2->3, 100 B at 100 B/s each: 1 s + 0.1 latency
    const { sim, done, send } = setup([100, 100, 100, 100], 0.1);
    send(0, 'a', 0, 1, 100);
    send(0, 'b', 2, 3, 100);
    sim.run();
    expect(done.a).toBeCloseTo(1.1, 12);
    expect(done.b).toBeCloseTo(1.1, 12);
  });

  it('a zero-byte transfer completes after the latency alone', () => {
    const { sim, done, send } = setup([100, 100], 0.3);
    send(1, 'z', 0, 1, 0);
    sim.run();
    expect(done.z).toBeCloseTo(1.3, 12);
  });

  it('bytesThrough counts the bytes of every transfer requested across a resource', () => {
    const { sim, net, send, egress, ingress } = setup([100, 100, 100], 0.01);
    send(0, 'a', 0, 1, 100);
    send(0.5, 'b', 1, 2, 250);
    send(1, 'c', 2, 0, 0);
    // counted when requested: at 0.75 only a and b
    sim.run(0.75);
    const sent = () => egress.reduce((s, r) => s + net.bytesThrough(r), 0);
    expect(sent()).toBe(350);
    sim.run();
    expect(sent()).toBe(350); // 100 + 250 + 0
    expect(net.bytesThrough(egress[0])).toBe(100);
    expect(net.bytesThrough(ingress[2])).toBe(250);
    expect(net.activeFlows).toBe(0);
  });
});

describe('Network.transferAll', () => {
  it('stripes share like separate transfers and finish once, when the last lands, in one start event', () => {
    // Two stripes of 300 B from node 0 (egress 0 at 100 B/s, shared) to nodes 1 and 2 (ingress 100
    // B/s each), + 0.5 s latency: both run at 100/2 = 50 B/s, land at 0.5 + 300/50 = 6.5 s. A third
    // flow of 600 B from node 1 to node 2 starts at 0.5 s on egress 1 / ingress 2: ingress 2 carries
    // it and stripe 2 (50 each) until 6.5, then it alone: 300 B left at 100 B/s -> 9.5 s.
    const { sim, net, done, send, egress, ingress } = setup([100, 100, 100], 0.5);
    let landed = 0;
    sim.at(0, () =>
      net.transferAll([[egress[0], ingress[1]], [egress[0], ingress[2]]], 300, 0.5, () => {
        landed++;
        done.stripes = sim.now;
      }),
    );
    send(0, 'c', 1, 2, 600);
    sim.run();
    expect(landed).toBe(1);
    expect(done.stripes).toBeCloseTo(6.5, 12);
    expect(done.c).toBeCloseTo(9.5, 12);
    // Bytes are counted when the transfer is issued, per resource crossed.
    expect(net.bytesThrough(egress[0])).toBe(600);
    expect(net.bytesThrough(ingress[2])).toBe(900);
    // Events: transferAll's call and its one start (two transfers: two starts), send's call and
    // start, completions at 6.5 and 9.5. (Started one by one, stripe 1 alone would have scheduled a
    // completion check at 3.5 before stripe 2 joined; the stripes join in one re-rating pass.)
    expect(sim.eventsProcessed).toBe(6);
  });

  it('stripes over one path run as one weighted flow that lands exactly when separate flows would', () => {
    // Three stripes of 300 B over egress 0 -> ingress 1 (100 B/s) run as flows of weight 2 and 1;
    // with a 600 B flow on egress 0 -> ingress 2 (also 100 B/s) started alongside, egress 0 is
    // shared by 4: 25 B/s each; the stripes land at 0.5 + 300/25 = 12.5, the flow alone later... it
    // ran 12 s at 25 (300 B), then 300 B at 100 B/s: 12.5 + 3 = 15.5.
    const { sim, net, done, send, egress, ingress } = setup([100, 100, 100], 0.5);
    const path = [egress[0], ingress[1]];
    sim.at(0, () => net.transferAll([path, path, path], 300, 0.5, () => (done.stripes = sim.now)));
    send(0, 'c', 0, 2, 600);
    sim.run();
    expect(done.stripes).toBeCloseTo(12.5, 12);
    expect(done.c).toBeCloseTo(15.5, 12);
    expect(net.bytesThrough(egress[0])).toBe(1500);
  });

  it('finishes every flow at bit-identical times to one transfer per stripe (random stripes and traffic)', () => {
    // Merging equal stripes into a power-of-two weight scales shares, bytes and rates by 2^k,
    // which rounds exactly: so equality, not a tolerance.
    const flow = fc.record({
      at: fc.integer({ min: 0, max: 12 }).map((x) => x / 3),
      path: fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }),
      bytes: fc.double({ min: 1, max: 5000, noNaN: true }),
      maxRate: fc.constantFrom(Infinity, 33.3, 170),
    });
    // Stripes pick among two paths, so most handoffs have repeated paths (groups of 1 to 8).
    const path = fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 });
    const stripes = fc
      .tuple(path, path, fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 8 }))
      .map(([a, b, picks]) => picks.map((k) => (k === 0 ? a : b)));
    const handoff = fc.record({ at: fc.integer({ min: 0, max: 12 }).map((x) => x / 3), paths: stripes, bytes: fc.double({ min: 1, max: 3000, noNaN: true }) });
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 50, max: 400, noNaN: true }), { minLength: 5, maxLength: 5 }),
        fc.array(flow, { maxLength: 8 }),
        fc.array(handoff, { minLength: 1, maxLength: 4 }),
        (bw, flows, handoffs) => {
          const runWith = (together: boolean): number[] => {
            const sim = new Simulator();
            const net = new Network(sim);
            const ids = bw.map((b) => net.addResource(b));
            const out: number[] = [];
            flows.forEach((f, i) => sim.at(f.at, () => net.transfer(f.path.map((r) => ids[r]), f.bytes, 0.01, () => (out[i] = sim.now), f.maxRate)));
            handoffs.forEach((h, j) => {
              const k = flows.length + j;
              const paths = h.paths.map((p) => p.map((r) => ids[r]));
              sim.at(h.at, () => {
                if (together) net.transferAll(paths, h.bytes, 0.01, () => (out[k] = sim.now));
                else {
                  let left = paths.length;
                  for (const p of paths) net.transfer(p, h.bytes, 0.01, () => {
                    if (--left === 0) out[k] = sim.now;
                  });
                }
              });
            });
            sim.run();
            return out;
          };
          expect(runWith(true)).toEqual(runWith(false));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('zero-byte stripes call done at once after the latency', () => {
    const { sim, net, egress, ingress } = setup([100, 100], 0.25);
    let at = NaN;
    net.transferAll([[egress[0], ingress[1]], [egress[1], ingress[0]]], 0, 0.25, () => (at = sim.now));
    sim.run();
    expect(at).toBe(0.25);
  });
});
