import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError } from '../scenario/input-error.js';

/** One case of a regression suite: a scenario with overrides, run once per seed. */
export interface SuiteCase {
  readonly label: string;
  readonly file: string;
  readonly sets: readonly string[];
}

export interface Suite {
  readonly cases: SuiteCase[];
  /** Seeds a manifest asks for (the command line may override them). */
  readonly seeds?: number[];
}

/** A suite manifest (`suite.yaml`): scenarios relative to it, each optionally varied over one key. */
const manifestSchema = z.strictObject({
  suite: z
    .array(
      z.strictObject({
        scenario: z.string().min(1),
        vary: z.string().optional(),
        set: z.array(z.string()).default([]),
      }),
    )
    .min(1),
  seeds: z.array(z.number().int()).min(1).optional(),
});

const MANIFEST = 'suite.yaml';

/** `key=v1,v2,...` -> one `key=v` override per value. */
export function parseVary(where: string, vary: string): string[] {
  const eq = vary.indexOf('=');
  const list = vary.slice(eq + 1).split(',').filter((v) => v !== '');
  if (eq <= 0 || list.length === 0) throw new InputError(where, vary, 'expected key.path=value1,value2,...');
  return list.map((v) => `${vary.slice(0, eq)}=${v}`);
}

function expand(file: string, vary: string | undefined, sets: readonly string[], where: string): SuiteCase[] {
  const name = basename(file).replace(/\.ya?ml$/, '');
  if (vary === undefined) return [{ label: name, file, sets }];
  return parseVary(where, vary).map((v) => ({ label: `${name} ${v}`, file, sets: [...sets, v] }));
}

function readManifest(path: string): Suite & { cases: SuiteCase[] } {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(path, '', `invalid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(path, issue.path.join('.'), issue.message);
  }
  const dir = dirname(path);
  const cases = parsed.data.suite.flatMap((entry, i) => {
    const file = resolve(dir, entry.scenario);
    if (!existsSync(file)) throw new InputError(path, `suite.${i}.scenario`, `scenario file not found: ${entry.scenario}`);
    return expand(file, entry.vary, entry.set, `${path}: suite.${i}.vary`);
  });
  return { cases, seeds: parsed.data.seeds };
}

const isManifest = (path: string): boolean => {
  if (basename(path) === MANIFEST) return true;
  try {
    const y = parseYaml(readFileSync(path, 'utf8')) as unknown;
    return typeof y === 'object' && y !== null && 'suite' in y;
  } catch {
    return false; // a broken scenario is reported when it is loaded
  }
};

/**
 * The cases of a suite given on the command line: scenario files, manifests, or folders (their
 * `suite.yaml` if there is one, else every scenario YAML in them, sorted). `vary` and `sets`
 * apply to every plain scenario file; a manifest says its own.
 */
export function loadSuite(paths: readonly string[], vary: string | undefined, sets: readonly string[]): Suite {
  const cases: SuiteCase[] = [];
  let seeds: number[] | undefined;
  for (const p of paths) {
    if (!existsSync(p)) throw new InputError(p, '', 'no such scenario file or suite folder');
    let files = [p];
    if (statSync(p).isDirectory()) {
      const manifest = join(p, MANIFEST);
      files = existsSync(manifest)
        ? [manifest]
        : readdirSync(p).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(p, f));
      if (files.length === 0) throw new InputError(p, '', 'the folder holds no scenario YAML files');
    }
    for (const f of files) {
      if (isManifest(f)) {
        const m = readManifest(f);
        cases.push(...m.cases.map((c) => ({ ...c, sets: [...c.sets, ...sets] })));
        seeds ??= m.seeds;
      } else cases.push(...expand(f, vary, sets, '--vary'));
    }
  }
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.label)) throw new InputError(c.file, '', `case "${c.label}" appears twice in the suite (scenario files need distinct names)`);
    seen.add(c.label);
  }
  return { cases, seeds };
}
