import type { Argv } from 'yargs';
import { mergeSweepTables, readSweepTable } from '../experiments/sweep-table.js';
import { pointTable, writeSweep } from './sweep-command.js';

interface MergeArgs {
  parts: string[];
  out: string;
  quiet: boolean;
  charts: boolean;
}

/** `kvsim merge`: joins the partial tables of a sharded sweep into the single-machine result. */
export async function mergeCommand(argv: MergeArgs): Promise<void> {
  const table = mergeSweepTables(argv.parts.map((path) => ({ path, table: readSweepTable(path) })));
  await writeSweep(argv.out, table, argv.charts);
  if (argv.quiet) return;
  const lines = [`kvsim merge: ${argv.parts.length} partial tables, ${table.rows.length} runs of sweep ${table.sweep.scenario_name}`, ...pointTable(table)];
  lines.push(`  wrote sweep.csv, sweep.json${argv.charts ? ', charts/, report.html' : ''} to ${argv.out}/`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function mergeBuilder<T>(y: Argv<T>) {
  return y
    .positional('parts', { type: 'string', array: true, demandOption: true, describe: 'folders (or sweep.json files) written by kvsim sweep --shard' })
    .option('out', { type: 'string', demandOption: true, describe: 'folder for the joined sweep.csv, sweep.json and charts' })
    .option('quiet', { type: 'boolean', default: false })
    .option('charts', { type: 'boolean', default: true, describe: 'render the metric-vs-key charts (--no-charts to skip)' });
}
