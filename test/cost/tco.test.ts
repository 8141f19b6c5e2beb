import { describe, expect, it } from 'vitest';
import type { Summary } from '../../src/metrics/summary.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run.js';
import { requestCost } from '../../src/cost/tco.js';
import { scenarioSchema } from '../../src/scenario/schema.js';

const TINY = 'test/fixtures/scenarios/tiny-70b.yaml';
const run = (sets: string[] = [], file = TINY): Summary => runScenario(loadScenario(file, sets)).summary;
const TIERS = ['cache.local_cpu.size=256 GB', 'cache.local_disk.size=2 TB', 'cache.remote.backend=s3'];

function expectConservation(s: Summary): void {
  const c = s.cost;
  const tiers = Object.values(c.tiers);
  expect(c.pools.prefill.total + c.pools.decode.total + tiers.reduce((a, t) => a + t.total, 0)).toBeCloseTo(c.total, 9);
  for (const p of Object.values(c.pools)) expect(p.devices + p.hosts + p.nics + p.power).toBeCloseTo(p.total, 12);
  for (const t of tiers) expect(t.capacity + t.power + t.requests).toBeCloseTo(t.total, 12);
  const e = s.energy;
  const etiers = Object.values(e.tiers);
  expect(e.pools.prefill.joules + e.pools.decode.joules + etiers.reduce((a, t) => a + t.joules, 0)).toBeCloseTo(e.joules, 3);
  for (const p of Object.values(e.pools)) expect(p.devices_j + p.hosts_j + p.nics_j + p.facility_j).toBeCloseTo(p.joules, 3);
  for (const t of etiers) expect(t.it_j + t.facility_j).toBeCloseTo(t.joules, 3);
  expect(e.kwh).toBeCloseTo(e.joules / 3.6e6, 12);
}

