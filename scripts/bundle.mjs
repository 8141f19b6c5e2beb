// Second build step (after tsc): bundles the CLI and its worker-thread entries with esbuild, so a
// process or thread loads a few files instead of ~270 modules (zod alone is 95). Loading kvsim
// halves: `kvsim --version` 0.33 -> 0.15 CPU-s (see README "Start-up"). Input is tsc's output,
// so the bundle runs exactly the code tsc emitted; then dist/cli/main.js (the `bin`) becomes a
// one-line entry into the bundle. Without this step dist/ still works, only slower to start.
//
// The CLI, the chart thread and the replicate worker (piscina's) are CommonJS bundles run through
// V8's code cache (load.cjs, from scripts/code-cache-loader.cjs); the caches come from short
// training runs at the end of this script.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = `${root}dist`;
const STUB_MARK = '// kvsim: entry into dist/bundle (written by scripts/bundle.mjs)';
const cliEntry = `${dist}/cli/main.js`;

if (!existsSync(cliEntry) || readFileSync(cliEntry, 'utf8').includes(STUB_MARK)) {
  console.error('bundle: dist/cli/main.js is not tsc output; run `npm run build` (tsc, then this script)');
  process.exit(1);
}

/**
 * yargs finds its locale files and the program's folder from its own module URL; bundled, that
 * URL would be the bundle's. Point it at the installed yargs module instead (two folders up from
 * dist/bundle), so messages and help read as they do unbundled.
 */
const yargsShimUrl = {
  name: 'yargs-shim-url',
  setup(b) {
    b.onLoad({ filter: /yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(
        'fileURLToPath(import.meta.url)',
        "fileURLToPath(new URL('../../node_modules/yargs/lib/platform-shims/esm.mjs', import.meta.url))",
      ),
      loader: 'js',
    }));
  },
};

/**
 * zod's namespace object carries all of its ~40 message locales (370 kB, a fifth of what every
 * kvsim process would load); kvsim uses English only, which zod installs by default.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ contents: 'export { default as en } from "./en.js";\n', loader: 'js', resolveDir: `${root}node_modules/zod/v4/locales` }));
  },
};

/**
 * cliui's ES-module entry wraps help text every N characters, mid-word ("SLO targ / ets"); its
 * CommonJS entry wraps at word boundaries with wrap-ansi. Bundle yargs with the CommonJS one.
 */
const cliuiWordWrap = {
  name: 'cliui-word-wrap',
  setup(b) {
    b.onResolve({ filter: /^cliui$/ }, () => ({ path: `${root}node_modules/cliui/build/index.cjs` }));
  },
};

/**
 * vega-canvas looks for the optional `canvas` package with a top-level await, which a CommonJS
 * bundle cannot hold. kvsim renders SVG only and does not install `canvas`, so the import always
 * failed and vega-canvas answered null: this stub answers null directly.
 */
const noCanvas = {
  name: 'no-canvas',
  setup(b) {
    b.onLoad({ filter: /vega-canvas[\\/]build[\\/]vega-canvas\.node\.js$/ }, () => ({
      contents: 'export const canvas = () => null, domCanvas = () => null, nodeCanvas = () => null, image = () => null;\n',
      loader: 'js',
    }));
  },
};

const outdir = `${dist}/bundle`;
rmSync(outdir, { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  // piscina starts its own worker file from its package folder; mathjs is required lazily from
  // node_modules (src/util/math.ts).
  external: ['piscina', 'mathjs', 'mathjs/*'],
  logLevel: 'warning',
};
// The CLI, the chart thread and the replicate worker: CommonJS, one file each, for the code cache.
// Strict like the ES modules they come from; import.meta.url is the bundle's own URL (the same
// flat folder for all: module-relative lookups, such as worker entries beside the caller and the
// package root two folders up, resolve the same from each).
for (const [name, entry] of [
  ['kvsim', cliEntry],
  ['chart-thread', `${dist}/report/chart-thread.js`],
  ['worker', `${dist}/experiments/worker.js`],
]) {
  await build({
    ...common,
    entryPoints: { [name]: entry },
    outdir,
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    define: { 'import.meta.url': '__kvsimUrl' },
    banner: { js: "'use strict'; var __kvsimUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [yargsShimUrl, zodEnglishOnly, cliuiWordWrap, noCanvas],
  });
}
// esbuild escapes non-ASCII characters in strings but keeps them in comments (and regular-expression
// literals): a few dozen "—", "≥", "×" made V8 hold each 1–4 MB bundle as a two-byte string, decoded
// from UTF-8 on every start (kvsim.cjs: 7.4 ms to decode vs 2.3 ms as one-byte text, and twice the
// memory). Written as \u escapes they mean the same in comments, strings and regular expressions.
for (const name of ['kvsim', 'chart-thread', 'worker']) {
  const file = `${outdir}/${name}.cjs`;
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(file, ascii);
}
copyFileSync(`${root}scripts/code-cache-loader.cjs`, `${outdir}/load.cjs`);
/**
 * An ES module entry (a `bin`, a worker file found by name) that runs bundle `name`.cjs of
 * dist/bundle through the loader; `exportDefault`: re-exports the bundle's default export (piscina
 * calls the default export of the file it is given).
 */
const entryInto = (name, bundleFromHere, exportDefault = false) =>
  `import { createRequire } from 'node:module';\nimport { fileURLToPath } from 'node:url';\n` +
  `${exportDefault ? 'export default ' : ''}createRequire(import.meta.url)('${bundleFromHere}load.cjs').runBundle(fileURLToPath(new URL('${bundleFromHere}${name}.cjs', import.meta.url)))${exportDefault ? '.default' : ''};\n`;
writeFileSync(`${outdir}/chart-thread.js`, entryInto('chart-thread', './'));
writeFileSync(`${outdir}/worker.js`, entryInto('worker', './', true));
writeFileSync(cliEntry, `#!/usr/bin/env node\n${STUB_MARK}\n${entryInto('kvsim', '../bundle/')}`);
chmodSync(cliEntry, 0o755);

// Training runs for the code caches. First a 4-run sweep on two threads, for the replicate worker's
// cache (the worker writes it after its batch: src/experiments/worker.ts); then a 200-request slice
// of the Mooncake conversation trace on its scenario, with charts, rendered first on the chart
// thread (which writes its own cache), then in the simulating thread, as `kvsim run` does unless a
// core is spare (src/report/chart-worker.ts): the CLI's cache is the last run's, Vega included.
// Without them kvsim only starts slower.
const out = mkdtempSync(join(tmpdir(), 'kvsim-code-cache-'));
const training = [
  {
    args: ['sweep', 'scenarios/medium.yaml', '--vary', 'prefill.router=round_robin,cache_aware', '--vary', 'decode.router=least_kv,predicted_tbt', '--set', 'workload.duration=1 min', '--jobs', '2', '--no-charts', '--out', join(out, 'sweep')],
    env: {},
  },
  ...['1', '0'].map((chartThread) => ({
    args: ['run', 'scenarios/conversation-trace.yaml', '--trace', 'test/fixtures/conversation-200.jsonl', '--out', join(out, `run-${chartThread}`)],
    env: { KVSIM_CHART_THREAD: chartThread },
  })),
];
try {
  for (const { args, env } of training) {
    const r = spawnSync(process.execPath, [cliEntry, ...args, '--quiet'], { cwd: root, env: { ...process.env, KVSIM_WRITE_CODE_CACHE: '1', ...env }, encoding: 'utf8' });
    if (r.status !== 0) console.warn(`bundle: code-cache training run failed (${r.status}); kvsim works, only starts slower:\n${r.stderr}`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
