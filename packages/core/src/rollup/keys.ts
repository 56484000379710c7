import type { CellValue } from '../table/schema.js';

/**
 * Group keys travel as one string per group (a Map key in the partial). Each value is encoded with a
 * type tag so that no two different key tuples share an encoding, whatever the strings contain:
 *   null -> `z`, true -> `t`, false -> `f`, number -> `n<String(n)>;`, string -> `s<length>:<text>`.
 */
export function encodeValue(value: CellValue | undefined): string {
  if (value === null || value === undefined) return 'z';
  switch (typeof value) {
    case 'string':
      return `s${value.length}:${value}`;
    case 'number':
      return `n${value};`;
    default:
      return value ? 't' : 'f';
  }
}

/** Decodes a key made of encodeValue() parts back into its values. Throws on a malformed key. */
export function decodeKey(key: string): CellValue[] {
  const values: CellValue[] = [];
  let at = 0;
  while (at < key.length) {
    const tag = key[at];
    if (tag === 'z' || tag === 't' || tag === 'f') {
      values.push(tag === 'z' ? null : tag === 't');
      at += 1;
    } else if (tag === 'n') {
      const end = key.indexOf(';', at);
      if (end < 0) throw new Error(`bad number in group key ${JSON.stringify(key)}`);
      values.push(Number(key.slice(at + 1, end)));
      at = end + 1;
    } else if (tag === 's') {
      const colon = key.indexOf(':', at);
      const length = Number(key.slice(at + 1, colon));
      if (colon < 0 || !Number.isSafeInteger(length) || colon + 1 + length > key.length) {
        throw new Error(`bad string in group key ${JSON.stringify(key)}`);
      }
      values.push(key.slice(colon + 1, colon + 1 + length));
      at = colon + 1 + length;
    } else {
      throw new Error(`bad tag in group key ${JSON.stringify(key)} at ${at}`);
    }
  }
  return values;
}
