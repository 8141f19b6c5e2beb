import { Cluster, kvPageSize } from './cluster/cluster.js';
import { planCluster, type ClusterPlan } from './cluster/plan.js';
import { checkExpectations, parseExpectations } from './expectations/check.js';
import { Simulator } from './engine/simulator.js';
import { MetricsCollector } from './metrics/collector.js';
import type { RecordSink } from './metrics/request-log.js';
import { kvCacheSummary } from './metrics/kv-cache-summary.js';
import { summarize, type Summary } from './metrics/summary.js';
import type { LoadedScenario } from './scenario/load.js';
import { InputError } from './scenario/input-error.js';
import { workloadFor } from './workload/from-scenario.js';
import type { Request } from './workload/request.js';

/** Simulated seconds between samples of cache-tier occupancy (tiers.csv). */
const OCCUPANCY_INTERVAL_S = 10;

export interface RunResult {
  readonly plan: ClusterPlan;
  readonly metrics: MetricsCollector;
  readonly summary: Summary;
  readonly wallSeconds: number;
  /** Bytes of one cache block (workload block size × KV bytes per token). */
  readonly blockBytes: number;
}

export interface RunOptions {
  /**
   * Keep every request's record in `metrics.records` (default true: tests, small runs). Off, the
   * run's memory follows the requests in flight: records are folded into compact columns.
   */
  readonly keepRecords?: boolean;
  /** Receives each final record in arrival order (e.g. a requests.csv writer). */
  readonly sink?: RecordSink;
  /** Internal, for tests: one event per decode step instead of analytic stepping (same results). */
  readonly steppedDecode?: boolean;
  /**
   * Observer of the run's progress (a terminal progress line), called at every occupancy sample
   * with the simulated time and requests settled so far; must not affect the run.
   */
  readonly onSample?: (simTime: number, finished: number) => void;
}

/** Simulates a loaded scenario to completion: scenario -> workload -> engine + cluster -> metrics. */
export function runScenario(loaded: LoadedScenario, opts: RunOptions = {}): RunResult {
  const t0 = performance.now();
  const { scenario, path } = loaded;
  const claims = parseExpectations(path, scenario.expectations);
  const plan = planCluster(scenario, path);
  const workload = workloadFor(scenario, path);
  const sim = new Simulator();
  // Expectations are checked against per-request records: a run that has some keeps them.
  const metrics = new MetricsCollector(scenario.slo, { ...opts, keepRecords: (opts.keepRecords ?? true) || claims.length > 0 });
  metrics.prefill.memoryActivity = metrics.decode.memoryActivity = scenario.power.memory_activity;
  // Decode KV is reserved in pages (colocated: in the cache's hash blocks); overload detection needs it.
  // Answers are generated on the decode pool's instances (colocated: on both pools; decode's page stands for both).
  metrics.log.kvPageTokens = kvPageSize(plan.decode.kvPageSize, workload.blockSize);
  const cluster = new Cluster(sim, plan, metrics, workload.blockSize, { steppedDecode: opts.steppedDecode });

  // Arrivals are pulled from the (possibly streamed) workload one at a time.
  const arrivals = workload[Symbol.iterator]();
  let arrivalsDone = false;
  const scheduleNext = (): void => {
    const next = arrivals.next();
    if (next.done) {
      arrivalsDone = true;
      return;
    }
    const req: Request = next.value;
    sim.at(Math.max(req.arrival, sim.now), () => {
      cluster.submit(req);
      scheduleNext();
    });
  };
  scheduleNext();
  const sample = (): void => {
    metrics.occupancy.push(cluster.occupancy(sim.now));
    opts.onSample?.(sim.now, metrics.log.total - cluster.inFlight);
    if (!arrivalsDone || cluster.inFlight > 0) sim.after(OCCUPANCY_INTERVAL_S, sample);
  };
  sim.at(0, sample);
  sim.run();

  if (metrics.log.total === 0) {
    // Metrics of nothing would read as "every SLO met": refuse instead of reporting a silent zero.
    const w = scenario.workload;
    const trace = w.type === 'mooncake_trace' || w.type === 'azure_trace';
    throw new InputError(trace ? w.path : path, trace ? '' : 'workload', 'the workload has no requests (empty trace, or start/limit/duration left none)');
  }
  if (cluster.inFlight !== 0) {
    // Every admitted request must finish once the event queue drains; anything else is a bug.
    throw new Error(`simulation stalled: ${cluster.inFlight} admitted requests never finished`);
  }
  const summary = summarize({
    scenario,
    plan,
    metrics,
    workloadSource: workload.source,
    events: sim.eventsProcessed,
    skippedTraceLines: workload.skippedLines ?? 0,
    kvCache: kvCacheSummary(cluster, metrics),
    transferBytes: cluster.handoffBytes,
  });
  if (claims.length) summary.expectations = checkExpectations(claims, { summary, metrics, plan });
  return { plan, metrics, summary, wallSeconds: (performance.now() - t0) / 1000, blockBytes: cluster.tierStores.blockBytes };
}
