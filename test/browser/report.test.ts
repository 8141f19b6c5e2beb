/**
 * report.html in a real headless browser (Debian's chromium): the page loads offline with no
 * console output and every embedded chart renders an SVG. CI installs chromium (.ci/run) and sets
 * KVSIM_REQUIRE_BROWSER=1 so a missing browser fails there instead of skipping.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCliAsync, tempDirs } from '../e2e/cli-helpers.js';

const BROWSER = ['chromium', 'chromium-browser'].find((b) => spawnSync(b, ['--version'], { encoding: 'utf8' }).status === 0);
if (!BROWSER && process.env.KVSIM_REQUIRE_BROWSER) throw new Error('chromium is required for the report browser test (apt-get install -y chromium)');

const run = promisify(execFile);
const tmp = tempDirs('kvsim-report-');
beforeAll(() => ensureBuilt(), 180_000);
afterAll(() => tmp.cleanup());

/** Loads a page in headless chromium (no network) and returns its DOM after scripts ran, and the browser's log. */
async function load(file: string): Promise<{ dom: string; log: string }> {
  const r = await run(
    BROWSER!,
    ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--enable-logging=stderr', '--v=0', '--virtual-time-budget=20000', '--dump-dom', `file://${file}`],
    { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 << 20, env: { ...process.env, http_proxy: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9' } },
  );
  return { dom: r.stdout, log: r.stderr };
}

async function checkPage(file: string, expectedCharts: number): Promise<string> {
  const { dom, log } = await load(file);
  const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(dom)?.[1];
  expect(attr('data-charts')).toBe(String(expectedCharts));
  expect(attr('data-render-errors')).toBe('');
  expect(attr('data-charts-rendered')).toBe(String(expectedCharts));
  // Console messages (errors, warnings, uncaught exceptions) are logged as CONSOLE lines.
  expect(log.split('\n').filter((l) => l.includes('CONSOLE'))).toEqual([]);
  // Offline: nothing on the page points at the network.
  const html = readFileSync(file, 'utf8');
  expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  return dom;
}

describe.runIf(BROWSER)('report.html in headless chromium', () => {
  it('a run report loads without console errors and renders all 7 charts', async () => {
    const out = tmp.make();
    expect((await runCliAsync(['run', 'test/fixtures/scenarios/tiny-8b.yaml', '--out', out, '--quiet'])).status).toBe(0);
    const dom = await checkPage(join(out, 'report.html'), 7);
    expect(dom).toContain('ttft_p95');
    expect(dom).toMatch(/ms ≤ 2000 ms: met/);
  }, 120_000);

  it('a sweep report renders its metric-vs-key charts', async () => {
    const out = tmp.make();
    expect((await runCliAsync(['sweep', 'test/fixtures/sweeps/tiny-grid.yaml', '--out', out, '--quiet', '--jobs', '1'])).status).toBe(0);
    const dom = await checkPage(join(out, 'report.html'), 5);
    expect(dom).toContain('prefill.router=cache_aware decode.nodes=2');
  }, 120_000);
});
