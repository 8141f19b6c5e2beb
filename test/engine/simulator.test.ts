import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Simulator } from '../../src/engine/simulator.js';

describe('Simulator', () => {
  it('starts at time 0 with no events processed', () => {
    const sim = new Simulator();
    expect(sim.now).toBe(0);
    expect(sim.eventsProcessed).toBe(0);
    sim.run();
    expect(sim.now).toBe(0);
  });

  it('runs events in time order and sets now to each event time', () => {
    const sim = new Simulator();
    const seen: [string, number][] = [];
    sim.at(3, () => seen.push(['c', sim.now]));
    sim.at(1, () => seen.push(['a', sim.now]));
    sim.at(2.5, () => seen.push(['b', sim.now]));
    sim.run();
    expect(seen).toEqual([
      ['a', 1],
      ['b', 2.5],
      ['c', 3],
    ]);
    expect(sim.now).toBe(3);
    expect(sim.eventsProcessed).toBe(3);
  });

  it('runs equal-time events in scheduling order, including ones scheduled by an event for now', () => {
    const sim = new Simulator();
    const seen: string[] = [];
    sim.at(1, () => {
      seen.push('x');
      // Scheduled at now=1 while y and z (also at 1) are already queued: runs after them.
      sim.after(0, () => seen.push('w'));
    });
    sim.at(1, () => seen.push('y'));
    sim.at(1, () => seen.push('z'));
    sim.run();
    expect(seen).toEqual(['x', 'y', 'z', 'w']);
  });

  it('after(delay) is relative to now', () => {
    const sim = new Simulator();
    const times: number[] = [];
    sim.at(2, () => sim.after(0.5, () => times.push(sim.now)));
    sim.run();
    // 2 + 0.5 = 2.5
    expect(times).toEqual([2.5]);
  });

  it('throws when an event is scheduled in the past or at NaN, and queues nothing', () => {
    const sim = new Simulator();
    let threw: unknown = null;
    sim.at(5, () => {
      try {
        sim.at(4.999, () => undefined);
      } catch (e) {
        threw = e;
      }
    });
    sim.run();
    expect(threw).toBeInstanceOf(Error);
    expect(sim.eventsProcessed).toBe(1); // the rejected event was never queued
    expect(() => sim.at(1, () => undefined)).toThrow(/past/);
    expect(() => sim.after(-0.001, () => undefined)).toThrow();
    expect(() => sim.at(NaN, () => undefined)).toThrow(/NaN/);
    expect(() => sim.at(5, () => undefined)).not.toThrow(); // exactly now is allowed
  });

  it('run(until) stops before events after `until`, runs events exactly at `until`, and can resume', () => {
    const sim = new Simulator();
    const seen: number[] = [];
    for (const t of [1, 2, 3, 4]) sim.at(t, () => seen.push(t));
    sim.run(2);
    expect(seen).toEqual([1, 2]);
    expect(sim.now).toBe(2);
    expect(sim.eventsProcessed).toBe(2);
    sim.run(2.5); // nothing in (2, 2.5]
    expect(seen).toEqual([1, 2]);
    sim.run();
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(sim.now).toBe(4);
  });

  it('run(until) also stops before events scheduled by earlier events beyond `until`', () => {
    const sim = new Simulator();
    const seen: number[] = [];
    sim.at(1, () => {
      seen.push(sim.now);
      sim.after(1, () => seen.push(sim.now)); // at 2, within until
      sim.after(5, () => seen.push(sim.now)); // at 6, beyond until
    });
    sim.run(3);
    expect(seen).toEqual([1, 2]);
    sim.run();
    expect(seen).toEqual([1, 2, 6]);
  });

  it('property: time never decreases, ties are FIFO, every event runs once, even when events schedule events', () => {
    // Each initial event has a time and a list of child delays; each child has its own grandchild delays.
    const delay = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 5, noNaN: true }));
    const node = fc.record({
      time: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.double({ min: 0, max: 10, noNaN: true })),
      children: fc.array(fc.record({ delay, grand: fc.array(delay, { maxLength: 3 }) }), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(node, { maxLength: 30 }), (nodes) => {
        const sim = new Simulator();
        // log of [time it was scheduled for, global scheduling sequence number, observed now]
        const log: { at: number; seq: number; now: number }[] = [];
        let seq = 0;
        let expected = 0;
        const schedule = (at: number, body: () => void): void => {
          const my = seq++;
          expected++;
          sim.at(at, () => {
            log.push({ at, seq: my, now: sim.now });
            body();
          });
        };
        for (const n of nodes) {
          schedule(n.time, () => {
            for (const c of n.children) {
              schedule(sim.now + c.delay, () => {
                for (const g of c.grand) schedule(sim.now + g, () => undefined);
              });
            }
          });
        }
        sim.run();
        expect(log.length).toBe(expected);
        expect(sim.eventsProcessed).toBe(expected);
        for (let i = 0; i < log.length; i++) {
          expect(log[i].now).toBe(log[i].at);
          if (i > 0) {
            expect(log[i].now).toBeGreaterThanOrEqual(log[i - 1].now);
            // FIFO: an event at the same time as its predecessor was scheduled after it.
            if (log[i].now === log[i - 1].now) expect(log[i].seq).toBeGreaterThan(log[i - 1].seq);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('Simulator watchdog', () => {
  it('stops a run whose events never let time advance, with an error naming the instant', () => {
    const sim = new Simulator();
    const spin = (): void => sim.after(0, spin);
    sim.at(2, spin);
    expect(() => sim.run()).toThrow(/simulated time stalled at 2 s/);
  });
});
