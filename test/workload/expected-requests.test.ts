import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { expectedRequests } from '../../src/workload/expected-requests.js';

const SMALL = 'scenarios/small.yaml';
const dir = mkdtempSync(join(tmpdir(), 'kvsim-expected-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A trace scenario (small.yaml's cluster) replaying `text` from a temp file. */
function traceScenario(name: string, text: string, limit?: number): Scenario {
  const path = join(dir, name);
  writeFileSync(path, text);
  const s = loadScenario(SMALL, [], path).scenario;
  return { ...s, workload: { ...s.workload, ...(limit === undefined ? {} : { limit }) } as Scenario['workload'] };
}

describe('expectedRequests', () => {
  it('synthetic: the smaller of num_requests and rate × duration', () => {
    const s = (sets: string[]) => loadScenario(SMALL, sets).scenario;
    // 2 req/s for 10 min = 1,200 requests; num_requests 500 comes first.
    expect(expectedRequests(s(['workload.arrival.rate=2', 'workload.duration=10 min', 'workload.num_requests=500']), 1e6)).toBe(500);
    expect(expectedRequests(s(['workload.arrival.rate=2', 'workload.duration=10 min', 'workload.num_requests=5000']), 1e6)).toBe(1200);
    // Counted no further than cap + 1.
    expect(expectedRequests(s(['workload.arrival.rate=2', 'workload.duration=10 min', 'workload.num_requests=5000']), 100)).toBe(101);
  });

  it('trace: its lines, the last one without a break too, at most `limit`, counted no further than cap + 1', () => {
    const line = '{"timestamp": 0, "input_length": 10, "output_length": 2, "hash_ids": [1]}';
    expect(expectedRequests(traceScenario('a.jsonl', `${line}\n`.repeat(7)), 1000)).toBe(7);
    expect(expectedRequests(traceScenario('b.jsonl', `${line}\n`.repeat(6) + line), 1000)).toBe(7);
    expect(expectedRequests(traceScenario('c.jsonl', ''), 1000)).toBe(0);
    expect(expectedRequests(traceScenario('d.jsonl', `${line}\n`.repeat(7), 3), 1000)).toBe(3);
    expect(expectedRequests(traceScenario('e.jsonl', `${line}\n`.repeat(50)), 10)).toBe(11);
    // Lines across the 1 MB reads: 30,000 lines of 75 bytes = 2.25 MB.
    expect(expectedRequests(traceScenario('f.jsonl', `${line}\n`.repeat(30_000)), 1e6)).toBe(30_000);
  });

  it('a trace it cannot read, or that is not a regular file, counts as long: the run reports the error itself', () => {
    const s = traceScenario('g.jsonl', 'x\n');
    rmSync(join(dir, 'g.jsonl'));
    expect(expectedRequests(s, 100)).toBe(101);
    // A FIFO without a writer: opening it would block; a folder: not a trace.
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(expectedRequests({ ...s, workload: { ...s.workload, path: fifo } as Scenario['workload'] }, 100)).toBe(101);
    expect(expectedRequests({ ...s, workload: { ...s.workload, path: dir } as Scenario['workload'] }, 100)).toBe(101);
  });
});
