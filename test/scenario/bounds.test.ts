/**
 * Plausibility bounds: every numeric scenario key declares a range (so the reference shows it and
 * absurd values are input errors), unit mistakes get hints, and runs are bounded in simulated time,
 * events and occupancy samples by budgets derived from the workload.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimulationLimitError, Simulator } from '../../src/engine/simulator.js';
import { runScenario } from '../../src/run.js';
import { InputError } from '../../src/scenario/input-error.js';
import { loadScenario } from '../../src/scenario/load.js';
import { scenarioJsonSchema } from '../../src/scenario/reference.js';

const TINY = 'test/fixtures/scenarios/tiny-8b.yaml';
const dir = mkdtempSync(join(tmpdir(), 'kvsim-bounds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Node = Record<string, unknown>;

/** Every schema node accepting a number, with its key path. */
function numericKeys(node: Node, path: string, out: [string, Node][]): void {
  const opts = ((node.anyOf ?? node.oneOf) as Node[] | undefined) ?? [node];
  for (const o of opts) {
    if (o !== node) numericKeys(o, path, out);
    const types = ([] as unknown[]).concat(o.type ?? []);
    if (types.includes('number') || types.includes('integer')) out.push([path, o]);
    for (const [k, child] of Object.entries((o.properties as Record<string, Node> | undefined) ?? {})) numericKeys(child, path ? `${path}.${k}` : k, out);
    if (o.additionalProperties && typeof o.additionalProperties === 'object') numericKeys(o.additionalProperties as Node, `${path}.<name>`, out);
  }
}

describe('every numeric key has plausibility bounds in the schema', () => {
  const keys: [string, Node][] = [];
  numericKeys(scenarioJsonSchema(), '', keys);
  // seed is an identifier, not a quantity: any integer is fine. An expectation is a claim about the
  // run's results, not an input to it: src/expectations/claim.ts parses and checks it (a bare number
  // is not a range or bound there).
  const checked = keys.filter(([k]) => k !== 'seed' && k !== 'expectations.<name>');

  it('finds the numeric keys (the walk works)', () => {
    expect(checked.length).toBeGreaterThan(50);
    expect(checked.map(([k]) => k)).toContain('prefill.nodes');
    expect(checked.map(([k]) => k)).toContain('cache.remote.read_bandwidth');
  });

  it('declares each one with a range (declare new keys with boundedInt/boundedNumber/boundedQuantity)', () => {
    const missing = checked.filter(([, n]) => typeof n['x-range'] !== 'string').map(([k]) => k);
    expect(missing).toEqual([]);
  });
});

function loadError(sets: string[]): string {
  try {
    loadScenario(TINY, sets);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message;
  }
  throw new Error(`expected ${sets.join(' ')} to be rejected`);
}

describe('unit-mistake hints', () => {
  it.each([
    [['prefill.nic.bandwidth=400'], 'a bare number is bytes/s; did you mean "400 GB/s" or "400 Gb/s"?'],
    [['cache.local_cpu.size=512'], 'a bare number is bytes; did you mean "512 GB"?'],
    [['network.latency=50'], 'a bare number is seconds; did you mean "50 ms" or "50 us"?'],
    [['decode.gpu_memory_utilization=85'], 'a fraction, not a percentage: did you mean 0.85?'],
    [['hardware.h100.fp8_tflops=1979e12'], 'in TFLOP/s: did you mean 1979?'],
  ])('%j -> %s', (sets, hint) => {
    expect(loadError(sets)).toContain(hint);
  });

  it('values with units are not given bare-number hints', () => {
    expect(loadError(['prefill.nic.bandwidth=400 kB/s'])).not.toContain('bare number');
  });

  it('bounds are inclusive where stated: the extremes load', () => {
    expect(() => loadScenario(TINY, ['prefill.gpu_memory_utilization=1', 'network.latency=1 s', 'decode.nic.bandwidth=1 TB/s'])).not.toThrow();
  });
});

describe('run budgets derived from the workload (no wall clock)', () => {
  it('Simulator stops at maxTime and maxEvents with SimulationLimitError', () => {
    const sim = new Simulator();
    sim.limits.maxTime = 100;
    const tick = (): void => sim.after(30, tick);
    sim.at(0, tick);
    // Events at 0, 30, 60, 90 run; the one at 120 is past the limit.
    expect(() => sim.run()).toThrow(SimulationLimitError);
    expect(sim.now).toBe(90);
    const s2 = new Simulator();
    s2.limits.maxEvents = 5;
    s2.at(0, function again() {
      s2.after(1, again);
    });
    expect(() => s2.run()).toThrow(/event count/);
    expect(s2.eventsProcessed).toBe(5);
  });

  it('a run that would simulate years (valid key by key) is an input error naming the scenario', () => {
    // One request, 300,000 output tokens at 10 s per decode step: 3e6 s ≈ 35 days > 30 days + 1 min.
    const loaded = loadScenario(TINY, ['workload.num_requests=1', 'workload.output_tokens={dist: fixed, value: 300000}', 'hardware.h100.step_overhead=10']);
    expect(() => runScenario(loaded)).toThrow(/tiny-8b\.yaml: the run reached 30 days of simulated time/);
  });

  it('occupancy samples stay bounded however long the horizon (the interval adapts)', () => {
    // Two requests 100 days apart: a 10 s grid would need 864,000 samples.
    const trace = join(dir, 'far-apart.jsonl');
    writeFileSync(trace, '{"timestamp": 0, "input_length": 512, "output_length": 4, "hash_ids": [1]}\n{"timestamp": 8640000000, "input_length": 512, "output_length": 4, "hash_ids": [2]}\n');
    const r = runScenario(loadScenario(TINY, [], trace));
    expect(r.summary.requests.finished).toBe(2);
    const occ = r.metrics.occupancy;
    expect(occ.length).toBeLessThanOrEqual(2049);
    expect(occ.length).toBeGreaterThan(1024);
    // Still an evenly spaced grid starting at 0.
    const step = occ[1].time - occ[0].time;
    expect(occ[0].time).toBe(0);
    for (let i = 1; i < occ.length; i++) expect(occ[i].time - occ[i - 1].time).toBeCloseTo(step, 6);
  });
});
