/**
 * The calibration regression test: every built-in published point predicted by the step-time model
 * with the catalog's efficiency factors stays within its documented tolerance (docs/calibration.md).
 */
import { describe, it, expect } from 'vitest';
import { DEVICES } from '../../src/cluster/catalog/hardware.js';
import { MODELS } from '../../src/cluster/catalog/models.js';
import { POINTS } from '../../src/calibration/points.js';
import { validate } from '../../src/calibration/validate.js';
import { validateCommand } from '../../src/cli/validate-command.js';

const report = validate();

describe('calibration points', () => {
  it('are well-formed: unique ids, known catalog keys, a source, sane workloads', () => {
    const ids = new Set(POINTS.map((p) => p.id));
    expect(ids.size).toBe(POINTS.length);
    for (const p of POINTS) {
      expect(DEVICES[p.device], p.id).toBeDefined();
      expect(MODELS[p.model], p.id).toBeDefined();
      expect(p.source, p.id).toMatch(/\S{10}/);
      expect(p.notes, p.id).toMatch(/\S{10}/);
      expect(p.devices % p.tp, p.id).toBe(0);
      expect(p.published, p.id).toBeGreaterThan(0);
      expect(p.workload.output, p.id).toBeGreaterThan(1);
      if (p.metric === 'latency') expect(p.workload.batch, p.id).toBe(1);
      else expect(p.tokensCounted, p.id).toBeDefined();
    }
  });

  it('calibration points carry the 15% target; wider tolerances are reference points only', () => {
    for (const p of POINTS) {
      if (p.role === 'calibration') expect(p.tolerance, p.id).toBeLessThanOrEqual(0.15);
      else expect(p.notes, p.id).toMatch(/REFERENCE ONLY/);
    }
    expect(POINTS.filter((p) => p.role === 'calibration').length).toBeGreaterThanOrEqual(10);
  });

  it('Llama-2-70B in the catalog has the MLPerf architecture', () => {
    const m = MODELS['llama-2-70b'];
    expect([m.layers, m.hidden, m.heads, m.kvHeads, m.headDim, m.ffn, m.vocab]).toEqual([80, 8192, 64, 8, 128, 28672, 32000]);
    // 80 layers · 855,638,016 matmul params + 2·16,384 norm weights, + 2·32000·8192 embeddings + 8192 final norm.
    expect(m.params).toBe(80 * (855_638_016 + 2 * 8192) + 2 * 32000 * 8192 + 8192);
  });
});

describe('calibration regression (catalog efficiency factors)', () => {
  for (const r of report.results) {
    it(`${r.point.id}: |error| ${(Math.abs(r.error) * 100).toFixed(1)}% ≤ ${(r.point.tolerance * 100).toFixed(0)}%`, () => {
      expect(Number.isFinite(r.prediction.value)).toBe(true);
      expect(Math.abs(r.error)).toBeLessThanOrEqual(r.point.tolerance);
    });
  }

  it('median |error| over the calibration points ≤ 10%', () => {
    expect(report.calibration.medianError).toBeLessThanOrEqual(0.1);
    expect(report.calibration.maxError).toBeLessThanOrEqual(0.15);
  });

  it('MLPerf Server runs below the steady-state prediction (it is an upper bound)', () => {
    for (const r of report.results.filter((x) => x.point.id.endsWith('-server'))) {
      expect(r.error, r.point.id).toBeGreaterThan(0);
    }
  });
});

describe('kvsim validate', () => {
  it('prints a table of every point within 100 columns and exits 0', () => {
    let out = '';
    const code = validateCommand({ fit: false }, (s) => void (out += s));
    expect(code).toBe(0);
    for (const p of POINTS) expect(out).toContain(p.id);
    for (const line of out.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(out).toMatch(/result: PASS/);
  });

  it('--json is machine-readable', () => {
    let out = '';
    expect(validateCommand({ fit: false, json: true }, (s) => void (out += s))).toBe(0);
    const j = JSON.parse(out) as { pass: boolean; points: { id: string; error: number }[] };
    expect(j.pass).toBe(true);
    expect(j.points.map((p) => p.id)).toEqual(POINTS.map((p) => p.id));
  });
});
