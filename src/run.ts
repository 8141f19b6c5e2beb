import { dirname, isAbsolute, relative, sep } from 'node:path';
import { Cluster, kvPageSize } from './cluster/cluster.js';
import { planCluster, type ClusterPlan } from './cluster/plan.js';
import { SimulationLimitError, Simulator } from './engine/simulator.js';
import { checkExpectations, parseExpectations } from './expectations/check.js';
import { MetricsCollector } from './metrics/collector.js';
import type { RecordSink } from './metrics/request-log.js';
import { kvCacheSummary } from './metrics/kv-cache-summary.js';
import { summarize, type Summary } from './metrics/summary.js';
import type { LoadedScenario } from './scenario/load.js';
import { InputError } from './scenario/input-error.js';
import { workloadFor } from './workload/from-scenario.js';
import type { Request } from './workload/request.js';

/** Simulated seconds between samples of cache-tier occupancy (tiers.csv), at first. */
const OCCUPANCY_INTERVAL_S = 10;
/**
 * Most occupancy samples kept (even): past this, every other sample is dropped and the interval
 * doubles, so tiers.csv stays bounded however long the simulated horizon (runs up to ~5.7 h keep
 * the 10 s grid).
 */
const MAX_OCCUPANCY_SAMPLES = 2048;

/**
 * Run budgets derived from the workload, guarding against inputs that are valid key by key but
 * absurd together (a run that would simulate years, or spin through billions of events). Far
 * above any real run: the bundled large scenario needs ~125 events per request and the Mooncake
 * conversation trace drains within minutes of its last arrival.
 */
const DRAIN_ALLOWANCE_S = 30 * 86_400;
const DRAIN_PER_REQUEST_S = 60;
const EVENTS_BASE = 1_000_000;
const EVENTS_PER_REQUEST = 1_000;
/** Every prefill or decode step advances at least one token of some request. */
const EVENTS_PER_TOKEN = 4;

/**
 * Pulls arrivals from the (possibly streamed) workload one at a time, each scheduled as an event
 * that submits it and pulls the next; each raises the run's budgets. A class whose events are
 * bound methods, not closures per request (see src/util/countdown.ts).
 */
class ArrivalFeed {
  /** The workload has no more requests. */
  done = false;
  private pulled = 0;

  constructor(
    private readonly arrivals: Iterator<Request>,
    private readonly sim: Simulator,
    private readonly cluster: Cluster,
  ) {}

  scheduleNext(): void {
    const next = this.arrivals.next();
    if (next.done) {
      this.done = true;
      return;
    }
    const req: Request = next.value;
    const sim = this.sim;
    const pulled = ++this.pulled;
    sim.limits.maxEvents += EVENTS_PER_REQUEST + EVENTS_PER_TOKEN * (req.inputTokens + req.outputTokens);
    sim.limits.maxTime = Math.max(sim.limits.maxTime, req.arrival + DRAIN_ALLOWANCE_S + pulled * DRAIN_PER_REQUEST_S);
    sim.at(Math.max(req.arrival, sim.now), this.arrive.bind(this, req));
  }

  private arrive(req: Request): void {
    this.cluster.submit(req);
    this.scheduleNext();
  }
}

export interface RunResult {
  readonly plan: ClusterPlan;
  readonly metrics: MetricsCollector;
  readonly summary: Summary;
  readonly wallSeconds: number;
  /** Bytes of one cache block (workload block size × KV bytes per token). */
  readonly blockBytes: number;
}

/**
 * Outputs must not depend on where the checkout lives or where kvsim was started: a trace path
 * is shown relative to the scenario file's folder (as a scenario would refer to it).
 */
function portablePath(p: string, scenarioFile: string): string {
  return isAbsolute(p) ? relative(dirname(scenarioFile), p).split(sep).join('/') || '.' : p;
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
  /** Internal, for tests: routers ask every instance instead of keeping indexes (same choices). */
  readonly scanRouting?: boolean;
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
  const cluster = new Cluster(sim, plan, metrics, workload.blockSize, { steppedDecode: opts.steppedDecode, scanRouting: opts.scanRouting });

  sim.limits.maxEvents = EVENTS_BASE;
  sim.limits.maxTime = DRAIN_ALLOWANCE_S;
  const arrivals = new ArrivalFeed(workload[Symbol.iterator](), sim, cluster);
  const samples = metrics.occupancy;
  let interval = OCCUPANCY_INTERVAL_S;
  const sample = (): void => {
    samples.push(cluster.occupancy(sim.now));
    if (samples.length > MAX_OCCUPANCY_SAMPLES) {
      // Odd count: the even indices keep the first and the latest sample on a grid twice as wide.
      let w = 0;
      for (let i = 0; i < samples.length; i += 2) samples[w++] = samples[i];
      samples.length = w;
      interval *= 2;
    }
    opts.onSample?.(sim.now, metrics.log.total - cluster.inFlight);
    if (!arrivals.done || cluster.inFlight > 0) sim.after(interval, sample);
  };
  try {
    arrivals.scheduleNext();
    sim.at(0, sample);
    sim.run();
  } catch (e) {
    if (!(e instanceof SimulationLimitError)) throw e;
    const what =
      e.kind === 'time'
        ? `the run reached ${Math.round(e.limit / 86_400)} days of simulated time without finishing (limit derived from the workload: last arrival + 30 days + 1 min per request)`
        : `the run exceeded ${e.limit.toLocaleString('en-US')} events (limit derived from the workload's requests and tokens)`;
    throw new InputError(path, '', `${what}; the cluster is implausibly slow for this workload — check step_overhead, latencies, bandwidths and lengths`);
  }

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
    workloadSource: portablePath(workload.source, loaded.file),
    events: sim.eventsProcessed,
    skippedTraceLines: workload.skippedLines ?? 0,
    kvCache: kvCacheSummary(cluster, metrics, scenario.cost?.remote_per_gb_month),
    transferBytes: cluster.handoffBytes,
  });
  if (claims.length) summary.expectations = checkExpectations(claims, { summary, metrics, plan });
  return { plan, metrics, summary, wallSeconds: (performance.now() - t0) / 1000, blockBytes: cluster.tierStores.blockBytes };
}
