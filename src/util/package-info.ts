import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The kvsim package folder. Every compiled layout keeps modules two folders below it (src/util,
 * dist/util, dist/bundle), so this holds wherever the module ends up.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

let version: string | undefined;
/** kvsim's version, from its package.json. */
export function kvsimVersion(): string {
  version ??= (JSON.parse(readFileSync(`${PACKAGE_ROOT}package.json`, 'utf8')) as { version: string }).version;
  return version;
}
