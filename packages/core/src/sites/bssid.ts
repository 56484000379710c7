/**
 * BSSIDs (Wi-Fi access point MAC addresses) come spelled many ways: `00-1A-2B-3C-4D-5E`,
 * `00:1a:2b:3c:4d:5e`, `001A.2B3C.4D5E`, `001a2b3c4d5e`. One spelling for tables and matching:
 * lower-case hex pairs joined by colons.
 */

const SEPARATORS = /[\s:.\-]/g;
const TWELVE_HEX = /^[0-9a-f]{12}$/;

/** The canonical spelling, or null when the text is not 12 hex digits once separators are removed. */
export function canonicalBssid(text: string): string | null {
  const digits = text.replace(SEPARATORS, '').toLowerCase();
  if (!TWELVE_HEX.test(digits)) return null;
  return digits.replace(/(..)(?!$)/g, '$1:');
}

/** For the streams table: canonical when it reads as a BSSID, else as exported; null when empty. */
export function bssidColumn(value: string | null | undefined): string | null {
  if (value == null || value.trim() === '') return null;
  return canonicalBssid(value) ?? value;
}
