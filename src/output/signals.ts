import { rmSync } from 'node:fs';

/**
 * Cleanup of unpublished output on exit and on SIGINT/SIGTERM. Paths registered here (staging
 * folders) are removed when the process exits for any reason Node can observe. Signal handlers
 * are installed only around asynchronous write phases (`whileWriting`): a JavaScript handler
 * cannot run while synchronous code (a simulation) holds the thread, so installing one for the
 * whole run would make Ctrl-C wait for the simulation to end. Outside those phases a signal keeps
 * its default effect (immediate exit); a staging folder left that way is swept by the next run
 * that publishes beside it (see staging.ts).
 */
const pending = new Set<string>();
let exitHookInstalled = false;

function removePending(): void {
  for (const p of pending) {
    try {
      rmSync(p, { recursive: true, force: true });
    } catch {
      /* best effort: the folder name says it is temporary and the next run sweeps it */
    }
  }
  pending.clear();
}

/** Registers a path to remove if the process ends before `release` is called. */
export function removeOnExit(path: string): () => void {
  if (!exitHookInstalled) {
    process.on('exit', removePending);
    exitHookInstalled = true;
  }
  pending.add(path);
  return () => {
    pending.delete(path);
  };
}

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

function onSignal(signal: keyof typeof EXIT_CODES): void {
  removePending();
  process.stderr.write(`kvsim: interrupted (${signal}); no results written\n`);
  process.exit(EXIT_CODES[signal]);
}

let depth = 0;

/** Runs an asynchronous write phase with SIGINT/SIGTERM removing every pending staging folder. */
export async function whileWriting<T>(phase: () => Promise<T>): Promise<T> {
  if (depth++ === 0) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    return await phase();
  } finally {
    if (--depth === 0) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
