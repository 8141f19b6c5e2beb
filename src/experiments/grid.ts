import { checkKeyPath } from '../scenario/load.js';
import { InputError } from '../scenario/input-error.js';

/** One varied scenario key and the values it takes, in the order given. */
export interface Axis {
  readonly key: string;
  readonly values: readonly string[];
}

/** One point of a grid: the value of every varied key, in axis order. */
export type GridPoint = readonly { readonly key: string; readonly value: string }[];

/** Parses `key.path=v1,v2,...` as given to `--vary`. */
export function parseAxis(flag: string, text: string): Axis {
  const eq = text.indexOf('=');
  const key = eq > 0 ? text.slice(0, eq).trim() : '';
  const values = eq > 0 ? text.slice(eq + 1).split(',').map((v) => v.trim()).filter((v) => v !== '') : [];
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(key) || values.length === 0) {
    throw new InputError(flag, text, 'expected key.path=value1,value2,...');
  }
  if (new Set(values).size !== values.length) throw new InputError(flag, text, 'a value is listed twice');
  checkKeyPath(flag, key); // refuses prototype segments (__proto__, constructor, prototype)
  return { key, values };
}

/**
 * Parses every `--vary` (a flag given once arrives as a string, repeated as an array) and refuses
 * a key varied twice, which would make two axes fight over one key.
 */
export function parseAxes(flag: string, given: string | readonly string[] | undefined): Axis[] {
  const list = given === undefined ? [] : typeof given === 'string' ? [given] : given;
  const axes = list.map((t) => parseAxis(flag, t));
  const seen = new Set<string>();
  for (const a of axes) {
    if (seen.has(a.key)) throw new InputError(flag, a.key, 'this key is varied twice; list all its values in one --vary');
    seen.add(a.key);
  }
  return axes;
}

/** Every combination of the axes' values (the first axis varies slowest); one empty point if none. */
export function gridPoints(axes: readonly Axis[]): GridPoint[] {
  let points: GridPoint[] = [[]];
  for (const axis of axes) points = points.flatMap((p) => axis.values.map((value) => [...p, { key: axis.key, value }]));
  return points;
}

/** `--set` assignments of a grid point. */
export const pointSets = (p: GridPoint): string[] => p.map(({ key, value }) => `${key}=${value}`);

/** Full, human label of a grid point: `prefill.router=cache_aware decode.router=least_kv`. */
export const pointLabel = (p: GridPoint): string => pointSets(p).join(' ');
