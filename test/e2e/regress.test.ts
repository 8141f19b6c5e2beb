import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, lines, mapLimit, runCliAsync, tempDirs } from './cli-helpers.js';

const SUITE = 'scenarios/regress';
const CHAT = 'scenarios/regress/chat.yaml'; // routes with cache_aware
const tmp = tempDirs('kvsim-regress-');
afterAll(() => tmp.cleanup());
let dir: string;
let chatBaseline: string;
beforeAll(async () => {
  ensureBuilt();
  dir = tmp.make();
  chatBaseline = join(dir, 'chat.json');
  const r = await runCliAsync(['regress', CHAT, '--seeds', '2', '--save-baseline', chatBaseline, '--quiet']);
  expect(r.status, r.stderr).toBe(0);
});

/** The regression lines of a failed comparison. */
const regressionLines = (stdout: string) => lines(stdout.slice(stdout.indexOf('REGRESSION'))).slice(1).map((l) => l.trim());

describe('kvsim regress', () => {
  it('the bundled suite: a saved baseline compared with an unchanged run passes, every metric unchanged', async () => {
    const file = join(dir, 'suite.json');
    const save = await runCliAsync(['regress', SUITE, '--save-baseline', file]);
    expect(save.status, save.stderr).toBe(0);
    const b = JSON.parse(readFileSync(file, 'utf8'));
    // suite.yaml: chat × 4 prefill routers + tiers × 5 eviction policies, seeds [1, 2].
    expect(Object.keys(b.cases)).toHaveLength(9);
    expect(b.cases['chat prefill.router=kv_balance'].seeds).toEqual([1, 2]);
    expect(b.cases['tiers cache.hbm_eviction=s3fifo'].values.kv_hit_rate).toHaveLength(2);
    const again = await runCliAsync(['regress', SUITE, '--baseline', file]);
    expect(again.status, again.stdout).toBe(0);
    expect(again.stdout).toContain('no regression');
    const verdicts = lines(again.stdout).filter((l) => /(better|worse|unchanged)$/.test(l));
    expect(verdicts).toHaveLength(9 * 14); // 9 cases × 14 metrics
    expect(verdicts.every((l) => l.endsWith('unchanged'))).toBe(true);
  });

  it('a worse policy fails (exit 1) and names the metrics that got worse', async () => {
    // round_robin instead of cache_aware scatters shared prefixes over the 4 prefill instances.
    const r = await runCliAsync(['regress', CHAT, '--seeds', '2', '--set', 'prefill.router=round_robin', '--baseline', chatBaseline]);
    expect(r.status, r.stdout).toBe(1);
    const regressions = regressionLines(r.stdout);
    expect(regressions.some((l) => /^chat: kv_hit_rate .* higher is better\)$/.test(l))).toBe(true);
    expect(regressions.some((l) => l.startsWith('chat: ttft_p95_s '))).toBe(true);
    expect(r.stdout).toMatch(/kv_hit_rate ↑ .* worse/);
  });

  it('a better policy is marked better, and its trade-off is still caught unless tolerated', async () => {
    const rr = join(dir, 'rr.json');
    expect((await runCliAsync(['regress', CHAT, '--set', 'prefill.router=round_robin', '--save-baseline', rr, '--quiet'])).status).toBe(0);
    const r = await runCliAsync(['regress', CHAT, '--baseline', rr]);
    expect(r.stdout).toMatch(/kv_hit_rate ↑ .* better/);
    expect(r.stdout).toMatch(/ttft_p95_s ↓ .* better/);
    // cache_aware packs more decodes behind the faster first tokens: TBT rises a little (measured
    // +1.4% p50, +6% p99), past the default 1%; whatever is flagged is one of those decode metrics.
    for (const l of r.status === 1 ? regressionLines(r.stdout) : []) expect(l.split(' ')[1]).toMatch(/^(tbt_p50_s|tbt_p99_s|tpot_p50_s)$/);
    const ok = await runCliAsync(['regress', CHAT, '--baseline', rr, '--tolerance', 'tbt_p50_s=10%', '--tolerance', 'tbt_p99_s=10%', '--tolerance', 'tpot_p50_s=10%']);
    expect(ok.status, ok.stdout).toBe(0);
  });

  it('tolerances: relative for all, per metric, absolute; the worse run passes only what they allow', async () => {
    const worse = ['regress', CHAT, '--seeds', '2', '--set', 'prefill.router=round_robin', '--baseline', chatBaseline];
    // Measured: the worst change is TTFT p99 ~ +400%; 1000% allows everything.
    expect((await runCliAsync([...worse, '--tolerance', '1000%'])).status).toBe(0);
    // ... except the hit rate, held to 0.01 absolute: the only regression left.
    const one = await runCliAsync([...worse, '--tolerance', '1000%', '--tolerance', 'kv_hit_rate=0.01']);
    expect(one.status).toBe(1);
    const regressions = regressionLines(one.stdout);
    expect(regressions).toHaveLength(1);
    expect(regressions[0]).toMatch(/^chat: kv_hit_rate /);
  });

  it('spread tolerance: an unchanged run passes; the worse one still fails (its change dwarfs the seed spread)', async () => {
    expect((await runCliAsync(['regress', CHAT, '--seeds', '2', '--tolerance', 'spread', '--baseline', chatBaseline])).status).toBe(0);
    const r = await runCliAsync(['regress', CHAT, '--seeds', '2', '--set', 'prefill.router=round_robin', '--tolerance', 'spread', '--baseline', chatBaseline]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('chat: kv_hit_rate');
    // --quiet: only the regressions.
    const q = await runCliAsync(['regress', CHAT, '--seeds', '2', '--set', 'prefill.router=round_robin', '--tolerance', 'spread', '--baseline', chatBaseline, '--quiet']);
    expect(q.status).toBe(1);
    expect(lines(q.stdout)[0]).toMatch(/^REGRESSION \(\d+\):$/);
    expect(q.stdout).not.toContain('verdict');
  });

  it('a baseline case the suite did not run is a failure; a new case is only noted', async () => {
    const r = await runCliAsync(['regress', join(SUITE, 'tiers.yaml'), '--seeds', '2', '--baseline', chatBaseline]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('tiers: new case');
    expect(r.stdout).toContain('chat: in the baseline but not run');
  });

  it('bad baseline files and flags: one line naming the file and key, exit 2', async () => {
    const good = JSON.parse(readFileSync(chatBaseline, 'utf8'));
    const write = (name: string, content: string) => {
      const f = join(dir, name);
      writeFileSync(f, content);
      return f;
    };
    const noMetric = structuredClone(good);
    delete noMetric.cases.chat.values.kv_hit_rate;
    const shortValues = structuredClone(good);
    shortValues.cases.chat.values.ttft_p95_s = [1];
    const cases: [string[], string][] = [
      [['--baseline', join(dir, 'nope.json')], 'nope.json: baseline file not found'],
      [['--baseline', write('garbage.json', '{ not json')], 'garbage.json: not valid JSON'],
      [['--baseline', write('version.json', JSON.stringify({ ...good, kvsim_regress_baseline: 2 }))], 'version.json: kvsim_regress_baseline: expected 1'],
      [['--baseline', write('list.json', '[]')], 'list.json: (top level):'],
      [['--baseline', write('nometric.json', JSON.stringify(noMetric))], 'nometric.json: cases.chat.values.kv_hit_rate: missing'],
      [['--baseline', write('short.json', JSON.stringify(shortValues))], 'short.json: cases.chat.values.ttft_p95_s: expected one value per seed (2), got 1'],
      [['--baseline', write('string.json', JSON.stringify({ ...good, cases: { chat: { ...good.cases.chat, seeds: 'one' } } }))], 'string.json: cases.chat.seeds:'],
      [['--baseline', chatBaseline, '--seeds', '3'], 'chat.json: cases.chat.seeds: baseline has seeds 1,2, this run 1,2,3'],
      [[], 'give --baseline FILE'],
      [['--baseline', chatBaseline, '--tolerance', 'ttft=5%'], '--tolerance: ttft=5%: unknown metric "ttft"'],
      [['--baseline', chatBaseline, '--tolerance', 'lots'], '--tolerance: lots: expected'],
      [['--baseline', chatBaseline, '--seeds', '0'], '--seeds: 0:'],
    ];
    const results = await mapLimit(cases, 4, ([args]) => runCliAsync(['regress', CHAT, ...(args.includes('--seeds') ? [] : ['--seeds', '2']), ...args]));
    for (const [i, [args, needle]] of cases.entries()) {
      const r = results[i];
      expect(r.status, `${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(lines(r.stderr), r.stderr).toHaveLength(1);
      expect(r.stderr).toContain(needle);
    }
  });
});
