/**
 * Progress on stderr for long commands, only when a person watches: on a TTY and without --quiet.
 * On a pipe or in CI nothing is printed, so outputs stay clean and byte-identical.
 */
export interface Progress {
  /** `done` of `total` units (total 0 when unknown). */
  update(done: number, total: number): void;
  /** A free-form status (e.g. simulated time of a single run). */
  status(text: string): void;
  end(): void;
}

const MIN_INTERVAL_MS = 200;

const duration = (s: number): string =>
  s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min` : s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.round(s)} s`;

export function progress(label: string, opts: { quiet: boolean; stream?: NodeJS.WriteStream }): Progress | undefined {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet || !stream.isTTY) return undefined;
  const start = Date.now();
  let last = 0;
  let shown = false;
  const write = (text: string, force = false): void => {
    const now = Date.now();
    if (!force && now - last < MIN_INTERVAL_MS) return;
    last = now;
    shown = true;
    const width = stream.columns || 80;
    stream.write(`\r\x1b[K${`${label}: ${text}`.slice(0, width - 1)}`);
  };
  return {
    update(done, total) {
      const elapsed = (Date.now() - start) / 1000;
      const eta = total > 0 && done > 0 && done < total ? `, ETA ${duration((elapsed / done) * (total - done))}` : '';
      write(total > 0 ? `${done}/${total} runs (${Math.floor((done / total) * 100)}%), ${duration(elapsed)} elapsed${eta}` : `${done} runs done, ${duration(elapsed)} elapsed`, done === total);
    },
    status(text) {
      write(`${text}, ${duration((Date.now() - start) / 1000)} elapsed`);
    },
    end() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
