// Second build step (after tsc): bundles the CLI and its worker-thread entries with esbuild, so a
// process or thread loads a few files instead of ~270 modules (zod alone is 95). Loading kvsim
// halves: `kvsim --version` 0.33 -> 0.15 CPU-s (see README "Start-up"). Input is tsc's output,
// so the bundle runs exactly the code tsc emitted; then dist/cli/main.js (the `bin`) becomes a
// one-line entry into the bundle. Without this step dist/ still works, only slower to start.
import { build } from 'esbuild';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

const outdir = `${dist}/bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  // Flat output folder: module-relative lookups (worker entries beside the caller, the package root
  // two folders up) resolve the same from every chunk.
  entryPoints: {
    kvsim: cliEntry,
    worker: `${dist}/experiments/worker.js`,
    'chart-thread': `${dist}/report/chart-thread.js`,
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  sourcemap: 'linked',
  sourcesContent: false,
  // piscina starts its own worker file from its package folder; mathjs is required lazily from
  // node_modules (src/util/math.ts).
  external: ['piscina', 'mathjs', 'mathjs/*'],
  // CommonJS dependencies (jstat, seedrandom) call require() for Node built-ins.
  banner: { js: "import { createRequire as __kvsimCreateRequire } from 'node:module'; const require = __kvsimCreateRequire(import.meta.url);" },
  plugins: [yargsShimUrl, zodEnglishOnly, cliuiWordWrap],
  logLevel: 'warning',
});

writeFileSync(cliEntry, `#!/usr/bin/env node\n${STUB_MARK}\nimport '../bundle/kvsim.js';\n`);
chmodSync(cliEntry, 0o755);
