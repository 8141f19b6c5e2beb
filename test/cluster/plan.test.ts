/** planCluster: a scenario resolved against the catalogs (what gets built, what it costs), and its input errors. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEVICES } from '../../src/cluster/catalog/hardware.js';
import { TRANSPORTS } from '../../src/cluster/catalog/transports.js';
import { planCluster } from '../../src/cluster/plan.js';
import { InputError } from '../../src/scenario/input-error.js';
import { loadScenario } from '../../src/scenario/load.js';

const TINY = fileURLToPath(new URL('../fixtures/scenarios/tiny-70b.yaml', import.meta.url));
const plan = (sets: string[] = []) => {
  const l = loadScenario(TINY, sets);
  return planCluster(l.scenario, l.path);
};
/** The InputError planCluster throws, as "field: detail". */
const error = (sets: string[]): string => {
  try {
    plan(sets);
  } catch (e) {
    if (e instanceof InputError) return `${e.field}: ${e.detail}`;
    throw e;
  }
  return 'no error';
};

describe('planCluster', () => {
  it('pools: instances, NICs (default one 400 Gb/s per device at the transport efficiency) and prices', () => {
    const p = plan(['prefill.nodes=2', 'prefill.devices_per_node=4', 'prefill.tp=2']);
    // 2 nodes × 4 devices / TP2 = 4 instances, 2 per node; price 2 · 4 · $1.99 = $15.92/h
    expect(p.prefill).toMatchObject({ role: 'prefill', instances: 4, instancesPerNode: 2, nics: 4 });
    expect(p.prefill.nicLineRate).toBeCloseTo(400e9 / 8, 3);
    expect(p.transportEfficiency.rdma).toBe(TRANSPORTS.rdma.efficiency);
    expect(p.prefill.pricePerHour).toBeCloseTo(2 * 4 * DEVICES.mi300x.pricePerHour, 9);
    // decode: 1 node × 4 Gaudi3 / TP4 = 1 instance
    expect(p.decode).toMatchObject({ role: 'decode', instances: 1, instancesPerNode: 1 });
    expect(p.pricePerHour).toBeCloseTo(p.prefill.pricePerHour + p.decode.pricePerHour, 9);
    expect(p.prefill.kvTokensPerInstance).toBeGreaterThan(0);
    expect(p).toMatchObject({ transport: 'rdma', transferLatency: TRANSPORTS.rdma.latency, mode: 'disaggregated', admission: undefined });
  });

  it('explicit NICs, transport and network overrides', () => {
    const p = plan(['prefill.nic={count: 2, bandwidth: 100 Gb/s}', 'network.transport=tcp', 'network.latency=1 ms', 'network.efficiency=0.5']);
    expect(p.prefill.nics).toBe(2);
    // The NIC wire runs at line rate; the handoff transport (tcp) reaches the given efficiency of it.
    expect(p.prefill.nicLineRate).toBeCloseTo(100e9 / 8, 3);
    expect(p.transportEfficiency.tcp).toBe(0.5);
    expect(p.transportEfficiency.rdma).toBe(TRANSPORTS.rdma.efficiency);
    expect(p).toMatchObject({ transport: 'tcp', transferLatency: 0.001 });
  });

  it('hardware overrides change a catalog device or define a new one based on it', () => {
    const p = plan([
      'hardware.mi300x={price_per_hour: 3, mfu: 0.5, mbu: 0.6, step_overhead: 0.002, hbm: 256 GB, hbm_bandwidth: 6 TB/s, bf16_tflops: 1000, fp8_tflops: 2000}',
      'hardware.my-gpu={base: h100, name: My GPU}',
      'decode.device=my-gpu',
      'decode.devices_per_node=8',
      'decode.tp=8',
    ]);
    expect(p.prefill.device).toMatchObject({
      id: 'mi300x', name: DEVICES.mi300x.name, hbmBytes: 256e9, hbmBandwidth: 6e12, peakFlops: { bf16: 1e15, fp8: 2e15 }, pricePerHour: 3,
      // mfu sets the GEMM efficiency of both dtypes, mbu the weight-streaming HBM efficiency.
      efficiency: { gemm: { bf16: 0.5, fp8: 0.5 }, hbm: 0.6, stepOverhead: 0.002 },
    });
    expect(p.prefill.device.sources.override).toContain('scenario override');
    expect(p.decode.device).toMatchObject({ id: 'my-gpu', name: 'My GPU', hbmBytes: DEVICES.h100.hbmBytes, efficiency: DEVICES.h100.efficiency });
    // An override without a name keeps the base's name for a catalog id, takes its id for a new device.
    expect(plan(['hardware.my-gpu={base: h100}', 'decode.device=my-gpu']).decode.device.name).toBe('my-gpu');
  });

  it('admission: off by default; explicit limits; else the tightest SLO target (TBT falls back to TPOT)', () => {
    expect(plan().admission).toBeUndefined();
    expect(plan(['admission={enabled: true, ttft_limit: 2 s, tbt_limit: 50 ms}']).admission).toEqual({ ttft: 2, tbt: 0.05 });
    expect(plan(['admission.enabled=true', 'slo={ttft_p50: 3 s, ttft_p99: 1 s, tbt_p99: 80 ms, tbt_p50: 90 ms}']).admission).toEqual({ ttft: 1, tbt: 0.08 });
    expect(plan(['admission.enabled=true', 'slo={tpot_p90: 40 ms}']).admission).toEqual({ ttft: undefined, tbt: 0.04 });
    // A programmatic scenario may carry an SLO key whose value is undefined: it is no target (not NaN).
    const l = loadScenario(TINY, ['admission.enabled=true', 'slo={ttft_p99: 2 s}']);
    const withHole = { ...l.scenario, slo: { ...l.scenario.slo, ttft_p50: undefined } };
    expect(planCluster(withHole, l.path).admission).toEqual({ ttft: 2, tbt: undefined });
    expect(error(['admission.enabled=true', 'slo={e2e_p99: 40 s}'])).toMatch(/^admission: enabled but no limit/);
  });

  it('input errors name the key and what is wrong', () => {
    expect(error(['prefill.devices_per_node=4', 'prefill.tp=3'])).toBe('prefill.tp: tp 3 must divide devices_per_node 4');
    expect(error(['prefill.gpu_memory_utilization=0.5'])).toMatch(/^prefill\.tp: Llama-3\.1-70B weights \(141\.\d GB\) \+ activations \([\d.]+ GB\) do not fit in 1×mi300x at gpu_memory_utilization 0\.5; raise tp/);
    expect(error(['model=gpt-9'])).toMatch(/^model: unknown model "gpt-9"; known: (\S+, )+\S+$/);
    expect(error(['model=gpt-9'])).toContain('llama-3.1-70b, ');
    expect(error(['decode.device=tpu'])).toMatch(/^decode\.device: unknown device "tpu"; known: .*gaudi3/);
    expect(error(['hardware.x={base: nope}', 'decode.device=x'])).toMatch(/^hardware\.x\.base: unknown device "nope"; known: .*, x$/);
  });

  it('a hardware override of one field keeps every other field of the base device', () => {
    const base = DEVICES.mi300x;
    const only = (set: string) => {
      const d = plan([`hardware.mi300x={${set}}`]).prefill.device;
      return { ...d, sources: { ...d.sources, override: undefined } };
    };
    const same = { ...base, sources: { ...base.sources, override: undefined } };
    // toStrictEqual: a default lost to `undefined` would show as a differing key.
    expect(only('purchase_price: 12345')).toStrictEqual({ ...same, purchasePrice: 12345 });
    expect(only('tdp_watts: 700')).toStrictEqual({ ...same, tdpWatts: 700 });
    expect(only('scale_up: {latency: 10 ms}')).toStrictEqual({ ...same, scaleUp: { ...base.scaleUp, latency: 0.01 } });
    // mfu sets both GEMM efficiencies; gemm_efficiency of one dtype wins over it for that dtype only.
    expect(only('mfu: 0.4, gemm_efficiency: {fp8: 0.3}').efficiency).toStrictEqual({ ...base.efficiency, gemm: { bf16: 0.4, fp8: 0.3 } });
    expect(only('gemm_efficiency: {bf16: 0.35}').efficiency.gemm).toStrictEqual({ bf16: 0.35, fp8: base.efficiency.gemm.fp8 });
  });

  it('a hardware override sets every field it names', () => {
    const d = plan([
      'hardware.mi300x={tdp_watts: 600, idle_watts: 80, purchase_price: 9000, price_per_hour: 2.5, gemm_efficiency: {bf16: 0.61, fp8: 0.52}, mbu: 0.77,' +
        ' prefill_attention_efficiency: 0.33, decode_attention_efficiency: 0.44, step_overhead: 3 ms, seq_overhead: 2 ms,' +
        ' scale_up: {topology: switch, peer_bandwidth: 100 GB/s, aggregate_bandwidth: 900 GB/s, latency: 4 ms, bus_efficiency: 0.9, algorithm: ring, overlap: 0.25}}',
    ]).prefill.device;
    expect(d).toMatchObject({ tdpWatts: 600, idleWatts: 80, purchasePrice: 9000, pricePerHour: 2.5 });
    expect(d.efficiency).toStrictEqual({
      gemm: { bf16: 0.61, fp8: 0.52 }, hbm: 0.77, prefillAttention: 0.33, decodeAttention: 0.44, stepOverhead: 0.003, seqOverhead: 0.002,
    });
    expect(d.scaleUp).toStrictEqual({
      ...DEVICES.mi300x.scaleUp,
      topology: 'switch', perPeerBandwidth: 100e9, aggregateBandwidth: 900e9, latency: 0.004, busEfficiency: 0.9, algorithm: 'ring', overlap: 0.25,
    });
    // Pool price follows the overridden hourly price: 1 node · 1 device · $2.5/h.
    expect(plan(['hardware.mi300x={price_per_hour: 2.5}']).prefill.pricePerHour).toBe(2.5);
  });

  it('idle power above the TDP is refused, with the catalog value of whichever side is not overridden', () => {
    // MI300X catalog: TDP 750 W, idle 90 W.
    expect(error(['hardware.mi300x={tdp_watts: 500, idle_watts: 600}'])).toBe('hardware.mi300x.idle_watts: idle power 600 W exceeds the TDP 500 W');
    expect(error(['hardware.mi300x={idle_watts: 751}'])).toBe('hardware.mi300x.idle_watts: idle power 751 W exceeds the TDP 750 W');
    expect(error(['hardware.mi300x={tdp_watts: 89}'])).toBe('hardware.mi300x.idle_watts: idle power 90 W exceeds the TDP 89 W');
    // Equal is allowed (a device that draws the same loaded and idle).
    expect(plan(['hardware.mi300x={tdp_watts: 500, idle_watts: 500}']).prefill.device).toMatchObject({ tdpWatts: 500, idleWatts: 500 });
    expect(DEVICES.mi300x).toMatchObject({ tdpWatts: 750, idleWatts: 90 });
  });

  it('decode.nodes 0 only in colocated mode', () => {
    expect(error(['decode.nodes=0'])).toBe('decode.nodes: must be at least 1 in disaggregated mode (0 is allowed with mode: colocated)');
    expect(plan(['decode.nodes=0', 'mode=colocated']).decode.instances).toBe(0);
  });

  it('at most 16,384 instances per pool', () => {
    // 2048 nodes × 8 devices / TP1 = 16,384 instances: the limit itself is allowed; 2049 nodes is one node too many.
    const big = ['prefill.devices_per_node=8', 'prefill.tp=1'];
    expect(plan([...big, 'prefill.nodes=2048']).prefill.instances).toBe(16_384);
    expect(error([...big, 'prefill.nodes=2049'])).toBe(
      'prefill.nodes: 2049 nodes × 8 instances per node = 16,392 instances; kvsim models at most 16,384 per pool',
    );
  });

  it('KV page size: the device default unless set; handoff striped per rank unless single', () => {
    const p = plan();
    expect(p.prefill).toMatchObject({ kvPageSize: DEVICES.mi300x.kvPageSize, kvPageSizeExplicit: false });
    expect(p.stripeHandoff).toBe(true);
    const q = plan(['prefill.kv_page_size=64', 'network.handoff=single']);
    expect(q.prefill).toMatchObject({ kvPageSize: 64, kvPageSizeExplicit: true });
    expect(q.stripeHandoff).toBe(false);
    expect(p.seed).toBe(3);
  });
});
