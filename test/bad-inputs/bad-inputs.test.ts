/**
 * The bad-input corpus: every *.yaml here is a broken scenario (the first comment line says how),
 * and expected.json maps its file name to a substring the error must contain (the field path or
 * line, and what is wrong). The built CLI must reject each one the same way: exit code 2, exactly
 * one stderr line "kvsim: error: <file>: <field or line>: <what>", no stack trace, nothing on
 * stdout, and no output folder. Bad command-line flags get the same treatment.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, lines, mapLimit, ROOT, runCli, runCliAsync, tempDirs, type CliResult } from '../e2e/cli-helpers.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REL = relative(ROOT, HERE); // test/bad-inputs
const expected = JSON.parse(readFileSync(join(HERE, 'expected.json'), 'utf8')) as Record<string, string>;
const files = readdirSync(HERE).filter((f) => f.endsWith('.yaml')).sort();
const GOOD = 'test/fixtures/scenarios/tiny-8b.yaml';

/**
 * Errors found by the workload generators after the schema passed: they must still name the
 * scenario file (as given on the command line) and the YAML key, not an internal field name.
 */
const GENERATOR_ERRORS: Record<string, string> = {
  'uniform-min-greater-than-max.yaml': 'workload.input_tokens',
  'no-request-limit.yaml': 'workload.num_requests',
};

const tmp = tempDirs('kvsim-bad-');
afterAll(() => tmp.cleanup());

interface Outcome {
  file: string;
  out: string;
  result: CliResult;
}
let outcomes: Map<string, Outcome>;

beforeAll(async () => {
  ensureBuilt();
  // ~0.5 s of Node start-up each: run them in parallel.
  const limit = Math.max(2, availableParallelism());
  const list = await mapLimit(files, limit, async (file) => {
    const out = join(tmp.make(), 'out');
    const result = await runCliAsync(['run', `${REL}/${file}`, '--out', out]);
    return { file, out, result };
  });
  outcomes = new Map(list.map((o) => [o.file, o]));
}, 300_000);

/** The shared contract of every rejected input. Returns the single error line. */
function expectOneLineError(r: CliResult, out?: string): string {
  expect(r.stdout, 'stdout').toBe('');
  expect(r.stderr).not.toContain('    at ');
  expect(r.stderr.endsWith('\n'), 'stderr ends with a newline').toBe(true);
  const ls = lines(r.stderr);
  expect(ls, r.stderr).toHaveLength(1);
  expect(ls[0]).toMatch(/^kvsim: error: \S/);
  expect(r.status, r.stderr).toBe(2);
  if (out !== undefined) expect(existsSync(out), 'output folder created').toBe(false);
  return ls[0];
}

/** The trace file a trace-* scenario points at (problems inside a trace are reported against it). */
function tracePath(file: string): string | undefined {
  let y: { workload?: { type?: string; path?: string } } | null;
  try {
    y = parseYaml(readFileSync(join(HERE, file), 'utf8'), { logLevel: 'error' }) as typeof y;
  } catch {
    return undefined; // the invalid-YAML cases
  }
  return y?.workload?.type === 'mooncake_trace' && y.workload.path ? resolve(HERE, y.workload.path) : undefined;
}

