/**
 * The access point file (`--access-points`): a CSV with a header naming at least `bssid`,
 * `access_point`, `building` and `floor` (any order; further columns are allowed and not read).
 * RFC 4180 quoting; a UTF-8 BOM and CRLF are fine; blank lines are skipped. Any BSSID spelling
 * matches (sites/bssid.ts). Refused, naming file and line: a missing header column, a wrong cell
 * count, a BSSID that is not 12 hex digits, the same BSSID twice. Pure.
 */
import { ErrorCode, fail } from '../errors.js';
import { canonicalBssid } from './bssid.js';

export interface AccessPoint {
  /** Canonical spelling (00:1a:2b:3c:4d:5e). */
  readonly bssid: string;
  readonly accessPoint: string | null;
  readonly building: string | null;
  readonly floor: string | null;
  readonly line: number;
}

const REQUIRED = ['bssid', 'access_point', 'building', 'floor'] as const;

/** One CSV line's cells (RFC 4180 quotes; a quoted cell may not span lines here). null when a quote is unbalanced. */
function cells(line: string): string[] | null {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    if (line[at] === '"') {
      let value = '';
      let i = at + 1;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) return null;
        value += line.slice(i, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
          continue;
        }
        at = quote + 1;
        break;
      }
      out.push(value);
      if (at === line.length) return out;
      if (line[at] !== ',') return null;
      at++;
    } else {
      const comma = line.indexOf(',', at);
      if (comma < 0) {
        out.push(line.slice(at));
        return out;
      }
      out.push(line.slice(at, comma));
      at = comma + 1;
    }
  }
}

const text = (value: string | undefined): string | null => {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? null : trimmed;
};

export function parseAccessPoints(content: string, file: string): AccessPoint[] {
  const body = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const lines = body.split(/\r?\n/);
  const refuse = (line: number, why: string): never => {
    throw fail(ErrorCode.Config, `${file}:${line}: ${why}`);
  };
  const headerAt = lines.findIndex((line) => line.trim() !== '');
  if (headerAt < 0) refuse(1, `empty: expected a header naming ${REQUIRED.join(', ')}`);
  const header = cells(lines[headerAt]!)?.map((name) => name.trim().toLowerCase()) ?? refuse(headerAt + 1, 'unbalanced quote in the header');
  const index = Object.fromEntries(
    REQUIRED.map((name) => {
      const i = header.indexOf(name);
      if (i < 0) refuse(headerAt + 1, `the header has no ${name} column (it needs ${REQUIRED.join(', ')})`);
      return [name, i];
    }),
  ) as Record<(typeof REQUIRED)[number], number>;
  const seen = new Map<string, number>();
  const out: AccessPoint[] = [];
  for (let i = headerAt + 1; i < lines.length; i++) {
    const line = i + 1;
    if (lines[i]!.trim() === '') continue;
    const row = cells(lines[i]!) ?? refuse(line, 'unbalanced quote');
    if (row.length !== header.length) refuse(line, `expected ${header.length} cells as the header has, got ${row.length}`);
    const raw = row[index.bssid]!.trim();
    const bssid = canonicalBssid(raw) ?? refuse(line, `bssid ${JSON.stringify(raw)} is not a BSSID (12 hex digits, in pairs or groups)`);
    const earlier = seen.get(bssid);
    if (earlier !== undefined) refuse(line, `the BSSID ${bssid} is already on line ${earlier}`);
    seen.set(bssid, line);
    out.push({ bssid, accessPoint: text(row[index.access_point]), building: text(row[index.building]), floor: text(row[index.floor]), line });
  }
  return out;
}
