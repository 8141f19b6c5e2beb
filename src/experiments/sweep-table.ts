import { stringify } from 'csv-stringify/sync';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../scenario/input-error.js';
import { sweepColumns, type Shard, type SweepDefinition, type SweepRow } from './sweep.js';

/** sweep.json: a sweep's definition and its tidy rows (all of them, or one shard's). */
export interface SweepTable {
  readonly format: 'kvsim-sweep';
  readonly schema_version: 1;
  readonly sweep: SweepDefinition;
  readonly total_runs: number;
  /** Present on a partial table written by `--shard I/N`. */
  readonly shard?: Shard;
  readonly rows: SweepRow[];
}

export function sweepCsv(table: SweepTable): string {
  return stringify(table.rows, { header: true, columns: sweepColumns(table.sweep), cast: { boolean: (b) => String(b) } });
}

export const sweepJson = (table: SweepTable): string => `${JSON.stringify(table, null, 2)}\n`;

/** Reads a sweep table from a folder (its sweep.json) or a sweep.json path. */
export function readSweepTable(path: string): SweepTable {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'sweep.json') : path;
  if (!existsSync(file)) throw new InputError(path, '', 'no sweep.json there (expected a folder written by kvsim sweep, or its sweep.json)');
  let t: SweepTable;
  try {
    t = JSON.parse(readFileSync(file, 'utf8')) as SweepTable;
  } catch (e) {
    throw new InputError(file, '', `not valid JSON (${(e as Error).message})`);
  }
  if (t?.format !== 'kvsim-sweep' || !Array.isArray(t.rows) || typeof t.total_runs !== 'number') {
    throw new InputError(file, 'format', 'not a kvsim sweep table');
  }
  if (t.schema_version !== 1) throw new InputError(file, 'schema_version', `this kvsim reads version 1, got ${JSON.stringify(t.schema_version)}`);
  return t;
}

/**
 * Joins partial tables of one sweep: same definition, each run exactly once, all runs present.
 * The result is the table a single-machine sweep writes (rows in run order, no shard).
 */
export function mergeSweepTables(parts: readonly { path: string; table: SweepTable }[]): SweepTable {
  if (parts.length === 0) throw new InputError('merge', '', 'name the partial sweep folders to join');
  const [first] = parts;
  const def = JSON.stringify(first.table.sweep);
  const byRun = new Map<number, SweepRow>();
  for (const { path, table } of parts) {
    if (JSON.stringify(table.sweep) !== def || table.total_runs !== first.table.total_runs) {
      throw new InputError(path, 'sweep', `is a different sweep than ${first.path} (scenario, grid, seeds, overrides or trace differ)`);
    }
    for (const row of table.rows) {
      const run = Number(row.run);
      if (byRun.has(run)) throw new InputError(path, `run ${run}`, 'this run is in two partial tables (a shard given twice?)');
      byRun.set(run, row);
    }
  }
  const missing = Array.from({ length: first.table.total_runs }, (_, i) => i).filter((i) => !byRun.has(i));
  if (missing.length > 0) {
    throw new InputError('merge', '', `${missing.length} of ${first.table.total_runs} runs missing (e.g. run ${missing[0]}); join every shard's table`);
  }
  const rows = [...byRun.keys()].sort((a, b) => a - b).map((i) => byRun.get(i)!);
  return { format: 'kvsim-sweep', schema_version: 1, sweep: first.table.sweep, total_runs: first.table.total_runs, rows };
}
