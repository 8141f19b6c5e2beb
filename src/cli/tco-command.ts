import { stringify } from 'csv-stringify/sync';
import { displayPath, resolveOutDir } from '../output/out-dir.js';
import { publishOutputs } from '../output/staging.js';
import { isoSloTco, type MixResult } from '../tco/iso-slo.js';
import { range } from './plan-command.js';
import type { Progress } from './progress.js';

export interface TcoCommandOptions {
  scenario: string;
  mixes: string;
  prefill: string;
  decode: string;
  sets: string[];
  trace?: string;
  out?: string;
  quiet: boolean;
  reference?: string;
  jobs: number;
  progress?: Progress;
}

const DEFAULT_MIXES = 'h100,h200,b200,mi300x,gaudi3,b200+gaudi3';

/** `kvsim tco`: the cheapest SLO-meeting configuration of each hardware mix, and its TCO relative to the scenario's. */
export async function tcoCommand(opts: TcoCommandOptions): Promise<void> {
  const prefill = range('--prefill', opts.prefill);
  const decode = range('--decode', opts.decode);
  let dir = '';
  const { results, base } = await isoSloTco({
    scenario: opts.scenario,
    sets: opts.sets,
    trace: opts.trace,
    mixes: opts.mixes || DEFAULT_MIXES,
    prefill,
    decode,
    reference: opts.reference,
    jobs: opts.jobs,
    onProgress: (done) => opts.progress?.update(done, 0),
    // Checked before simulating: a bad folder must not cost every mix's runs.
    beforeRuns: (b) => {
      dir = resolveOutDir(opts.out, `tco-${b.scenario.name}`);
    },
  });
  opts.progress?.end();
  const s = base.scenario;
  const flat = results.map((r) => ({ mix: r.mix, prefill: r.prefill, decode: r.decode, runs: r.runs, ...(r.best ?? {}) }));
  await publishOutputs(dir, {
    'tco.csv': stringify(flat, {
      header: true,
      columns: ['mix', 'prefill', 'decode', 'runs', 'prefill_nodes', 'decode_nodes', 'devices', 'ttft_p95_s', 'tbt_p99_s', 'cost_per_hour', 'cost_per_million_output_tokens', 'energy_j_per_output_token', 'tco_ratio'],
    }),
    'tco.json': `${JSON.stringify({ scenario: s.name, slo: s.slo, cost_basis: s.cost.basis, reference: opts.reference ?? 'scenario', results }, null, 2)}\n`,
  });
  if (opts.quiet) return;
  const slo = Object.entries(s.slo).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ≤ ${((v as number) * 1e3).toFixed(0)} ms`).join(', ');
  const lines = [
    `kvsim tco: ${s.name} — cheapest configuration per hardware mix meeting ${slo}, nothing rejected, stable (cost basis: ${s.cost.basis})`,
    `  ${'mix'.padEnd(18)} ${'prefill'.padEnd(22)} ${'decode'.padEnd(22)} ${'devices'.padStart(7)} ${'TTFT p95'.padStart(9)} ${'$/hour'.padStart(8)} ${'$/1M out'.padStart(9)} ${'J/out tok'.padStart(9)} ${'TCO ratio'.padStart(9)}`,
    ...results.map((r) => row(r)),
    `  TCO ratio = $/1M output tokens ÷ ${opts.reference ? `mix ${opts.reference}` : "the scenario's own mix (first row)"}; ${results.reduce((a, r) => a + r.runs, 0)} simulations; wrote tco.csv, tco.json to ${displayPath(dir)}/`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function row(r: MixResult): string {
  const b = r.best;
  if (!b) return `  ${r.mix.padEnd(18)} ${r.prefill.padEnd(22)} ${r.decode.padEnd(22)}   no configuration in range meets the SLO (${r.runs} runs)`;
  return (
    `  ${r.mix.padEnd(18)} ${`${b.prefill_nodes} × ${r.prefill}`.padEnd(22)} ${`${b.decode_nodes} × ${r.decode}`.padEnd(22)} ${String(b.devices).padStart(7)}` +
    ` ${`${(b.ttft_p95_s * 1e3).toFixed(0)} ms`.padStart(9)} ${b.cost_per_hour.toFixed(2).padStart(8)} ${b.cost_per_million_output_tokens.toFixed(2).padStart(9)}` +
    ` ${b.energy_j_per_output_token.toFixed(1).padStart(9)} ${b.tco_ratio !== undefined ? `${b.tco_ratio.toFixed(2)}x`.padStart(9) : '—'.padStart(9)}`
  );
}
