import { InputError } from '../scenario/input-error.js';
import type { Scenario } from '../scenario/schema.js';
import { openAzureTrace } from './azure-trace.js';
import { openMooncakeTrace } from './mooncake-trace.js';
import type { Workload } from './request.js';
import { syntheticWorkload } from './synthetic.js';

/** The generator's camelCase config names back to the scenario's YAML keys. */
const yamlKey = (name: string) => (name === 'startOffset' ? 'start' : name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));

/**
 * Builds the scenario's workload: a replayed trace or a seeded synthetic generator. Config errors
 * the generators find (after the schema passed) are reported against the scenario file and key.
 */
export function workloadFor(s: Scenario, file: string): Workload {
  try {
    return build(s);
  } catch (e) {
    if (!(e instanceof InputError) || e.where !== 'scenario') throw e;
    const field = e.field.split('.').map(yamlKey).join('.');
    const detail = e.detail.replace(/\b(numRequests|inputTokens|outputTokens|maxContextTokens|prefixTokens|turnsMean|thinkTime|zipfAlpha|timeScale|blockSize)\b/g, yamlKey);
    throw new InputError(file, field, detail);
  }
}

function build(s: Scenario): Workload {
  const w = s.workload;
  if (w.type === 'mooncake_trace') {
    return openMooncakeTrace(w.path, { timeScale: w.time_scale, limit: w.limit, startOffset: w.start, skipBadLines: w.skip_bad_lines });
  }
  if (w.type === 'azure_trace') {
    return openAzureTrace(w.path, {
      timeScale: w.time_scale,
      limit: w.limit ?? Infinity,
      startOffset: w.start,
      skipBadLines: w.skip_bad_lines,
      blockSize: w.block_size,
      prefixGroups: w.prefix_groups && { count: w.prefix_groups.count, prefixTokens: w.prefix_groups.prefix_tokens, zipfAlpha: w.prefix_groups.zipf_alpha },
      seed: s.seed,
    });
  }
  return syntheticWorkload(
    {
      blockSize: w.block_size,
      numRequests: w.num_requests,
      duration: w.duration,
      arrival: w.arrival,
      inputTokens: w.input_tokens,
      outputTokens: w.output_tokens,
      prefixGroups: w.prefix_groups && {
        count: w.prefix_groups.count,
        prefixTokens: w.prefix_groups.prefix_tokens,
        zipfAlpha: w.prefix_groups.zipf_alpha,
      },
      sessions: w.sessions && { turnsMean: w.sessions.turns_mean, thinkTime: w.sessions.think_time },
      maxContextTokens: w.max_context_tokens,
    },
    s.seed,
  );
}
