/**
 * What an input is, from its first bytes: gzip or not (magic bytes, never the name), JSON or NDJSON
 * (the bytes, with the name as a hint). Pure.
 */
import { BOM, CR, LBRACE, LBRACKET, NEWLINE, QUOTE, BACKSLASH, RBRACE, RBRACKET, SPACE, TAB, isWhitespace } from './bytes.js';

/** Bytes of decompressed input the format sniffer may hold before it settles (see sniffFormat). */
export const SNIFF_LIMIT = 1 << 20;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** 'ndjson' when the name says line-delimited JSON (.ndjson, .jsonl, either with .gz), else null. */
export function formatHint(name: string): 'ndjson' | null {
  return /\.(?:ndjson|jsonl)(?:\.gz)?$/i.test(name) ? 'ndjson' : null;
}

/**
 * 'ndjson' or 'json' from the first bytes; null while more bytes could change the answer
 * (`complete`: no more will come). More bytes never change an answer once given. Line framing
 * recovers from a bad line (it is one problem, the next line is read afresh); JSON framing is right
 * for any valid layout, including values that span lines. So:
 * - a first line that is a lone `{` or `[` (pretty-printed JSON) says 'json', whatever the name;
 * - else the name hint ('ndjson' for .ndjson / .jsonl) decides;
 * - else a first value complete on its line and followed by a newline says 'ndjson', unless the next
 *   non-blank line is a lone `{` or `[` (a pretty value follows);
 * - else (the first line is broken, or holds something else) a second look: 'ndjson' when the next
 *   two non-blank lines (or the only one, at the end) each hold one whole object, else 'json'.
 * A caller that reaches SNIFF_LIMIT without an answer (a first line longer than that) takes the
 * hint, else 'json'.
 */
export function sniffFormat(head: Uint8Array, complete: boolean, hint: 'ndjson' | null = null): 'json' | 'ndjson' | null {
  const n = head.length;
  const undecided = complete ? (hint ?? 'json') : null;
  let i = 0;
  while (i < n && (isWhitespace(head[i]!) || (i < BOM.length && head[i] === BOM[i]))) i++;
  if (i >= n) return undecided;
  const lone = loneOpener(head, i);
  if (lone === LONE) return 'json';
  if (lone === MORE && !complete) return null;
  if (hint !== null) return hint;
  if (head[i] === LBRACE) {
    const end = oneLineValueEnd(head, i);
    if (end === NEEDS_MORE) return undecided;
    if (end !== NEWLINE_INSIDE) {
      let j = end;
      while (j < n && (head[j] === SPACE || head[j] === TAB || head[j] === CR)) j++;
      if (j >= n) return complete ? 'json' : null; // one value and nothing after it: no line structure
      if (head[j] !== NEWLINE) return 'json';
      while (j < n && isWhitespace(head[j]!)) j++;
      if (j >= n) return complete ? 'ndjson' : null;
      const next = loneOpener(head, j);
      if (next === MORE) return complete ? 'ndjson' : null;
      return next === LONE ? 'json' : 'ndjson';
    }
  }
  return secondLook(head, i, complete);
}

const LONE = 1;
const NOT_LONE = 0;
const MORE = -1;

/** Whether the line at `start` is a lone `{` or `[` (then whitespace to the newline). */
function loneOpener(head: Uint8Array, start: number): number {
  if (head[start] !== LBRACE && head[start] !== LBRACKET) return NOT_LONE;
  for (let j = start + 1; j < head.length; j++) {
    const c = head[j]!;
    if (c === NEWLINE) return LONE;
    if (c !== SPACE && c !== TAB && c !== CR) return NOT_LONE;
  }
  return MORE;
}

/** The first line (at `start`) holds no whole object: do the next two non-blank lines each hold one? */
function secondLook(head: Uint8Array, start: number, complete: boolean): 'json' | 'ndjson' | null {
  const n = head.length;
  const undecided = complete ? 'json' : null;
  let i = head.indexOf(NEWLINE, start);
  if (i < 0) return undecided;
  for (let line = 0; line < 2; line++) {
    while (i < n && isWhitespace(head[i]!)) i++;
    if (i >= n) return complete && line === 1 ? 'ndjson' : undecided;
    if (head[i] !== LBRACE) return 'json';
    const end = oneLineValueEnd(head, i);
    if (end === NEWLINE_INSIDE) return 'json';
    if (end === NEEDS_MORE) return undecided;
    for (i = end; i < n && (head[i] === SPACE || head[i] === TAB || head[i] === CR); i++);
    if (i >= n) return complete ? 'ndjson' : null;
    if (head[i] !== NEWLINE) return 'json';
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
