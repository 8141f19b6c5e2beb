/**
 * `npm run bench`: simulator speed on the bundled scenarios (and the Mooncake traces when
 * ../shared/traces is present). Reports wall time, events/s and simulated requests per wall
 * second, the best of N runs to damp noise. Speed is measured here, never asserted in tests.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadScenario } from '../scenario/load.js';
import { runScenario } from '../run.js';

interface Case {
  label: string;
  file: string;
  sets: string[];
}

const repeats = Number(process.env.KVSIM_BENCH_REPEATS ?? 3);
const cases: Case[] = [
  { label: 'small', file: 'scenarios/small.yaml', sets: [] },
  { label: 'medium', file: 'scenarios/medium.yaml', sets: [] },
  { label: 'large', file: 'scenarios/large.yaml', sets: [] },
];
const traces = resolve('../shared/traces');
for (const t of ['conversation_trace', 'synthetic_trace']) {
  const path = `${traces}/${t}.jsonl`;
  if (existsSync(path)) {
    cases.push({ label: t, file: 'scenarios/conversation-trace.yaml', sets: [`workload.path=${JSON.stringify(path)}`] });
  } else {
    console.warn(`bench: skipping ${t}: ${path} not found`);
  }
}

console.log(`${'case'.padEnd(20)}${'requests'.padStart(10)}${'events'.padStart(12)}${'best wall s'.padStart(13)}${'Mevents/s'.padStart(11)}${'req/wall-s'.padStart(12)}${'sim s/wall s'.padStart(14)}`);
for (const c of cases) {
  let best = Infinity;
  let events = 0;
  let requests = 0;
  let makespan = 0;
  for (let i = 0; i < repeats; i++) {
    const result = runScenario(loadScenario(c.file, c.sets));
    best = Math.min(best, result.wallSeconds);
    events = result.summary.sim.events;
    requests = result.summary.requests.total;
    makespan = result.summary.makespan_s;
  }
  console.log(
    `${c.label.padEnd(20)}${String(requests).padStart(10)}${String(events).padStart(12)}${best.toFixed(3).padStart(13)}` +
      `${(events / best / 1e6).toFixed(2).padStart(11)}${Math.round(requests / best).toString().padStart(12)}${Math.round(makespan / best).toString().padStart(14)}`,
  );
}
