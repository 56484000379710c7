/**
 * What an input is, from its first bytes: gzip or not (magic bytes, never the name), JSON or NDJSON.
 * Pure.
 */
import { BACKSLASH, BOM, CR, LBRACE, LBRACKET, NEWLINE, QUOTE, RBRACE, RBRACKET, SPACE, TAB, isWhitespace } from './bytes.js';

/** Bytes of decompressed input the format sniffer may hold before it settles for 'json'. */
export const SNIFF_LIMIT = 1 << 20;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * 'ndjson' when each of the first two non-blank lines holds one whole object; 'json' otherwise (JSON
 * framing is right for any valid layout, line framing only recovers better from a bad line); null
 * while more bytes could change the answer (`complete`: no more will come). More bytes never change
 * an answer once given.
 */
export function sniffFormat(head: Uint8Array, complete: boolean): 'json' | 'ndjson' | null {
  const n = head.length;
  const undecided = complete ? 'json' : null;
  let i = 0;
  while (i < n && (isWhitespace(head[i]!) || (i < BOM.length && head[i] === BOM[i]))) i++;
  for (let line = 0; line < 2; line++) {
    if (i >= n) return undecided;
    if (head[i] !== LBRACE) return 'json';
    const end = oneLineValueEnd(head, i);
    if (end === NEWLINE_INSIDE) return 'json';
    if (end === NEEDS_MORE) return undecided;
    for (i = end; i < n && (head[i] === SPACE || head[i] === TAB || head[i] === CR); i++);
    if (i >= n) return complete && line === 1 ? 'ndjson' : undecided;
    if (head[i] !== NEWLINE) return 'json';
    while (i < n && isWhitespace(head[i]!)) i++;
  }
  return 'ndjson';
}

const NEWLINE_INSIDE = -1;
const NEEDS_MORE = -2;

/** The index after the value that starts at `start`, unless a newline comes first or the bytes run out. */
function oneLineValueEnd(head: Uint8Array, start: number): number {
  const n = head.length;
  let depth = 0;
  for (let i = start; i < n; i++) {
    const c = head[i]!;
    if (c === QUOTE) {
      for (i++; i < n && head[i] !== QUOTE; i++) {
        if (head[i] === NEWLINE) return NEWLINE_INSIDE;
        if (head[i] === BACKSLASH) i++;
      }
    } else if (c === NEWLINE) {
      return NEWLINE_INSIDE;
    } else if (c === LBRACE || c === LBRACKET) {
      depth++;
    } else if ((c === RBRACE || c === RBRACKET) && --depth === 0) {
      return i + 1;
    }
  }
  return NEEDS_MORE;
}
