import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Removes outputs of an earlier run in `dir` that this run did not write (e.g. charts/ left by a
 * run with charts when this one has --no-charts, replicates.csv of an earlier --seeds run), so a
 * folder never mixes two runs. Only kvsim's own output names are touched: `names` (files at the top)
 * and charts/*.svg, charts/*.vl.json.
 */
export function removeStaleOutputs(dir: string, written: Readonly<Record<string, unknown>>, names: readonly string[]): void {
  for (const name of names) if (!(name in written) && existsSync(join(dir, name))) rmSync(join(dir, name), { force: true });
  const charts = join(dir, 'charts');
  if (!existsSync(charts)) return;
  for (const f of readdirSync(charts)) {
    if ((f.endsWith('.svg') || f.endsWith('.vl.json')) && !(`charts/${f}` in written)) rmSync(join(charts, f), { force: true });
  }
  if (readdirSync(charts).length === 0) rmdirSync(charts);
}
