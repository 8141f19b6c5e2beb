import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The file a worker thread starts from: `name` compiled beside the calling module (dist/, or the
 * flat dist/bundle/ of `npm run build`). Under the test runner the caller is TypeScript source, so
 * the entry comes from dist/ at `distPath` instead (built by `npm test` before the tests start).
 */
export function threadEntry(callerUrl: string, name: string, distPath: string): string {
  const beside = fileURLToPath(new URL(`./${name}`, callerUrl));
  if (existsSync(beside)) return beside;
  const built = fileURLToPath(new URL(`../../dist/${distPath}`, callerUrl));
  if (existsSync(built)) return built;
  throw new Error(`worker entry ${name} not found at ${beside} or ${built}; run npm run build`);
}
