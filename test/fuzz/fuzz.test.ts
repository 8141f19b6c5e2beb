/**
 * Fuzzing the input parsers with property-based tests: random and mutated inputs may be rejected
 * only with the documented InputError (one line, naming file and field), never another exception,
 * a NaN, or a hang.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { planCluster } from '../../src/cluster/plan.js';
import { InputError } from '../../src/scenario/input-error.js';
import { loadScenario } from '../../src/scenario/load.js';
import { parseQuantity, type UnitKind } from '../../src/scenario/units.js';
import { workloadFor } from '../../src/workload/from-scenario.js';
import { runScenario } from '../../src/run.js';
import { openMooncakeTrace } from '../../src/workload/mooncake-trace.js';

const dir = mkdtempSync(join(tmpdir(), 'kvsim-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `f`; an InputError is a fine outcome (its message must be one non-empty line). */
function onlyInputErrors(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    expect(e.message).not.toMatch(/\n/);
    expect(e.message.length).toBeGreaterThan(5);
    expect(e.message).not.toMatch(/NaN|undefined/);
  }
}

describe('fuzz: unit parser', () => {
  const kinds: UnitKind[] = ['bytes', 'bandwidth', 'time'];
  const units = ['B', 'KB', 'GB', 'GiB', 'TB', 'b', 'Gb', 'TB/s', 'Gb/s', 'GB/s', 'ms', 's', 'min', 'h', 'us', 'parsecs', '', '/s', 'GB/h'];
  it('returns a finite number or an error string for any input, never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.tuple(fc.double(), fc.constantFrom(...units)).map(([n, u]) => `${n} ${u}`),
          fc.double(),
          fc.anything(),
          fc.constantFrom('1e400', '-1e400 GB', '1e400 TB/s', 'Infinity', 'NaN s'),
        ),
        fc.constantFrom(...kinds),
        (value, kind) => {
          const r = parseQuantity(value, kind);
          if (typeof r === 'number') expect(Number.isFinite(r)).toBe(true);
          else expect(typeof r).toBe('string');
        },
      ),
      { numRuns: 600, seed: 11 },
    );
  });
});

describe('fuzz: scenario loader', () => {
  const base = parseYaml(readFileSync(new URL('../../scenarios/medium-nfs-rdma.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
  // Every key path of the base scenario, to mutate one at a time.
  const paths: string[][] = [];
  const walk = (o: unknown, p: string[]) => {
    if (o && typeof o === 'object' && !Array.isArray(o)) {
      for (const [k, v] of Object.entries(o)) {
        paths.push([...p, k]);
        walk(v, [...p, k]);
      }
    }
  };
  walk(base, []);
  const values = fc.oneof(
    fc.integer({ min: -5, max: 1e7 }),
    fc.double(),
    fc.string({ maxLength: 12 }),
    fc.constantFrom('0 GB', '-1 s', '5 parsecs', '400 Gb/s', 'unlimited', 'lru', 'cache_aware', null, true, [], {}, '1e400'),
  );
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...paths), value: values }),
    fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...paths) }),
    fc.record({ kind: fc.constant('add' as const), path: fc.constantFrom(...paths), key: fc.string({ minLength: 1, maxLength: 8 }) }),
  );

  it('a mutated scenario loads and plans, or fails with one clear InputError', () => {
    let n = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const doc = structuredClone(base);
        for (const m of mutations) {
          let node = doc as Record<string, unknown>;
          for (const k of m.path.slice(0, -1)) {
            const next = node[k];
            if (!next || typeof next !== 'object' || Array.isArray(next)) return;
            node = next as Record<string, unknown>;
          }
          const last = m.path[m.path.length - 1];
          if (m.kind === 'set') node[last] = m.value;
          else if (m.kind === 'delete') delete node[last];
          else if (node[last] && typeof node[last] === 'object') (node[last] as Record<string, unknown>)[m.key] = 1;
        }
        const file = join(dir, `s${n++}.yaml`);
        writeFileSync(file, toYaml(doc));
        onlyInputErrors(() => {
          const loaded = loadScenario(file);
          // Keep generated workloads small: the fuzz is about parsing, not long simulations.
          if (loaded.scenario.workload.type === 'synthetic') loaded.scenario.workload.num_requests = 20;
          planCluster(loaded.scenario, file);
          workloadFor(loaded.scenario, file);
        });
      }),
      { numRuns: 250, seed: 5 },
    );
  });

  it('random bytes as a scenario file fail with an InputError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const file = join(dir, 'random.yaml');
        writeFileSync(file, text);
        onlyInputErrors(() => loadScenario(file));
      }),
      { numRuns: 300, seed: 9 },
    );
  });
});

