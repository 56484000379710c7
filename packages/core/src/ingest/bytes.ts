/**
 * Byte values the framer and the sniffer look at, and small helpers over Uint8Array.
 * Pure: no node:* imports.
 */
export const TAB = 0x09;
export const NEWLINE = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const MINUS = 0x2d;
export const COLON = 0x3a;
export const LBRACKET = 0x5b;
export const BACKSLASH = 0x5c;
export const RBRACKET = 0x5d;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
/** The UTF-8 byte order mark, skipped at the start of a file. */
export const BOM: readonly number[] = [0xef, 0xbb, 0xbf];

/** Longest snippet a problem quotes, in bytes. */
export const SNIPPET_BYTES = 200;

export function isWhitespace(byte: number): boolean {
  return byte === SPACE || byte === NEWLINE || byte === CR || byte === TAB;
}

const decoder = new TextDecoder();

/** UTF-8 text of some bytes; a character cut at the end shows as U+FFFD. */
export function utf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** One array holding `parts` one after another. */
export function concatBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
