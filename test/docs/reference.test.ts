import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { didYouMean, keysAt, referenceMarkdown, scenarioJsonSchema } from '../../src/scenario/reference.js';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

describe('scenario reference (generated from the schema)', () => {
  it('docs/scenario-reference.md and docs/scenario.schema.json are up to date (regenerate: npm run docs)', () => {
    expect(read('docs/scenario-reference.md')).toBe(referenceMarkdown());
    expect(read('docs/scenario.schema.json')).toBe(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  });

  it('documents every pool, cache and workload key', () => {
    const md = referenceMarkdown();
    for (const key of ['prefill.max_num_batched_tokens', 'decode.router', 'cache.remote.backend', 'cache.local_cpu.size', 'workload.arrival.rate', 'workload.time_scale', 'slo.ttft_p95', 'admission.enabled']) {
      expect(md).toContain(`\`${key}\``);
    }
  });

  it('knows the keys allowed at a path, through unions', () => {
    expect(keysAt([])).toContain('prefill');
    expect(keysAt(['prefill'])).toContain('max_num_seqs');
    expect(keysAt(['workload'])).toEqual(expect.arrayContaining(['arrival', 'path', 'time_scale']));
    expect(keysAt(['hardware', 'my-gpu'])).toContain('base');
  });

  it('suggests a close key for a typo, nothing for an unrelated word', () => {
    expect(didYouMean('max_num_seq', ['max_num_seqs', 'nodes'])).toBe('max_num_seqs');
    expect(didYouMean('remot', ['remote', 'local_cpu'])).toBe('remote');
    expect(didYouMean('zebra', ['remote', 'local_cpu'])).toBeUndefined();
  });
});
