import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { parseExpectations } from '../expectations/check.js';
import { InputError } from './input-error.js';
import { didYouMean, keysAt } from './reference.js';
import { scenarioSchema, type Scenario } from './schema.js';
import { parseCoreYaml } from './yaml.js';
import { notRegularFile } from '../util/input-file.js';
import { PROTOTYPE_KEYS } from '../util/own.js';
import { quote, showValue } from '../util/show-value.js';

/** Bounded memory: a scenario is a few kB; anything this large is not one. */
const MAX_SCENARIO_BYTES = 16e6;

export interface LoadedScenario {
  readonly scenario: Scenario;
  /** Absolute path of the scenario file. */
  readonly file: string;
  /** The path as the user gave it, for error messages. */
  readonly path: string;
}

/**
 * Reads a scenario file (`shown`: its path as the user wrote it) as core-schema YAML: regular files
 * only, size bounded, one-line errors naming the file.
 */
function readScenarioYaml(file: string, shown: string): unknown {
  const why = notRegularFile(file);
  if (why) throw new InputError(shown, '', why === 'not found' ? 'scenario file not found' : `scenario file ${why}`);
  let text: string;
  try {
    if (statSync(file).size > MAX_SCENARIO_BYTES) throw new InputError(shown, '', `scenario file is larger than ${MAX_SCENARIO_BYTES / 1e6} MB; a scenario is a few kB of YAML`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(shown, '', `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseCoreYaml(text, shown);
}

/**
 * Reads, overrides (`--set a.b=v`), validates and returns a scenario, or throws InputError.
 * `trace` (an absolute path) replays that Mooncake trace instead of the scenario's workload,
 * keeping a trace workload's own options (time_scale, limit, start).
 */
export function loadScenario(path: string, sets: readonly string[] = [], trace?: string): LoadedScenario {
  const file = resolve(path);
  let raw = readScenarioYaml(file, path);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(path, '', 'expected a YAML mapping of scenario keys (name, model, prefill, decode, workload, ...)');
  }
  raw = resolveExtends(raw as Record<string, unknown>, file, path, [file]);
  // The trace replaces the workload first, so --set workload.* applies to the replayed trace.
  if (trace !== undefined) {
    const r = raw as Record<string, unknown>;
    const w = r.workload as Record<string, unknown> | undefined;
    if (w && typeof w === 'object' && w.type === 'mooncake_trace') w.path = trace;
    else r.workload = { type: 'mooncake_trace', path: trace };
  }
  for (const s of sets) applySet(raw as Record<string, unknown>, s);
  const parsed = scenarioSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw issueToError(path, parsed.error.issues[0]);
  const scenario = parsed.data;
  // Claims are validated here so that every command rejects a bad one before simulating anything.
  parseExpectations(path, scenario.expectations);
  if (scenario.workload.type === 'mooncake_trace' || scenario.workload.type === 'azure_trace') {
    scenario.workload.path = resolve(dirname(file), scenario.workload.path);
  }
  return { scenario, file, path };
}

/**
 * Splits a `--set`/`--vary` key path into segments, refusing empty segments and prototype names
 * (`__proto__`, `constructor`, `prototype`), which would reach Object.prototype instead of a key.
 */
export function checkKeyPath(flag: string, keyPath: string): string[] {
  const keys = keyPath.split('.');
  for (const k of keys) {
    if (k === '') throw new InputError(flag, quote(keyPath), 'expected key.path=value (a key path segment is empty)');
    if (PROTOTYPE_KEYS.has(k)) throw new InputError(flag, quote(keyPath), `"${k}" is not a scenario key (it names a JavaScript object's prototype)`);
  }
  return keys;
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * `extends: other.yaml` (relative to this file): start from that scenario and override it key by key
 * (mappings merge recursively; any other value replaces; null removes the key). Baselines use it to
 * share a workload exactly. A trace path inherited from the base stays relative to the base file.
 */
function resolveExtends(raw: Record<string, unknown>, file: string, path: string, chain: string[]): Record<string, unknown> {
  const ext = raw.extends;
  if (ext === undefined) return raw;
  if (typeof ext !== 'string' || ext === '') throw new InputError(path, 'extends', 'expected the path of a scenario file');
  const baseFile = resolve(dirname(file), ext);
  if (chain.includes(baseFile)) throw new InputError(path, 'extends', `${quote(ext)} extends itself (cycle)`);
  const why = notRegularFile(baseFile);
  if (why === 'not found') throw new InputError(path, 'extends', `${quote(ext)} not found (relative to ${dirname(path) || '.'})`);
  if (why) throw new InputError(path, 'extends', `${quote(ext)} ${why}`);
  // The base is read like any scenario (core-schema YAML, bounded size); its errors name its own path.
  const base = readScenarioYaml(baseFile, join(dirname(path), ext));
  if (!isMapping(base)) throw new InputError(path, 'extends', `${quote(ext)} is not a scenario mapping`);
  const resolvedBase = resolveExtends(base, baseFile, path, [...chain, baseFile]);
  const w = resolvedBase.workload;
  if (isMapping(w) && typeof w.path === 'string') w.path = resolve(dirname(baseFile), w.path);
  const { extends: _e, ...own } = raw;
  return merge(resolvedBase, own);
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = isMapping(v) && isMapping(out[k]) ? merge(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

/** `a.b.c=value`: sets a nested key; the value is read as YAML (numbers, booleans, strings). */
export function applySet(target: Record<string, unknown>, assignment: string): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new InputError('--set', quote(assignment), 'expected key.path=value');
  const keys = checkKeyPath('--set', assignment.slice(0, eq));
  const shown = quote(assignment.slice(0, eq));
  const value = parseCoreYaml(assignment.slice(eq + 1), `--set ${shown}`, { syntaxErrorAsText: true });
  let node: Record<string, unknown> = target;
  for (const k of keys.slice(0, -1)) {
    const next = Object.hasOwn(node, k) ? node[k] : undefined;
    if (next === undefined || next === null) node[k] = {};
    else if (typeof next !== 'object' || Array.isArray(next)) {
      throw new InputError('--set', shown, `"${k}" is not a mapping`);
    }
    node = node[k] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

function issueToError(file: string, issue: z.core.$ZodIssue): InputError {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const known = keysAt(issue.path as (string | number)[]);
    const guess = didYouMean(key, known);
    const hint = guess ? `did you mean "${guess}"?` : `expected one of: ${known.join(', ')}`;
    return new InputError(file, path ? `${path}.${key}` : key, `unknown key; ${hint} (see docs/scenario-reference.md)`);
  }
  if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
    return new InputError(file, path, issue.message);
  }
  if (issue.code === 'invalid_union') {
    // A value of one alternative's kind (a time where a time or a {min, max} mapping is allowed)
    // is reported by that alternative; the others only say "expected object".
    const own = issue.errors.filter((errs) => errs.length > 0 && !(errs[0].code === 'invalid_type' && errs[0].path.length === 0));
    if (own.length === 1) return issueToError(file, { ...own[0][0], path: [...issue.path, ...own[0][0].path] } as z.core.$ZodIssue);
  }
  if (issue.code === 'invalid_type') {
    const expected = issue.expected === 'int' ? 'a whole number' : issue.expected;
    const got = 'input' in issue && issue.input !== undefined ? showValue(issue.input) : 'nothing';
    return new InputError(file, path || '(top level)', got === 'nothing' ? `missing; expected ${expected}` : `expected ${expected}, got ${got}`);
  }
  return new InputError(file, path || '(top level)', issue.message);
}
