/**
 * Physical ceilings of throughput claims: the step-time model with every efficiency at 100% (GEMM,
 * attention and HBM at their peaks), no all-reduce and no host overhead, i.e. each kernel takes
 * max(FLOPs / peak, bytes / HBM bandwidth) and the step their sum.
 * Prefill: chunks of max_num_batched_tokens from prompts of the run's mean length (mean causal
 * attention span half the prompt). Decode: the largest batch the instance's KV cache holds at the
 * run's mean context (prompt + half the answer) — KV capacity is physics, max_num_seqs is not.
 * A claim above its ceiling cannot be met by any software on this hardware, model and workload.
 */
import { StepTimeModel, emptyBatch } from '../cluster/step-time.js';
import type { PoolPlan } from '../cluster/plan.js';
import type { MeasureContext } from './metrics.js';

function idealModel(pool: PoolPlan): StepTimeModel {
  const efficiency = { gemm: { bf16: 1, fp8: 1 }, hbm: 1, prefillAttention: 1, decodeAttention: 1, stepOverhead: 0, seqOverhead: 0 };
  const device = { ...pool.device, efficiency };
  return new StepTimeModel({ ...pool.shape, device });
}

function means(ctx: MeasureContext): { prompt: number; output: number } {
  // One loop, no callbacks: closures made per run would be optimized anew by V8 in every run.
  let n = 0;
  let prompt = 0;
  let output = 0;
  for (const r of ctx.metrics.records) {
    if (Number.isNaN(r.finish)) continue;
    n++;
    prompt += r.req.inputTokens;
    output += r.req.outputTokens;
  }
  return { prompt: prompt / Math.max(1, n), output: output / Math.max(1, n) };
}

export function prefillCeiling(ctx: MeasureContext): { value: number; bound: string } {
  const pool = ctx.plan.prefill;
  const { prompt } = means(ctx);
  const n = pool.config.max_num_batched_tokens;
  const b = emptyBatch();
  b.prefillTokens = n;
  b.prefillAttention = n * (prompt / 2);
  b.sampledSeqs = n / Math.max(1, prompt);
  const c = idealModel(pool).step(b);
  const t = c.compute + c.memory; // kernel time: compute- plus memory-bound kernels, no comm or overhead
  return { value: (pool.instances * n) / t, bound: c.compute >= c.memory ? 'peak FLOP/s' : 'HBM bandwidth' };
}

export function decodeCeiling(ctx: MeasureContext): { value: number; bound: string } {
  const pool = ctx.plan.decode;
  const { prompt, output } = means(ctx);
  const context = prompt + output / 2;
  const batch = Math.max(1, Math.floor(pool.kvTokensPerInstance / context));
  const b = emptyBatch();
  b.decodeSeqs = batch;
  b.sampledSeqs = batch;
  b.decodeContextTokens = batch * context;
  const c = idealModel(pool).step(b);
  const t = c.compute + c.memory;
  return { value: (pool.instances * batch) / t, bound: `${c.compute >= c.memory ? 'peak FLOP/s' : 'HBM bandwidth'}, batch ${batch}` };
}
