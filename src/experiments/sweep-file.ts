import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError } from '../scenario/input-error.js';
import type { Axis } from './grid.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** A sweep YAML: the scenario, the grid and the replicates, so a sweep is one file under version control. */
const sweepFileSchema = z.strictObject({
  /** Scenario file, relative to the sweep file. */
  scenario: z.string(),
  /** Key path → values: one axis of the grid each, in file order. */
  vary: z.record(z.string(), z.array(scalar).min(1)).refine((v) => Object.keys(v).length > 0, 'name at least one key to vary'),
  /** Replicates per grid point: a count (seeds counting up from the scenario's) or a list of seeds. */
  seeds: z.union([z.number().int().min(1).max(1000), z.array(z.number().int()).min(1)]).optional(),
  /** Overrides for every run, key path → value. */
  set: z.record(z.string(), scalar).optional(),
});

export interface SweepFile {
  /** Scenario path relative to the current folder. */
  readonly scenario: string;
  readonly axes: Axis[];
  readonly seeds?: number | number[];
  readonly sets: string[];
}

export function isSweepFile(path: string): boolean {
  if (!existsSync(path)) return false;
  try {
    const raw = parseYaml(readFileSync(path, 'utf8')) as unknown;
    return raw !== null && typeof raw === 'object' && 'vary' in raw;
  } catch {
    return false;
  }
}

export function loadSweepFile(path: string): SweepFile {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(path, '', `cannot read the sweep file: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = sweepFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(path, issue.path.map(String).join('.') || '(top level)', `${issue.message} (a sweep file has scenario, vary, and optionally seeds, set)`);
  }
  const f = parsed.data;
  const axes = Object.entries(f.vary).map(([key, values]) => {
    const texts = values.map(String);
    if (new Set(texts).size !== texts.length) throw new InputError(path, `vary.${key}`, 'a value is listed twice');
    return { key, values: texts };
  });
  const scenario = relative(process.cwd(), resolve(dirname(path), f.scenario)) || f.scenario;
  return { scenario, axes, seeds: f.seeds, sets: Object.entries(f.set ?? {}).map(([k, v]) => `${k}=${v}`) };
}
