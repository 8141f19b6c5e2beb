/**
 * An operator's own measurements for `kvsim validate --points FILE`: a YAML list (or `points:` list) or a
 * CSV with a header row, one measurement per entry. Keys (snake_case, as in scenarios):
 *   device, model, tp, input, output, batch            required (catalog keys; tokens; sequences per engine)
 *   tokens_per_s | latency_s | first_token_s          exactly one: system throughput, batch-1 seconds per request,
 *                                                      or batch-1 seconds to the first token (the prefill)
 *   dtype (bf16), kv_dtype (= dtype), devices (= tp), tokens_counted (output | input+output, default output),
 *   max_num_batched_tokens (8192), gpu_memory_utilization (0.9), num_scheduler_steps (1; vLLM V0 multi-step),
 *   host_runs_ahead (false; true for a harness that never waits for the device between steps, e.g. Optimum
 *   Habana: throughput steps then cost max(device, host), predict.ts), harness (optimum-habana: the measuring
 *   harness is Optimum Habana's run_generation.py, so the host cost per step is the device's fitted
 *   harnessStepOverhead instead of the serving engine's stepOverhead), id, source
 * Bad input is an InputError naming the file and the entry (YAML: points[i].key; CSV: line N, key).
 */
import { readFileSync } from 'node:fs';
import { parseCoreYaml } from '../scenario/yaml.js';
import { own } from '../util/own.js';
import { notRegularFile } from '../util/input-file.js';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { DEVICES } from '../cluster/catalog/hardware.js';
import { MODELS } from '../cluster/catalog/models.js';
import { InputError } from '../scenario/input-error.js';
import type { CalibrationPoint } from './points.js';

const num = z.coerce.number<unknown>();
const posInt = num.pipe(z.number().int().positive());
const dtype = z.enum(['bf16', 'fp8']);
/** A YAML boolean, or the words true / false (a CSV cell is always text). */
const flag = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

const userPoint = z
  .strictObject({
    id: z.coerce.string<unknown>().optional(),
    source: z.coerce.string<unknown>().optional(),
    device: z.string().refine((d) => own(DEVICES, d) !== undefined, { message: `unknown device; known: ${Object.keys(DEVICES).join(', ')}` }),
    model: z.string().refine((m) => own(MODELS, m) !== undefined, { message: `unknown model; known: ${Object.keys(MODELS).join(', ')}` }),
    dtype: dtype.default('bf16'),
    kv_dtype: dtype.optional(),
    tp: posInt,
    devices: posInt.optional(),
    input: posInt,
    output: posInt.pipe(z.number().min(2, { message: 'needs at least 2 output tokens (one from prefill, one decode step)' })),
    batch: posInt,
    tokens_per_s: num.pipe(z.number().positive()).optional(),
    latency_s: num.pipe(z.number().positive()).optional(),
    first_token_s: num.pipe(z.number().positive()).optional(),
    tokens_counted: z.enum(['output', 'input+output']).default('output'),
    max_num_batched_tokens: posInt.default(8192),
    gpu_memory_utilization: num.pipe(z.number().gt(0).max(1)).default(0.9),
    num_scheduler_steps: posInt.default(1),
    host_runs_ahead: flag.default(false),
    harness: z.enum(['optimum-habana']).optional(),
  })
  .superRefine((p, ctx) => {
    const given = [p.tokens_per_s, p.latency_s, p.first_token_s].filter((x) => x !== undefined).length;
    if (given !== 1) {
      ctx.addIssue({ code: 'custom', path: ['tokens_per_s'], message: 'give exactly one of tokens_per_s, latency_s or first_token_s' });
    }
    const devices = p.devices ?? p.tp;
    if (devices % p.tp !== 0) ctx.addIssue({ code: 'custom', path: ['devices'], message: `must be a multiple of tp (${p.tp})` });
    if (p.latency_s !== undefined && p.batch !== 1) ctx.addIssue({ code: 'custom', path: ['batch'], message: 'latency_s is a batch-1 measurement: batch must be 1' });
    if (p.first_token_s !== undefined && p.batch !== 1) {
      ctx.addIssue({ code: 'custom', path: ['batch'], message: 'first_token_s is a batch-1 measurement: batch must be 1' });
    }
  });

