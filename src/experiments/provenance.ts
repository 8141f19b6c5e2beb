import { basename, dirname, relative } from 'node:path';
import type { LoadedScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { gitHead } from '../util/git-head.js';
import { PACKAGE_ROOT, kvsimVersion } from '../util/package-info.js';

/** Version of summary.json's layout; bumped when a key changes meaning or moves. */
export const SUMMARY_SCHEMA_VERSION = 2;

/** How a run was made, so a result file can be reproduced and audited on its own. */
export interface Provenance {
  schema_version: number;
  kvsim_version: string;
  /** Commit of the kvsim checkout that ran, when it is a git checkout with git installed. */
  git_commit?: string;
  /** Scenario file name (its folder depends on where kvsim ran from; outputs must not). */
  scenario_file: string;
  /** `--set` overrides (and the seed), in the order applied. */
  overrides: string[];
  seed: number | string;
  /** Replicate seeds of the command, when it ran several. */
  seeds?: (number | string)[];
  /** Replayed trace, relative to the scenario file's folder (how the scenario's workload.path is written). */
  trace_path?: string;
  /** The scenario after overrides and defaults: what was simulated. */
  resolved_scenario: Scenario;
}

let commit: string | null | undefined;
/** Commit of the kvsim checkout that runs (absent, never an error, outside a git checkout); read once per thread. */
function gitCommit(): string | undefined {
  if (commit === undefined) commit = gitHead(PACKAGE_ROOT) ?? null;
  return commit ?? undefined;
}

export function provenance(loaded: LoadedScenario, overrides: readonly string[]): Provenance {
  const resolved = structuredClone(loaded.scenario);
  let tracePath: string | undefined;
  if (resolved.workload.type === 'mooncake_trace' || resolved.workload.type === 'azure_trace') {
    // Relative to the scenario, as a scenario file states it: the record stays valid on another machine.
    tracePath = relative(dirname(loaded.file), resolved.workload.path);
    resolved.workload.path = tracePath;
  }
  const git = gitCommit();
  return {
    schema_version: SUMMARY_SCHEMA_VERSION,
    kvsim_version: kvsimVersion(),
    ...(git ? { git_commit: git } : {}),
    scenario_file: basename(loaded.file),
    overrides: [...overrides],
    seed: loaded.scenario.seed,
    ...(tracePath !== undefined ? { trace_path: tracePath } : {}),
    resolved_scenario: resolved,
  };
}
