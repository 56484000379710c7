/** Parsing of option values shared by commands. Each failure is a one-line usage error. */
import { InvalidArgumentError } from 'commander';
import { dateTimeToMs } from '@callaudit/core';

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?$/i;
const FACTORS: Record<string, number> = { b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3 };

/** "64MB", "1GiB", "1048576" -> bytes. */
export function parseSize(text: string): number {
  const match = SIZE.exec(text.trim());
  if (!match) throw new InvalidArgumentError(`"${text}" is not a size (examples: 1048576, 64MB, 1GiB)`);
  const bytes = Math.round(Number(match[1]) * FACTORS[(match[2] ?? 'b').toLowerCase()]!);
  if (bytes <= 0) throw new InvalidArgumentError('the size must be positive');
  return bytes;
}

export function parseWorkers(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 256) throw new InvalidArgumentError(`"${text}" is not a worker count (0 to 256; 0 runs inline)`);
  return n;
}

/**
 * An ISO-8601 date or date-time, read by the parser the records' timestamps go through: a bare date
 * is midnight UTC, a date-time without an offset is UTC too (never the machine's local time).
 */
export function parseDate(text: string): Date {
  const ms = dateTimeToMs(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (ms === null) throw new InvalidArgumentError(`"${text}" is not an ISO-8601 date (examples: 2026-11-01, 2026-11-01T08:00:00Z, 2026-11-01T10:00+02:00)`);
  return new Date(ms);
}

/** A comma-separated list whose every item is one of `allowed`; repeating the option adds to it. */
export function listOf(allowed: readonly string[], what: string): (text: string, previous?: string[]) => string[] {
  return (text, previous = []) => {
    const items = splitList(text);
    const unknown = items.filter((item) => !allowed.includes(item));
    if (items.length === 0 || unknown.length > 0)
      throw new InvalidArgumentError(`unknown ${what} ${unknown.map((item) => `"${item}"`).join(', ') || '""'} (expected ${allowed.join(', ')})`);
    return [...previous, ...items];
  };
}

/** A comma-separated list; repeating the option adds to it. Not for options with a default. */
export function parseList(text: string, previous: string[] = []): string[] {
  return [...previous, ...splitList(text)];
}

/** A repeatable option whose values are kept whole (globs may hold commas: '*.{json,txt}'). */
export function collect(text: string, previous: string[] = []): string[] {
  if (text.trim() === '') throw new InvalidArgumentError('the value must not be empty');
  return [...previous, text];
}

/** A comma-separated list that replaces the default (e.g. --format). */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** --group-by may repeat: each use is one grouping of comma-separated columns. */
export function parseGroupBy(text: string, previous: string[][] = []): string[][] {
  const columns = parseList(text);
  if (columns.length === 0) throw new InvalidArgumentError('--group-by needs at least one column name');
  return [...previous, columns];
}

/** "2s", "500ms", "5m", "1h" -> milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError(`"${text}" is not a duration (examples: 500ms, 2s, 5m, 1h)`);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * factor);
}