describe('bad-input corpus', () => {
  it('has at least 20 files, each with an expected message, and nothing stale in expected.json', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(Object.keys(expected).sort()).toEqual(files);
    for (const [f, s] of Object.entries(expected)) {
      expect(s.trim().length, f).toBeGreaterThan(2);
      // Not just the key ("seed: "): the reason must be checked too.
      expect(s, `${f}: expected.json must include the reason after the key`).not.toMatch(/^[\w.-]+:\s*$/);
    }
  });

  it.each(files)('%s: exit 2, one line naming the file and the problem, no output', (file) => {
    const { result, out } = outcomes.get(file)!;
    const line = expectOneLineError(result, out);
    const trace = tracePath(file);
    // The problem is named after the file it is in: the scenario, or the trace it points at.
    const named = trace !== undefined ? trace : file;
    expect(line).toContain(named);
    // The expected substring must appear in what follows the file name (so "seed: " cannot match
    // the file name "fractional-seed.yaml" itself).
    const where = [resolve(HERE, file), `${REL}/${file}`, named].find((p) => line.includes(p));
    const rest = where ? line.slice(line.indexOf(where) + where.length) : line;
    expect(rest).toContain(expected[file]);
  });

  describe('messages name the file, the YAML key and what is expected', () => {
    for (const [file, field] of Object.entries(GENERATOR_ERRORS)) {
      it(`${file}: names the scenario file and the YAML key ${field}`, () => {
        const line = lines(outcomes.get(file)!.result.stderr)[0];
        expect(line).toContain(`${REL}/${file}: ${field}`);
      });
    }

    it('fractional-seed.yaml: says what a seed must be (an integer or a string), not just "Invalid input"', () => {
      const line = lines(outcomes.get('fractional-seed.yaml')!.result.stderr)[0];
      expect(line).toMatch(/seed: .*integer/);
    });
  });
});

