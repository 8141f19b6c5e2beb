import { describe, expect, it } from 'vitest';
import { runCharts } from '../../src/report/charts.js';
import { loadScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/run.js';

// tiny-8b: 120 requests, HBM cache only, SLO ttft_p95 2 s and tbt_p99 100 ms.
const small = runScenario(loadScenario('test/fixtures/scenarios/tiny-8b.yaml'));
const charts = runCharts(small.summary, small.metrics, small.blockBytes, 'decode.nodes=2');
const text = (x: unknown) => JSON.stringify(x);

describe('run charts', () => {
  it('name the scenario, seed and variant in every title', () => {
    for (const spec of Object.values(charts)) expect(text(spec.title)).toContain('tiny-8b [decode.nodes=2], seed 7');
  });
  it('draw the SLO targets as reference lines on the TTFT and TBT CDFs', () => {
    expect(text(charts.ttft_cdf)).toContain('"seconds":2');
    expect(text(charts.ttft_cdf)).toContain('SLO ttft_p95 2000 ms');
    expect(text(charts.tbt_cdf)).toContain('SLO tbt_p99 100 ms');
    expect(text(charts.e2e_cdf)).not.toContain('SLO');
  });
  it('draw only configured cache tiers', () => {
    expect(Object.keys(small.summary.kv_cache.tiers)).toEqual(['hbm']);
    const tiers = new Set((charts.tier_occupancy.data as { values: { tier: string }[] }).values.map((v) => v.tier));
    expect([...tiers]).toEqual(['HBM']);
  });
  it('say when points are sampled, and not when all are drawn', () => {
    expect(text(charts.ttft_over_time.title)).not.toContain('sampled');
    const big = runScenario(loadScenario('test/fixtures/scenarios/tiny-8b.yaml', ['workload.num_requests=2500', 'workload.arrival.rate=40', 'decode.nodes=4']));
    const c = runCharts(big.summary, big.metrics, big.blockBytes);
    expect(text(c.ttft_over_time.title)).toContain(`2,000 of ${big.summary.requests.total.toLocaleString('en-US')} requests shown (evenly sampled)`);
    // CDFs draw 500 evenly spaced ranks, the fastest and the slowest request among them.
    const n = big.summary.requests.finished;
    const cdf = (c.ttft_cdf.layer as { data: { values: { seconds: number; share: number }[] } }[])[0].data.values;
    expect(text(c.ttft_cdf.title)).toContain(`500 of ${n.toLocaleString('en-US')} requests shown (evenly sampled)`);
    expect(cdf).toHaveLength(500);
    const sorted = big.metrics.log.ttft.toArray().sort();
    expect(cdf[0]).toEqual({ seconds: Math.max(sorted[0], 1e-6), share: 1 / n });
    expect(cdf[499]).toEqual({ seconds: sorted[n - 1], share: 1 });
    expect(cdf.every((p, k) => k === 0 || (p.share > cdf[k - 1].share && p.seconds >= cdf[k - 1].seconds))).toBe(true);
  });
});

describe('chart rendering in worker threads', () => {
  it('writes the same files, in the same order, as rendering in this thread, with one or two threads', async () => {
    const { renderCharts } = await import('../../src/report/charts.js');
    const { ChartRenderer } = await import('../../src/report/chart-worker.js');
    const here = await renderCharts(charts);
    for (const threads of [1, 2]) {
      const files = await new ChartRenderer(threads).render(charts);
      expect(Object.keys(files)).toEqual(Object.keys(here));
      expect(files).toEqual(here);
    }
  }, 30_000);
  it('warming up on synthetic charts (every mark kind a run draws) changes no rendered byte', async () => {
    const { renderCharts } = await import('../../src/report/charts.js');
    const { warmUpCharts } = await import('../../src/report/chart-warm-up.js');
    const { ChartRenderer } = await import('../../src/report/chart-worker.js');
    const before = await renderCharts(charts);
    const warm = warmUpCharts();
    const marks = (x: unknown): string[] => (Array.isArray(x) ? x.flatMap(marks) : typeof x === 'object' && x !== null ? Object.entries(x).flatMap(([k, v]) => (k === 'mark' ? [typeof v === 'string' ? v : (v as { type: string }).type] : marks(v))) : []);
    expect(new Set(marks(warm))).toEqual(new Set(marks(Object.values(charts))));
    for (const [i, spec] of warm.entries()) expect((await renderCharts({ [`w${i}`]: spec }))[`charts/w${i}.svg`]).toMatch(/^<svg/);
    expect(await renderCharts(charts)).toEqual(before);
    // In a thread: the first task may arrive while a warm-up chart renders (it waits for it).
    const r = new ChartRenderer(1, { warmUp: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await r.render(charts)).toEqual(before);
  }, 30_000);
  it('a renderer cancelled before rendering (a failed run) ends its threads', async () => {
    const { ChartRenderer } = await import('../../src/report/chart-worker.js');
    const r = new ChartRenderer(2);
    r.cancel();
    await expect(r.render(charts)).rejects.toThrow(/exited/);
  });
});
