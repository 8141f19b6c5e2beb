import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../scenario/input-error.js';
import { METRIC_NAMES } from './metrics.js';

/** Per-seed values of every metric of one case. */
export interface CaseResult {
  readonly seeds: (number | string)[];
  /** null: the metric had no value (e.g. no request finished). */
  readonly values: Record<string, (number | null)[]>;
}

/** What `--save-baseline` writes and `--baseline` reads. */
export interface Baseline {
  readonly kvsim_regress_baseline: 1;
  readonly cases: Record<string, CaseResult>;
}

const caseSchema = z.strictObject({
  seeds: z.array(z.union([z.number().int(), z.string()])).min(1),
  values: z.record(z.string(), z.array(z.number().nullable())),
});

const baselineSchema = z.strictObject({
  kvsim_regress_baseline: z.literal(1, { error: 'expected 1 (the baseline format version); save the baseline again with --save-baseline' }),
  cases: z.record(z.string(), caseSchema),
});

export function baselineJson(cases: Record<string, CaseResult>): string {
  const b: Baseline = { kvsim_regress_baseline: 1, cases };
  return `${JSON.stringify(b, null, 2)}\n`;
}

/** Reads and checks a baseline file; every problem is one InputError naming the file and key. */
export function readBaseline(file: string): Baseline {
  if (!existsSync(file)) throw new InputError(file, '', 'baseline file not found (write one with --save-baseline)');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(file, '', `not valid JSON (${(e as Error).message.split('\n')[0]}); write it with --save-baseline`);
  }
  const parsed = baselineSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(file, issue.path.join('.') || '(top level)', issue.message);
  }
  for (const [label, c] of Object.entries(parsed.data.cases)) {
    for (const m of METRIC_NAMES) {
      const v = c.values[m];
      if (!v) throw new InputError(file, `cases.${label}.values.${m}`, 'missing; save the baseline again with --save-baseline');
      if (v.length !== c.seeds.length) {
        throw new InputError(file, `cases.${label}.values.${m}`, `expected one value per seed (${c.seeds.length}), got ${v.length}`);
      }
    }
  }
  return parsed.data as Baseline;
}
