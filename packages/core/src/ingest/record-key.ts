/**
 * The record key (top-level "id", "version", "lastModifiedDateTime"), read from the members the
 * framer located while it framed the record, with the counts it made (sessions, segments, streams).
 * Pure.
 */
import { COLON, LBRACE, LBRACKET, isWhitespace, utf8 } from './bytes.js';
import type { RecordKey } from './types.js';

export const KEY_ID = 1;
export const KEY_VERSION = 2;
export const KEY_LAST_MODIFIED = 3;

/** The key names, as the bytes of their JSON text without quotes, by member kind. */
export const KEY_NAMES: readonly (readonly number[])[] = [[], bytesOf('id'), bytesOf('version'), bytesOf('lastModifiedDateTime')];
/** The key whose array the framer counts sessions, segments and streams in. */
export const SESSIONS_KEY: readonly number[] = bytesOf('sessions');
/** The page's context key, kept for the records of the page. */
export const CONTEXT_KEY: readonly number[] = bytesOf('@odata.context');
/** A page's next-page link key: a page that has one is not the last of its collection. */
export const NEXT_LINK_KEY: readonly number[] = bytesOf('@odata.nextLink');
/** A member kind that only pages record (not part of the record key). */
export const KEY_CONTEXT = 4;
/** The page's records key. */
export const VALUE_KEY: readonly number[] = bytesOf('value');

function bytesOf(text: string): number[] {
  return Array.from(text, (char) => char.charCodeAt(0));
}

/**
 * `members` holds triples (kind, from, to): `from` is just after the key's closing quote and `to`
 * at the comma or brace that ends the member, both relative to the record's first byte. A later
 * member overrides an earlier one, as in JSON.parse.
 */
export function readKey(record: Uint8Array, members: readonly number[], sessions: number | null, segments: number, streams: number): RecordKey {
  const key: RecordKey = { id: null, version: null, lastModified: null, sessions, segments, streams };
  for (let m = 0; m + 2 < members.length; m += 3) {
    const value = memberValue(record, members[m + 1]!, members[m + 2]!);
    switch (members[m]) {
      case KEY_ID:
        key.id = typeof value === 'string' ? value : null;
        break;
      case KEY_VERSION:
        key.version = typeof value === 'number' ? value : null;
        break;
      case KEY_LAST_MODIFIED:
        key.lastModified = typeof value === 'string' ? value : null;
        break;
    }
  }
  return key;
}

/** The last KEY_CONTEXT member's value when it is a JSON string, else null. */
export function readContext(bytes: Uint8Array, members: readonly number[]): string | null {
  let context: string | null = null;
  for (let m = 0; m + 2 < members.length; m += 3) {
    if (members[m] !== KEY_CONTEXT) continue;
    const value = memberValue(bytes, members[m + 1]!, members[m + 2]!);
    context = typeof value === 'string' ? value : null;
  }
  return context;
}

/** The scalar after `: ` in record[from, to), or undefined when it is not a valid JSON scalar. */
function memberValue(record: Uint8Array, from: number, to: number): unknown {
  let i = from;
  while (i < to && isWhitespace(record[i]!)) i++;
  if (record[i] !== COLON) return undefined;
  i++;
  while (i < to && isWhitespace(record[i]!)) i++;
  let end = to;
  while (end > i && isWhitespace(record[end - 1]!)) end--;
  if (i >= end || record[i] === LBRACE || record[i] === LBRACKET) return undefined;
  try {
    return JSON.parse(utf8(record.subarray(i, end))) as unknown;
  } catch {
    return undefined;
  }
}