describe('TCO and energy of a run', () => {
  it('conserve dollars and joules: pool and tier parts sum to the totals (rental and capex, with every tier)', () => {
    expectConservation(run(TIERS));
    expectConservation(run([...TIERS, 'cost.basis=capex']));
  });

  it('rental: the pools cost their devices\' $/h × makespan; hosts, NICs and power are in the rental price', () => {
    const s = run();
    const hours = s.makespan_s / 3600;
    // 1 MI300X at $1.99/h + 4 Gaudi3 at $1.60/h = $8.39/h
    expect(s.cost.pools.prefill.total).toBeCloseTo(1.99 * hours, 12);
    expect(s.cost.pools.decode.total).toBeCloseTo(4 * 1.6 * hours, 12);
    expect(s.cost.cluster_per_hour).toBeCloseTo(8.39, 9);
    expect(s.cost.pools.decode.power).toBe(0);
  });

  it('capex: purchase prices over the lifetime plus energy × $/kWh (hand-computed)', () => {
    const s = run(['cost.basis=capex', 'cost.lifetime_years=1', 'cost.node_price=8766', 'cost.nic_price=0', 'cost.electricity_per_kwh=0.1']);
    const hours = s.makespan_s / 3600;
    // node: $8,766 over one 8,766-hour year = $1/h per node; 4 Gaudi3 at $15,625 = $62,500 → $7.1298/h
    expect(s.cost.pools.decode.hosts).toBeCloseTo(1 * hours, 9);
    expect(s.cost.pools.decode.devices).toBeCloseTo((62_500 / 8766) * hours, 9);
    expect(s.cost.pools.decode.power).toBeCloseTo((s.energy.pools.decode.joules / 3.6e6) * 0.1, 12);
  });

  it('doubling every price doubles $/Mtok (rental and capex)', () => {
    const rent = run();
    const rent2 = run(['hardware.mi300x.price_per_hour=3.98', 'hardware.gaudi3.price_per_hour=3.2']);
    expect(rent2.makespan_s).toBe(rent.makespan_s);
    expect(rent2.cost.per_million_output_tokens).toBeCloseTo(2 * rent.cost.per_million_output_tokens, 9);
    const cap = ['cost.basis=capex', ...TIERS];
    const a = run(cap);
    const b = run([
      ...cap, 'hardware.mi300x.purchase_price=30000', 'hardware.gaudi3.purchase_price=31250', 'cost.node_price=60000',
      'cost.nic_price=5000', 'cost.electricity_per_kwh=0.16', 'cost.dram_per_gb=8', 'cost.nvme_per_gb=0.24',
      'cost.remote_per_gb_month=0.04', 'cost.s3_get_per_1000=0.0008', 'cost.s3_put_per_1000=0.01',
    ]);
    expect(b.cost.per_million_output_tokens).toBeCloseTo(2 * a.cost.per_million_output_tokens, 9);
    expect(b.cost.per_million_tokens).toBeCloseTo(2 * a.cost.per_million_tokens, 9);
  });

  it('cache tiers cost their stated prices: DRAM and NVMe amortised per GB, remote per GB-month plus S3 requests', () => {
    const base = run();
    const s = run(TIERS);
    const hours = s.makespan_s / 3600;
    const amortise = 4 * 8766; // default lifetime 4 years, in hours
    // DRAM: 256 GB on the one prefill instance (whole 512-token blocks of 160 MiB) at $4/GB; NVMe: 2 TB at $0.12/GB
    const dramGb = s.kv_cache.tiers.local_cpu!.capacity_bytes! / 1e9;
    const diskGb = s.kv_cache.tiers.local_disk!.capacity_bytes! / 1e9;
    expect(256 - dramGb).toBeGreaterThanOrEqual(0);
    expect(256 - dramGb).toBeLessThan(0.17);
    expect(s.cost.tiers.local_cpu!.capacity).toBeCloseTo((dramGb * 4 * hours) / amortise, 12);
    expect(s.cost.tiers.local_disk!.capacity).toBeCloseTo((diskGb * 0.12 * hours) / amortise, 12);
    // Energy: GB · 0.1 W/GB · PUE 1.3 · makespan, at $0.08/kWh
    expect(s.cost.tiers.local_cpu!.power).toBeCloseTo(((dramGb * 0.1 * 1.3 * s.makespan_s) / 3.6e6) * 0.08, 12);
    const remote = s.kv_cache.tiers.remote!;
    expect(s.cost.tiers.remote!.capacity).toBeCloseTo((remote.peak_bytes / 1e9) * 0.02 * (hours / (8766 / 12)), 12);
    expect(s.cost.tiers.remote!.requests).toBeGreaterThan(0);
    expect(base.cost.tiers).toEqual({});
    expect(s.cost.total).toBeGreaterThan(s.cost.pools.prefill.total + s.cost.pools.decode.total);
  });

  it('the remote tier\'s $/month in kv_cache uses the same price as the cost model (cost.remote_per_gb_month)', () => {
    const listed = run(TIERS).kv_cache.tiers.remote!;
    const priced = run([...TIERS, 'cost.remote_per_gb_month=0.05']).kv_cache.tiers.remote!;
    // S3 list price $0.02/GB-month; the override $0.05: peak GB × price
    expect(listed.storage_cost_per_month).toBeCloseTo((listed.peak_bytes / 1e9) * 0.02, 12);
    expect(priced.storage_cost_per_month).toBeCloseTo((priced.peak_bytes / 1e9) * 0.05, 12);
  });

  it('S3 request charges: one PUT per object written and one GET per object read, per striped connection', () => {
    const cost = scenarioSchema.shape.cost.parse({});
    const object = 256 * 327_680; // one LMCache chunk of Llama-3.1-70B BF16 KV
    const traffic = { backend: 's3', pricePerGbMonth: 0.02, readBytes: 10 * object, writtenBytes: 100 * object, objectBytes: object, connections: 2 };
    // (20 GETs · $0.0004 + 200 PUTs · $0.005) / 1000 = $0.001008
    expect(requestCost(traffic, cost)).toBeCloseTo(0.001008, 12);
    expect(requestCost({ ...traffic, backend: 'nfs_rdma' }, cost)).toBe(0);
  });
});
