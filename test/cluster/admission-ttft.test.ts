import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/cluster/cluster.js';
import { planCluster } from '../../src/cluster/plan.js';
import { Simulator } from '../../src/engine/simulator.js';
import { MetricsCollector } from '../../src/metrics/collector.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { Request } from '../../src/workload/request.js';

const TINY_70B = fileURLToPath(new URL('../fixtures/scenarios/tiny-70b.yaml', import.meta.url));
const BLOCK = 16;

function cluster(overrides: string[] = []) {
  const loaded = loadScenario(TINY_70B, overrides);
  const plan = planCluster(loaded.scenario, loaded.path);
  const sim = new Simulator();
  return { sim, plan, c: new Cluster(sim, plan, new MetricsCollector(), BLOCK) };
}

const request = (id: number, input: number, output: number, arrival = 0): Request => ({
  id,
  arrival,
  inputTokens: input,
  outputTokens: output,
  blockHashes: Array.from({ length: Math.ceil(input / BLOCK) }, (_, i) => id * 10_000 + i),
});

/**
 * Admission control predicts the client-visible TTFT (vLLM PD proxy): prefill-side estimate, then
 * on the decode instance the request would go to: reservation wait, KV handoff, first decode step.
 */
describe('admission: predicted client-visible TTFT', () => {
  it('idle cluster: prefill + handoff (latency + bytes / NIC rate) + one decode step over the prompt', () => {
    const { plan, c } = cluster();
    const r = request(1, 1000, 40);
    const prefill = plan.prefill.stepModel.prefillTime(1000, 0);
    // Llama-3.1-70B KV: 327,680 B/token -> 327,680,000 B over the slower of the two NICs (no other flow).
    const bytes = 1000 * 327_680;
    const transfer = c.predictHandoff(r, c.prefill[0], c.decode[0]);
    // No other flow: the handoff runs at no more than the slower NIC's line rate.
    expect(transfer).toBeGreaterThanOrEqual(plan.transferLatency + bytes / Math.min(plan.prefill.nicLineRate, plan.decode.nicLineRate));
    const firstStep = plan.decode.stepModel.decodeTime(1, 1000);
    expect(plan.prefill.stepModel.kvBytesPerToken).toBe(327_680);
    expect(c.decode[0].predictReservationWait(r)).toBe(0);
    expect(c.predictTtft(r, c.prefill[0])).toBeCloseTo(prefill + transfer + firstStep, 12);
    // The decode part is what the prefill-side estimate used to leave out.
    expect(c.predictTtft(r, c.prefill[0])).toBeGreaterThan(c.prefill[0].estimateTtft(r) + transfer);
  });

  it('a full decode instance: its KV reservation comes after the running sequence, not at prefill end', () => {
    // max_num_seqs = 1 and a long answer occupying it.
    const { sim, plan, c } = cluster(['decode.max_num_seqs=1']);
    sim.at(0, () => c.submit(request(1, 1000, 2000)));
    const b = request(2, 1000, 40, 5);
    let predicted = NaN;
    let parts = { prefill: NaN, wait: NaN, firstStep: NaN };
    sim.at(5, () => {
      parts = { prefill: c.prefill[0].estimateTtft(b), wait: c.decode[0].predictReservationWait(b), firstStep: c.decode[0].predictedTbt(1000) };
      predicted = c.predictTtft(b, c.prefill[0]);
    });
    sim.run(5);
    // Request 1 decodes ~2000 steps from ~0.5 s on: the wait dwarfs B's prefill.
    expect(parts.wait).toBeGreaterThan(10 * parts.prefill);
    const transfer = c.predictHandoff(b, c.prefill[0], c.decode[0]);
    // Reserved at max(prefill end, room) = the wait; then the handoff and B's first step.
    expect(predicted).toBeCloseTo(Math.max(parts.prefill, parts.wait) + transfer + parts.firstStep, 12);
  });

  it('admission rejects on the client-visible prediction: a TTFT limit the prefill side alone meets', () => {
    const { sim, c } = cluster(['decode.max_num_seqs=1', 'admission.enabled=true', 'admission.ttft_limit=2 s']);
    sim.at(0, () => c.submit(request(1, 1000, 2000)));
    sim.at(5, () => c.submit(request(2, 1000, 40, 5)));
    sim.run(5);
    const recs = (c as unknown as { metrics: MetricsCollector }).metrics.records;
    expect(recs[0].rejected).toBe('');
    expect(recs[1].rejected).toMatch(/^ttft: predicted TTFT \d+\.\d{3} s > limit 2 s$/);
    expect(c.prefill[0].estimateTtft(request(3, 1000, 40))).toBeLessThan(2);
  });
});
