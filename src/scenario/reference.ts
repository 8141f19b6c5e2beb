import { z } from 'zod';
import { scenarioSchema } from './schema.js';

/** JSON Schema of the scenario file (input side: units as strings), generated from the zod schema. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

type Node = Record<string, unknown>;

/** The schema nodes a value at `node` may match (unions expand to their options). */
function options(node: Node): Node[] {
  const list = (node.anyOf ?? node.oneOf) as Node[] | undefined;
  return list ? list.flatMap(options) : [node];
}

/** Keys allowed in the mapping at `path` (e.g. ['prefill'] or ['cache', 'remote']). */
export function keysAt(path: readonly (string | number)[]): string[] {
  let nodes = options(scenarioJsonSchema());
  for (const key of path) {
    nodes = nodes.flatMap((n) => {
      const props = n.properties as Record<string, Node> | undefined;
      if (props && typeof key === 'string' && props[key]) return options(props[key]);
      if (n.additionalProperties && typeof n.additionalProperties === 'object') return options(n.additionalProperties as Node);
      return [];
    });
  }
  return [...new Set(nodes.flatMap((n) => Object.keys((n.properties as Node | undefined) ?? {})))];
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const t = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = t;
    }
  }
  return d[b.length];
}

/** The closest candidate to a misspelt key, if one is close enough to be a plausible typo. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dd = distance(word.toLowerCase(), c.toLowerCase());
    if (dd < bestD) {
      bestD = dd;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

interface Row {
  key: string;
  type: string;
  default: string;
  allowed: string;
  range: string;
}

function describe(node: Node): { type: string; allowed: string } {
  const opts = options(node);
  const types = new Set<string>();
  const allowed: string[] = [];
  for (const o of opts) {
    if (o.enum) allowed.push(...(o.enum as unknown[]).map(String));
    else if (o.const !== undefined) allowed.push(String(o.const));
    if (Array.isArray(o.type)) for (const t of o.type) types.add(String(t));
    else if (o.type) types.add(String(o.type));
    else if (o.properties) types.add('object');
  }
  return { type: [...types].join(' | ') || 'any', allowed: allowed.join(', ') };
}

function rows(node: Node, prefix: string, out: Row[]): void {
  for (const o of options(node)) {
    const props = o.properties as Record<string, Node> | undefined;
    if (!props) {
      if (o.additionalProperties && typeof o.additionalProperties === 'object') rows(o.additionalProperties as Node, `${prefix}.<name>`, out);
      continue;
    }
    for (const [k, child] of Object.entries(props)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (out.some((r) => r.key === key)) continue;
      const { type, allowed } = describe(child);
      const range = options(child).map((o) => o['x-range']).find((r) => typeof r === 'string') ?? '';
      out.push({ key, type, default: child.default === undefined ? '' : JSON.stringify(child.default), allowed, range: String(range) });
      rows(child, key, out);
    }
  }
}

/** docs/scenario-reference.md: every key, its type, default and allowed values. */
export function referenceMarkdown(): string {
  const out: Row[] = [];
  rows(scenarioJsonSchema(), '', out);
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '# Scenario reference',
    '',
    'Generated from the scenario schema (`src/scenario/schema.ts`) by `npm run docs`; do not edit by hand.',
    'Quantities accept units: bytes ("192 GB", "80 GiB"), bandwidth ("5.3 TB/s", "400 Gb/s"), time ("500 ms", "10 min");',
    'a bare number is bytes, bytes/s or seconds. The same schema is in `scenario.schema.json` for editors.',
    'Every number has a plausible range (values outside it are input errors, with a hint when they look like a unit mistake).',
    '',
    '| key | type | default | allowed values | range |',
    '|---|---|---|---|---|',
    ...out.map((r) => `| \`${r.key}\` | ${esc(r.type)} | ${esc(r.default)} | ${esc(r.allowed)} | ${esc(r.range)} |`),
    '',
  ].join('\n');
}
