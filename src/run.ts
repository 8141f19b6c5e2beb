import { Cluster } from './cluster/cluster.js';
import { planCluster, type ClusterPlan } from './cluster/plan.js';
import { Simulator } from './engine/simulator.js';
import { MetricsCollector } from './metrics/collector.js';
import { summarize, type Summary } from './metrics/summary.js';
import type { LoadedScenario } from './scenario/load.js';
import { workloadFor } from './workload/from-scenario.js';
import type { Request } from './workload/request.js';

export interface RunResult {
  readonly plan: ClusterPlan;
  readonly metrics: MetricsCollector;
  readonly summary: Summary;
  readonly wallSeconds: number;
}

/** Simulates a loaded scenario to completion: scenario -> workload -> engine + cluster -> metrics. */
export function runScenario(loaded: LoadedScenario): RunResult {
  const t0 = performance.now();
  const { scenario, file } = loaded;
  const plan = planCluster(scenario, file);
  const workload = workloadFor(scenario);
  const sim = new Simulator();
  const metrics = new MetricsCollector();
  const cluster = new Cluster(sim, plan, metrics, workload.blockSize);

  // Arrivals are pulled from the (possibly streamed) workload one at a time.
  const arrivals = workload[Symbol.iterator]();
  const scheduleNext = (): void => {
    const next = arrivals.next();
    if (next.done) return;
    const req: Request = next.value;
    sim.at(Math.max(req.arrival, sim.now), () => {
      cluster.submit(req);
      scheduleNext();
    });
  };
  scheduleNext();
  sim.run();

  if (cluster.inFlight !== 0) {
    // Every admitted request must finish once the event queue drains; anything else is a bug.
    throw new Error(`simulation stalled: ${cluster.inFlight} admitted requests never finished`);
  }
  const evictedBlocks = cluster.prefill.reduce((s, p) => s + p.cache.evictedBlocks, 0);
  const summary = summarize({
    scenario,
    plan,
    metrics,
    workloadSource: workload.source,
    events: sim.eventsProcessed,
    evictedBlocks,
    transferBytes: cluster.handoffBytes,
  });
  return { plan, metrics, summary, wallSeconds: (performance.now() - t0) / 1000 };
}
