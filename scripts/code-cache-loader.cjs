// Copied by scripts/bundle.mjs to dist/bundle/load.cjs. Runs a CommonJS bundle through V8's code
// cache: Node 20 compiles every module from source on every start (module.enableCompileCache
// came in Node 22), and lazily compiles each function on its first call. The cache, written once
// by `npm run build` after a short training run (bundle.mjs), holds the bytecode of the functions
// that run used, so a later process skips parsing and compiling them. V8 checks the cache against
// the source and its own version and flags and ignores it when they differ (a new Node, a profiler
// flag): the bundle then compiles as usual. Only start-up time changes, never a result.
'use strict';
const { readFileSync, renameSync, writeFileSync, writeSync } = require('node:fs');
const { createRequire } = require('node:module');
const { basename, dirname } = require('node:path');
const vm = require('node:vm');

/** Set by the training run only: write each bundle's cache at process exit (or when the bundle asks, in a worker thread). */
const TRAIN = process.env.KVSIM_WRITE_CODE_CACHE === '1';

function cacheFile(file) {
  return `${file}.v8-cache`;
}

/** Runs the CommonJS bundle `file` (an absolute path) as Node would, with its code cache when there is one; returns its exports. */
function runBundle(file) {
  // A shebang is not JavaScript inside the wrapper; dropping it keeps the line numbers.
  const source = readFileSync(file, 'utf8').replace(/^#!.*/, '');
  let cachedData;
  if (!TRAIN) {
    try {
      cachedData = readFileSync(cacheFile(file));
    } catch {
      /* no cache: compile from source */
    }
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
    // esbuild turns import() into require() in these bundles; should one remain, it resolves as
    // from any module of this process (the constant exists from Node 20.12 on).
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (process.env.KVSIM_TRACE_PHASES === '1') {
    // Same line format as src/util/phase-trace.ts.
    const state = cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted';
    writeSync(2, `kvsim-phase ${performance.now().toFixed(1).padStart(7)} code cache of ${basename(file)}: ${state}\n`);
  }
  if (TRAIN) {
    const save = () => {
      const tmp = `${cacheFile(file)}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile(file));
    };
    process.once('exit', save);
    // A worker thread that is terminated runs no exit handler: the bundle calls this when its work is done.
    globalThis[Symbol.for('kvsim.saveCodeCache')] = save;
  }
  const module = { exports: {}, filename: file, id: file, loaded: false };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  return module.exports;
}

module.exports = { runBundle };