describe('fuzz: absurd numbers, YAML tags and aliases', () => {
  const base = readFileSync(new URL('../fixtures/scenarios/tiny-8b.yaml', import.meta.url), 'utf8');
  const doc = parseYaml(base) as Record<string, unknown>;
  // Every numeric key of the tiny scenario, to set to extreme values one or two at a time.
  const numeric: string[][] = [];
  const walk = (o: unknown, p: string[]) => {
    if (o && typeof o === 'object' && !Array.isArray(o)) for (const [k, v] of Object.entries(o)) walk(v, [...p, k]);
    else if (typeof o === 'number') numeric.push(p);
  };
  walk(doc, []);
  const extreme = fc.oneof(
    fc.constantFrom(0, -1, 1e-300, 1e-9, 1e9, 1e15, 1e300, Number.MAX_SAFE_INTEGER, 0.5, 90, '1e400', '400', '50'),
    fc.double({ noNaN: true }),
    fc.integer(),
  );

  it('extreme values load, plan and simulate within budget, or fail with one InputError', () => {
    let n = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...numeric), extreme), { minLength: 1, maxLength: 2 }), (sets) => {
        const d = structuredClone(doc);
        for (const [path, v] of sets) {
          let node = d as Record<string, unknown>;
          for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>;
          node[path[path.length - 1]] = v;
        }
        const file = join(dir, `x${n++}.yaml`);
        writeFileSync(file, toYaml(d));
        onlyInputErrors(() => {
          const loaded = loadScenario(file);
          // Keep the simulated part tiny: the property is about bounds, not long runs.
          if (loaded.scenario.workload.type === 'synthetic') loaded.scenario.workload.num_requests = Math.min(loaded.scenario.workload.num_requests ?? 5, 5);
          const r = runScenario(loaded);
          expect(Number.isFinite(r.summary.makespan_s)).toBe(true);
          expect(r.metrics.occupancy.length).toBeLessThanOrEqual(2049);
        });
      }),
      { numRuns: 120, seed: 15 },
    );
  });

  it('random YAML tags, anchors and aliases fail with one InputError, never hang or crash', () => {
    const piece = fc.constantFrom('!foo ', '!!binary ', '!!set ', '!!timestamp ', '!!str ', '&a ', '*a ', '&b [*b] ', '<<: *a ', '__proto__: ', 'constructor: ', '? ', '');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(60), piece), { maxLength: 3 }), (inserts) => {
        const lines = base.split('\n');
        for (const [at, text] of inserts) {
          const i = 4 + (at % (lines.length - 5));
          lines[i] = lines[i].replace(/: /, `: ${text}`);
        }
        const file = join(dir, 'tags.yaml');
        writeFileSync(file, lines.join('\n'));
        onlyInputErrors(() => loadScenario(file));
      }),
      { numRuns: 200, seed: 15 },
    );
  });
});

describe('fuzz: trace reader', () => {
  const good = readFileSync(new URL('../fixtures/conversation-200.jsonl', import.meta.url), 'utf8').split('\n').slice(0, 30);
  const mutateLine = (line: string, kind: number, at: number, ch: string): string => {
    const i = line.length ? at % line.length : 0;
    switch (kind % 5) {
      case 0: return line.slice(0, i); // truncated
      case 1: return line.slice(0, i) + ch + line.slice(i + 1); // one character replaced
      case 2: return line.replace(/"output_length": \d+/, '"output_length": -1');
      case 3: return line.replace(/"hash_ids": \[[^\]]*\]/, '"hash_ids": "x"');
      default: return line + line; // two objects on a line
    }
  };

  it('mutated traces iterate fully or stop with an InputError naming the line; with skip_bad_lines they never fail', () => {
    let n = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(29), fc.nat(4), fc.nat(10_000), fc.string({ minLength: 1, maxLength: 1 })), { maxLength: 5 }),
        (mutations) => {
          const lines = [...good];
          for (const [row, kind, at, ch] of mutations) lines[row] = mutateLine(lines[row], kind, at, ch);
          const file = join(dir, `t${n++}.jsonl`);
          writeFileSync(file, `${lines.join('\n')}\n`);
          onlyInputErrors(() => {
            for (const r of openMooncakeTrace(file)) {
              expect(r.inputTokens).toBeGreaterThan(0);
              expect(Number.isFinite(r.arrival)).toBe(true);
            }
          });
          const lenient = openMooncakeTrace(file, { skipBadLines: true });
          let count = 0;
          for (const r of lenient) {
            expect(r.outputTokens).toBeGreaterThan(0);
            count++;
          }
          expect(count + (lenient.skippedLines ?? 0)).toBeLessThanOrEqual(lines.filter((l) => l.trim()).length);
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });
});
