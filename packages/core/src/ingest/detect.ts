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
 * 'ndjson' when the first value is an object that ends on its first line and the next non-blank
 * line starts another object; 'json' otherwise; null while more bytes could change the answer
 * (`complete` says no more will come). More bytes never change an answer once given.
 */
export function sniffFormat(head: Uint8Array, complete: boolean): 'json' | 'ndjson' | null {
  const n = head.length;
  const undecided = complete ? 'json' : null;
  let i = 0;
  while (i < n && (isWhitespace(head[i]!) || (i < BOM.length && head[i] === BOM[i]))) i++;
  if (i >= n) return undecided;
  if (head[i] !== LBRACE) return 'json';
  let depth = 0;
  for (; i < n; i++) {
    const c = head[i]!;
    if (c === QUOTE) {
      for (i++; i < n && head[i] !== QUOTE; i++) {
        if (head[i] === NEWLINE) return 'json';
        if (head[i] === BACKSLASH) i++;
      }
    } else if (c === NEWLINE) {
      return 'json';
    } else if (c === LBRACE || c === LBRACKET) {
      depth++;
    } else if ((c === RBRACE || c === RBRACKET) && --depth === 0) {
      break;
    }
  }
  if (i >= n) return undecided;
  for (i++; i < n && (head[i] === SPACE || head[i] === TAB || head[i] === CR); i++);
  if (i >= n) return undecided;
  if (head[i] !== NEWLINE) return 'json';
  while (i < n && isWhitespace(head[i]!)) i++;
  if (i >= n) return undecided;
  return head[i] === LBRACE ? 'ndjson' : 'json';
}