type UserPoint = z.output<typeof userPoint>;

function toPoint(u: UserPoint, index: number, file: string): CalibrationPoint {
  return {
    id: u.id ?? `point-${index + 1}`,
    source: u.source ?? file,
    device: u.device,
    devices: u.devices ?? u.tp,
    tp: u.tp,
    model: u.model,
    weightDtype: u.dtype,
    kvDtype: u.kv_dtype ?? u.dtype,
    workload: { input: u.input, output: u.output, batch: u.batch },
    engine: {
      maxNumBatchedTokens: u.max_num_batched_tokens,
      gpuMemoryUtilization: u.gpu_memory_utilization,
      numSchedulerSteps: u.num_scheduler_steps,
      hostRunsAhead: u.host_runs_ahead,
      ...(u.harness === undefined ? {} : { harness: u.harness }),
    },
    metric: u.latency_s !== undefined ? 'latency' : u.first_token_s !== undefined ? 'first-token' : 'throughput',
    tokensCounted: u.tokens_counted,
    published: u.latency_s ?? u.first_token_s ?? u.tokens_per_s ?? NaN,
    group: 'user',
    role: 'reference',
    notes: 'operator measurement (kvsim validate --points)',
  };
}

/** Reads and checks a points file; throws InputError on any problem. */
export function loadUserPoints(file: string): CalibrationPoint[] {
  const why = notRegularFile(file);
  if (why) throw new InputError(file, '', why === 'not found' ? 'no such file' : why === 'is a folder, not a file' ? 'is a folder, expected a file' : why);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(file, '', code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, expected a file' : `cannot read (${code ?? String(e)})`);
  }
  const csv = /\.csv$/i.test(file);
  let rows: unknown[];
  // Where entry i is, for messages: YAML points[i], CSV line (header is line 1).
  const where = (i: number): string => (csv ? `line ${i + 2}` : `points[${i}]`);
  if (csv) {
    try {
      rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true }) as unknown[];
    } catch (e) {
      throw new InputError(file, '', `not valid CSV (${(e as Error).message.split('\n')[0]})`);
    }
    // Empty CSV cells mean "not given".
    rows = rows.map((r) => Object.fromEntries(Object.entries(r as Record<string, string>).filter(([, v]) => v !== '')));
  } else {
    // Same reader as scenarios: core schema only, unknown tags and cycles are one-line errors.
    const doc = parseCoreYaml(text, file);
    const list = doc !== null && typeof doc === 'object' && !Array.isArray(doc) && 'points' in doc ? (doc as { points: unknown }).points : doc;
    if (!Array.isArray(list)) throw new InputError(file, '', 'expected a list of points (or a "points:" list)');
    rows = list;
  }
  if (rows.length === 0) throw new InputError(file, '', 'no points in the file');
  const points = rows.map((row, i) => {
    const r = userPoint.safeParse(row);
    if (!r.success) {
      const issue = r.error.issues[0];
      const key = issue.path.join('.');
      const raw = key && row !== null && typeof row === 'object' ? (row as Record<string, unknown>)[key] : undefined;
      const what =
        issue.code === 'unrecognized_keys'
          ? `unknown key(s) ${issue.keys.join(', ')}`
          : issue.code === 'invalid_type' && raw !== undefined
            ? `expected a ${issue.expected}, got ${JSON.stringify(raw)}`
            : issue.message;
      throw new InputError(file, key ? `${where(i)}${csv ? ', ' : '.'}${key}` : where(i), what);
    }
    return toPoint(r.data, i, file);
  });
  const ids = new Set<string>();
  points.forEach((p, i) => {
    if (ids.has(p.id)) throw new InputError(file, `${where(i)}.id`, `duplicate id "${p.id}"`);
    ids.add(p.id);
  });
  return points;
}