describe('bad command lines', () => {
  const cases: { name: string; args: (out: string) => string[]; contains: string[] }[] = [
    { name: '--seed abc', args: (o) => ['run', GOOD, '--seed', 'abc', '--out', o], contains: ['--seed', 'integer', '"abc"'] },
    { name: '--seed 1.5', args: (o) => ['run', GOOD, '--seed', '1.5', '--out', o], contains: ['--seed', 'integer'] },
    { name: '--set without "="', args: (o) => ['run', GOOD, '--set', 'decode.nodes', '--out', o], contains: ['--set', 'decode.nodes', 'key.path=value'] },
    { name: '--set with an empty key', args: (o) => ['run', GOOD, '--set', '=3', '--out', o], contains: ['--set', 'key.path=value'] },
    { name: '--set into a scalar', args: (o) => ['run', GOOD, '--set', 'decode.nodes.x=3', '--out', o], contains: ['--set', '"nodes" is not a mapping'] },
    { name: '--set to an invalid value', args: (o) => ['run', GOOD, '--set', 'decode.nodes=0', '--out', o], contains: ['tiny-8b.yaml', 'decode.nodes'] },
    { name: '--set of an unknown key', args: (o) => ['run', GOOD, '--set', 'decode.gpus=4', '--out', o], contains: ['tiny-8b.yaml', 'decode.gpus', 'unknown key'] },
    { name: 'missing scenario file', args: (o) => ['run', 'test/fixtures/scenarios/no-such.yaml', '--out', o], contains: ['no-such.yaml', 'not found'] },
    { name: 'scenario is a folder', args: (o) => ['run', 'test/fixtures/scenarios', '--out', o], contains: ['test/fixtures/scenarios'] },
    { name: '--set of a prototype key', args: (o) => ['run', GOOD, '--set', '__proto__.polluted=1', '--out', o], contains: ['--set', '"__proto__"', 'not a scenario key'] },
    { name: '--set through constructor.prototype', args: (o) => ['run', GOOD, '--set', 'constructor.prototype.polluted=1', '--out', o], contains: ['--set', '"constructor"'] },
    { name: '--vary of a prototype key', args: (o) => ['compare', GOOD, '--vary', 'prefill.__proto__.nodes=1,2', '--out', o], contains: ['--vary', '"__proto__"'] },
    { name: '--set to an unknown YAML tag', args: (o) => ['run', GOOD, '--set', 'decode.nodes=!!binary AAAA', '--out', o], contains: ['--set', 'unsupported YAML tag'] },
    { name: '--out empty', args: () => ['run', GOOD, '--out', ''], contains: ['--out', 'is empty'] },
    { name: '--out under /proc', args: () => ['run', GOOD, '--out', '/proc/kvsim-test-out'], contains: ['--out', '/proc/kvsim-test-out', 'system pseudo file system'] },
    { name: '--out under /dev', args: () => ['run', GOOD, '--out', '/dev/null'], contains: ['--out', '/dev/null', 'system pseudo file system'] },
    { name: '--out the current folder', args: () => ['run', GOOD, '--out', '.'], contains: ['--out', 'the current folder'] },
    { name: '--out the file-system root', args: () => ['run', GOOD, '--out', '/'], contains: ['--out', 'root'] },
    { name: '--out a folder that is not a kvsim results folder', args: () => ['run', GOOD, '--out', 'test/fixtures'], contains: ['--out', 'test/fixtures', 'not a kvsim results folder'] },
    { name: '--trace to a missing file', args: (o) => ['run', 'test/fixtures/scenarios/tiny-trace.yaml', '--trace', 'no-such.jsonl', '--out', o], contains: ['no-such.jsonl', 'cannot read trace file'] },
  ];
  let results: CliResult[];
  const outs: string[] = [];
  beforeAll(async () => {
    ensureBuilt();
    for (let i = 0; i < cases.length; i++) outs.push(join(tmp.make(), 'out'));
    results = await mapLimit(cases.map((c, i) => c.args(outs[i])), Math.max(2, availableParallelism()), (a) => runCliAsync(a));
  }, 300_000);

  it.each(cases.map((c, i) => [c.name, i] as const))('%s: exit 2, one line', (_name, i) => {
    const line = expectOneLineError(results[i], outs[i]);
    for (const s of cases[i].contains) expect(line).toContain(s);
  });

  // yargs usage errors: one line, with the usage hint at its end.
  const usage: { name: string; args: string[]; contains: string }[] = [
    { name: 'unknown flag', args: ['run', GOOD, '--bogus'], contains: 'Unknown argument: bogus' },
    { name: 'extra positional argument', args: ['run', GOOD, 'extra.yaml'], contains: 'extra.yaml' },
    { name: 'no command', args: [], contains: 'name a command' },
    { name: 'run without a scenario', args: ['run'], contains: 'name a scenario file' },
  ];
  let usageResults: CliResult[];
  beforeAll(async () => {
    usageResults = await mapLimit(usage.map((u) => u.args), Math.max(2, availableParallelism()), (a) => runCliAsync(a));
  }, 300_000);

  it.each(usage.map((u, i) => [u.name, i] as const))('%s: exit 2, error on the first line, no stack trace', (_name, i) => {
    const r = usageResults[i];
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('    at ');
    const ls = lines(r.stderr);
    expect(ls[0]).toMatch(/^kvsim: error: /);
    expect(ls[0]).toContain(usage[i].contains);
    expect(ls.length).toBeLessThanOrEqual(2);
    if (ls.length === 2) expect(ls[1]).toContain('--help');
  });

  // Regression: an --out that is an existing file (or lies under one) used to surface a raw
  // EEXIST/ENOTDIR from mkdirSync with a stack trace and exit 1 (fixed in b59c331).
  it('--out naming an existing file: exit 2, one line naming --out', () => {
    const file = join(tmp.make(), 'not-a-folder');
    writeFileSync(file, 'x');
    for (const out of [file, join(file, 'sub')]) {
      const r = runCli(['run', GOOD, '--out', out, '--quiet']);
      const line = expectOneLineError(r);
      expect(line).toContain('--out');
      expect(line).toContain(file);
    }
  });

  it('a ~1 MB wrong-typed value is echoed cut to ~200 characters, not whole (it used to fill the terminal)', async () => {
    const dir = tmp.make();
    const file = join(dir, 'huge.yaml');
    const text = readFileSync(join(ROOT, GOOD), 'utf8').replace(/^  nodes: 1$/m, `  nodes: [${Array(120_000).fill('12345678').join(',')}]`);
    writeFileSync(file, text);
    const r = await runCliAsync(['run', file, '--out', join(dir, 'out')]);
    const line = expectOneLineError(r, join(dir, 'out'));
    expect(line).toContain('prefill.nodes: expected number, got [12345678,');
    expect(line.length).toBeLessThan(500);
  });

  describe('a flag given twice is refused before simulating (only --set may repeat)', () => {
    const dup: [string, string[], string][] = [
      ['--out twice', ['run', GOOD, '--out', 'a', '--out', 'b'], '--out: given more than once'],
      ['--trace twice (= form)', ['run', GOOD, '--trace', 'a.jsonl', '--trace=b.jsonl'], '--trace: given more than once'],
      ['--quiet and --no-quiet', ['run', GOOD, '--quiet', '--no-quiet'], '--quiet: given more than once'],
      ['--skip-bad-lines in two spellings', ['run', GOOD, '--skip-bad-lines', '--skipBadLines'], '--skip-bad-lines: given more than once'],
      ['regress --vary twice (compare and sweep take several as a grid)', ['regress', GOOD, '--vary', 'decode.nodes=1,2', '--vary', 'prefill.nodes=1,2'], '--vary: given more than once'],
      ['--decode twice', ['plan', GOOD, '--decode', '1-2', '--decode', '1-3'], '--decode: given more than once'],
      ['validate --json twice', ['validate', '--json', '--json'], '--json: given more than once'],
    ];
    it.each(dup)('%s', async (_name, args, message) => {
      const t0 = Date.now();
      const line = expectOneLineError(await runCliAsync(args));
      expect(line).toContain(message);
      // Refused up front: no simulation ran (a tiny run alone takes longer than start-up).
      expect(Date.now() - t0).toBeLessThan(20_000);
    });

    it('--set may repeat', async () => {
      const out = join(tmp.make(), 'out');
      expect((await runCliAsync(['run', GOOD, '--set', 'seed=3', '--set', 'seed=4', '--out', out, '--quiet', '--no-charts'])).status).toBe(0);
    });
  });

  describe('inputs must be regular files (no hang on a FIFO or device, symlink loops named)', () => {
    let dir: string;
    beforeAll(() => {
      dir = tmp.make();
      for (const f of ['scenario.yaml', 'trace.jsonl']) expect(spawnSync('mkfifo', [join(dir, f)]).status).toBe(0);
      symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
      symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
    });
    const cases: [string, (d: string) => string[], string[]][] = [
      ['FIFO as scenario', (d) => ['run', join(d, 'scenario.yaml')], ['scenario.yaml', 'is a pipe']],
      ['character device as scenario', () => ['run', '/dev/zero'], ['/dev/zero', 'character device']],
      ['symlink loop as scenario', (d) => ['run', join(d, 'loop-a')], ['loop-a', 'symbolic link loop']],
      ['FIFO as trace', (d) => ['run', 'test/fixtures/scenarios/tiny-trace.yaml', '--trace', join(d, 'trace.jsonl')], ['trace.jsonl', 'is a pipe']],
      ['character device as trace', () => ['run', 'test/fixtures/scenarios/tiny-trace.yaml', '--trace', '/dev/zero'], ['/dev/zero', 'character device']],
      ['symlink loop as trace', (d) => ['run', 'test/fixtures/scenarios/tiny-trace.yaml', '--trace', join(d, 'loop-a')], ['loop-a', 'symbolic link loop']],
      // What `--trace <(cat trace.jsonl)` passes: a pipe that would read empty on the second run.
      ['pipe as trace in compare', (d) => ['compare', 'test/fixtures/scenarios/tiny-trace.yaml', '--vary', 'decode.nodes=1,2', '--trace', join(d, 'trace.jsonl')], ['trace.jsonl', 'process substitution']],
    ];
    it.each(cases)('%s', async (_name, args, contains) => {
      const out = join(dir, 'out');
      const line = expectOneLineError(await runCliAsync([...args(dir), '--out', out]), out);
      for (const c of contains) expect(line).toContain(c);
    });
  });

  it('unknown flag: exactly one stderr line', () => {
    expect(lines(usageResults[0].stderr)).toHaveLength(1);
  });

  it('run without a scenario: says a scenario file is needed', () => {
    expect(lines(usageResults[3].stderr)[0]).toMatch(/scenario/);
  });
});
