import { LineCounter, parseDocument, visit, type Node as YamlNode } from 'yaml';
import { InputError } from './input-error.js';
import { PROTOTYPE_KEYS } from '../util/own.js';
import { quote } from '../util/show-value.js';

/**
 * The one YAML reader of scenarios and `--set` values: YAML 1.2 core schema (strings, numbers,
 * booleans, null, mappings, sequences) and nothing else. Tags outside it (`!foo`, `!!binary`,
 * `!!timestamp`, `!!set`) are errors rather than warnings that silently turn into strings or
 * buffers; self-referencing aliases and prototype keys (`__proto__`, `constructor`, `prototype`)
 * are refused so no later stage has to survive a cycle or a polluted prototype.
 */

const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));
const PLAIN = 'scenarios use plain YAML values (strings, numbers, booleans, mappings, lists)';
/** Billion-laughs guard: aliases expanded at most this many times per node. */
const MAX_ALIAS_COUNT = 100;

/** Texts parsed before in this thread (text and options → value), see parseCoreYaml. */
const parsed = new Map<string, unknown>();
/** Bounded memory: only texts up to this size are kept, and at most this many. */
const MEMO_MAX_TEXT = 1 << 20;
const MEMO_MAX_ENTRIES = 256;

/**
 * Parses YAML text; throws InputError(`where`, 'line N', ...) for anything outside the core schema.
 * `syntaxErrorAsText`: text that is not valid YAML is returned as the string itself (`--set k=a: b`).
 * A text parsed before in this thread is not parsed again: a sweep loads the same scenario and
 * `--set` values for every run, and parsing them each time made the YAML parser hot enough for V8
 * to optimize it in every thread. The caller gets its own copy (it may modify it); aliased nodes
 * stay shared within the copy, as in a fresh parse. Only successful parses are kept.
 */
export function parseCoreYaml(text: string, where: string, opts: { syntaxErrorAsText?: boolean } = {}): unknown {
  if (text.length > MEMO_MAX_TEXT) return parseCoreYamlNow(text, where, opts);
  const key = `${opts.syntaxErrorAsText ? 1 : 0}${text}`;
  if (!parsed.has(key)) {
    const value = parseCoreYamlNow(text, where, opts);
    if (parsed.size >= MEMO_MAX_ENTRIES) parsed.clear();
    parsed.set(key, value);
  }
  return structuredClone(parsed.get(key));
}

function parseCoreYamlNow(text: string, where: string, opts: { syntaxErrorAsText?: boolean }): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { schema: 'core', uniqueKeys: true, lineCounter, prettyErrors: false });
  const atLine = (offset: number | undefined) => (offset === undefined ? '' : `line ${lineCounter.linePos(offset).line}`);
  if (doc.errors.length > 0 && opts.syntaxErrorAsText) return text;
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem?.code === 'TAG_RESOLVE_FAILED') {
    const tag = /tag: (\S+)/.exec(problem.message)?.[1] ?? '';
    throw new InputError(where, atLine(problem.pos[0]), `unsupported YAML tag ${quote(tag)}; ${PLAIN}`);
  }
  if (problem) {
    const first = problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?\s*$/, '').replace(/:\s*$/, '');
    throw new InputError(where, atLine(problem.pos[0]), `invalid YAML: ${first}`);
  }
  let bad: { offset?: number; detail: string } | undefined;
  visit(doc, {
    Node(_key, node: YamlNode) {
      if (node.tag !== undefined && !CORE_TAGS.has(node.tag)) {
        bad = { offset: node.range?.[0], detail: `unsupported YAML tag ${quote(node.tag.replace('tag:yaml.org,2002:', '!!'))}; ${PLAIN}` };
        return visit.BREAK;
      }
      return undefined;
    },
    Pair(_key, pair) {
      const k = pair.key as { value?: unknown; range?: [number, number, number] } | null;
      if (k && typeof k.value === 'string' && PROTOTYPE_KEYS.has(k.value)) {
        bad = { offset: k.range?.[0], detail: `key ${quote(k.value)} is not allowed (it names a JavaScript object's prototype)` };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (bad) throw new InputError(where, atLine(bad.offset), bad.detail);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    throw new InputError(where, '', `invalid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const cycle = findCycle(value);
  if (cycle !== undefined) throw new InputError(where, cycle || '(top level)', 'a YAML alias refers to the mapping or list that contains it; the value would be infinite');
  return value;
}

/** The key path of the first value that contains itself (self-referencing alias), if any. */
function findCycle(root: unknown): string | undefined {
  const stack = new Set<unknown>();
  // Shared (aliased) values are walked once: a DAG of aliases must not cost exponential time.
  const done = new Set<unknown>();
  const walk = (v: unknown, path: string): string | undefined => {
    if (v === null || typeof v !== 'object' || done.has(v)) return undefined;
    if (stack.has(v)) return path;
    stack.add(v);
    for (const [k, child] of Object.entries(v)) {
      const found = walk(child, path ? `${path}.${k}` : k);
      if (found !== undefined) return found;
    }
    stack.delete(v);
    done.add(v);
    return undefined;
  };
  return walk(root, '');
}
