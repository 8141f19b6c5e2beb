/**
 * Prototype-safe lookups in plain-object tables keyed by user input (catalogs, registries,
 * scenario maps): a key such as "constructor", "toString" or "__proto__" must read as "not
 * there", never as an Object.prototype member.
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Keys that reach or replace an object's prototype when used as property names. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A registry entry the schema already validated; a miss here is a bug, not bad input. */
export function registered<T>(table: Readonly<Record<string, T>>, key: string, what: string): T {
  const v = own(table, key);
  if (v === undefined) throw new Error(`no ${what} named ${JSON.stringify(key)} is registered`);
  return v;
}
