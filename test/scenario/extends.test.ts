import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/scenario/input-error.js';
import { loadScenario } from '../../src/scenario/load.js';
import { deviceIds } from '../../src/cluster/catalog/hardware.js';

const dir = mkdtempSync(join(tmpdir(), 'kvsim-extends-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scenario extends', () => {
  it('a baseline inherits the workload of the scenario it extends, exactly', () => {
    const base = loadScenario('scenarios/medium.yaml').scenario;
    const b = loadScenario('scenarios/baselines/medium-h100-disagg.yaml').scenario;
    expect(b.workload).toEqual(base.workload);
    expect(b.seed).toBe(base.seed);
    expect(b.prefill.device).toBe('h100');
    expect(b.decode.device).toBe('h100');
    // Mappings merge key by key: max_num_seqs still comes from medium.yaml.
    expect(b.decode.max_num_seqs).toBe(base.decode.max_num_seqs);
    // null removes a key: the recipe's claims are not the baseline's.
    expect(b.expectations).toEqual({});
  });

  it('every bundled baseline loads and names a catalog device', () => {
    for (const wl of ['medium', 'large']) {
      for (const d of ['h100', 'h200', 'b200', 'mi300x', 'gaudi3']) {
        for (const m of ['disagg', 'coloc']) {
          const s = loadScenario(`scenarios/baselines/${wl}-${d}-${m}.yaml`).scenario;
          expect(deviceIds()).toContain(s.prefill.device);
          expect(s.mode).toBe(m === 'disagg' ? 'disaggregated' : 'colocated');
        }
      }
    }
  });

  it('rejects a missing base and a cycle with one line naming extends', () => {
    const a = join(dir, 'a.yaml');
    const b = join(dir, 'b.yaml');
    writeFileSync(a, 'extends: b.yaml\nname: a\n');
    writeFileSync(b, 'extends: a.yaml\nname: b\n');
    expect(() => loadScenario(a)).toThrow(InputError);
    expect(() => loadScenario(a)).toThrow(/extends: "a.yaml" extends itself/);
    const c = join(dir, 'c.yaml');
    writeFileSync(c, 'extends: nowhere.yaml\nname: c\n');
    expect(() => loadScenario(c)).toThrow(/extends: "nowhere.yaml" not found/);
  });
});
