import { accessSync, constants, existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../scenario/input-error.js';
import { quote } from '../util/show-value.js';

/**
 * The output-path policy, applied once before any simulation: every result file goes inside one
 * chosen folder, which is either `--out` or `results/<name>` where `name` comes from the scenario
 * (validated to be one plain path segment). The folder is later replaced as a whole (staging.ts),
 * so it must be new, empty, or an earlier kvsim result folder.
 */

/** Letters, digits, ".", "_", "-"; starts with a letter or digit (so never ".", "..", "-x" or ".hidden"). */
export const OUTPUT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const MAX_OUTPUT_NAME_CHARS = 100;
export const OUTPUT_NAME_RULE =
  'use letters, digits, ".", "_" or "-", starting with a letter or digit, at most 100 characters (it names the output folder)';

/** Marker file in every folder kvsim publishes: tells a later run that replacing the folder is safe. */
export const OUTPUT_MARKER = '.kvsim-output';

/** Files and folders of results written before the marker existed (still safe to replace). */
const LEGACY_OUTPUTS = new Set(['summary.json', 'requests.csv', 'tiers.csv', 'charts', 'compare.csv', 'compare.json', 'plan.csv', 'plan.json']);

/** Pseudo file systems: writing there hangs or changes the system instead of storing a file. */
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev'];

export function isValidOutputName(name: string): boolean {
  return name.length <= MAX_OUTPUT_NAME_CHARS && OUTPUT_NAME_PATTERN.test(name);
}

/** The nearest existing ancestor of an absolute path (the path itself if it exists). */
function nearestExisting(path: string): string {
  let p = path;
  while (!existsSync(p)) {
    const parent = dirname(p);
    if (parent === p) break;
    p = parent;
  }
  return p;
}

const inside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

/**
 * Resolves and checks the output folder: `--out` when given, else `results/<defaultName>`.
 * Returns an absolute path; throws InputError (naming --out or the name) when it cannot be used.
 */
export function resolveOutDir(out: string | undefined, defaultName: string): string {
  if (out === undefined && !isValidOutputName(defaultName)) {
    throw new InputError('name', quote(defaultName), OUTPUT_NAME_RULE);
  }
  if (out !== undefined && out.trim() === '') {
    throw new InputError('--out', '', 'is empty; name a folder for the results, e.g. --out results/my-run');
  }
  const dir = resolve(out ?? join('results', defaultName));
  const shown = out ?? relative(process.cwd(), dir);
  const refuse = (why: string): never => {
    throw out === undefined ? new InputError(shown, '', why) : new InputError('--out', '', `${out}: ${why}`);
  };
  // Symlinked ancestors are judged by where they really lead.
  const existing = nearestExisting(dir);
  let real: string;
  try {
    real = join(realpathSync(existing), relative(existing, dir));
  } catch (e) {
    return refuse(`cannot resolve the folder (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (dirname(real) === real) refuse(`the file-system root cannot be an output folder; choose a folder for the results`);
  for (const root of SYSTEM_ROOTS) {
    if (inside(real, root)) refuse(`is under ${root}, a system pseudo file system; choose a folder for the results`);
  }
  if (inside(process.cwd(), real)) {
    refuse(`is the current folder or contains it, and the results folder is replaced as a whole; choose a subfolder, e.g. ${join(shown, 'results')}`);
  }
  if (existing === dir) {
    if (!statSync(existing).isDirectory()) refuse(`cannot write the results there (exists and is not a folder); choose another folder`);
    if (lstatSync(existing).isSymbolicLink()) refuse(`is a symbolic link, and the results folder is replaced as a whole; name the real folder`);
    const entries = readdirSync(existing);
    const replaceable = entries.length === 0 || entries.includes(OUTPUT_MARKER) || entries.every((e) => LEGACY_OUTPUTS.has(e));
    if (!replaceable) {
      refuse(`exists and is not a kvsim results folder (it holds ${quote(entries.sort()[0])}); the results folder is replaced as a whole, so choose a new or empty folder`);
    }
    checkWritable(dirname(existing), refuse);
  } else {
    if (!statSync(existing).isDirectory()) refuse(`cannot write the results there (${existing} is not a folder); choose another folder`);
    checkWritable(existing, refuse);
  }
  if (!isAbsolute(dir)) refuse(`cannot resolve the folder`);
  return dir;
}

function checkWritable(folder: string, refuse: (why: string) => never): void {
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (e) {
    refuse(`cannot write the results there (${(e as NodeJS.ErrnoException).code ?? 'not writable'}); choose another folder`);
  }
}

/** How to show an output folder in a message: relative to the current folder when inside it. */
export function displayPath(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? dir : rel;
}
