/**
 * The time window of a fetch: [since, until), checked; the callRecords list filter; the split of a
 * PSTN / Direct Routing window into requests of at most 90 days.
 */
import { ErrorCode, fail } from '../errors.js';

export interface FetchWindow {
  readonly since: Date;
  readonly until: Date;
}

const DAY_MS = 86_400_000;
/** callRecords are kept 30 days after the call ends; older ones answer 404. */
export const RETENTION_DAYS = 30;
/** getPstnCalls / getDirectRoutingCalls take at most 90 days per request. */
export const MAX_LOG_WINDOW_DAYS = 90;

export function checkWindow(window: FetchWindow): FetchWindow {
  const since = window.since.getTime();
  const until = window.until.getTime();
  if (!Number.isFinite(since) || !Number.isFinite(until)) throw fail(ErrorCode.Usage, '--since and --until must be valid dates');
  if (since >= until) throw fail(ErrorCode.Usage, `--since (${iso(window.since)}) must be before --until (${iso(window.until)})`);
  return window;
}

/** A warning when the window reaches back more than 30 days from `now`, else null. */
export function retentionWarning(window: FetchWindow, now: number): string | null {
  const oldest = now - RETENTION_DAYS * DAY_MS;
  if (window.since.getTime() >= oldest) return null;
  return `the window starts ${iso(window.since)}, more than ${RETENTION_DAYS} days ago: Graph keeps call records for ${RETENTION_DAYS} days, so records older than ${iso(new Date(oldest))} are gone (their ids may still be listed, and answer 404)`;
}

/** `startDateTime ge <since> and startDateTime lt <until>`, as Graph's $filter takes it. */
export function listFilter(window: FetchWindow): string {
  return `startDateTime ge ${iso(window.since)} and startDateTime lt ${iso(window.until)}`;
}

/** The window cut into consecutive pieces of at most 90 days. */
export function splitWindow(window: FetchWindow, maxDays = MAX_LOG_WINDOW_DAYS): FetchWindow[] {
  const pieces: FetchWindow[] = [];
  const step = maxDays * DAY_MS;
  for (let start = window.since.getTime(); start < window.until.getTime(); start += step) {
    pieces.push({ since: new Date(start), until: new Date(Math.min(start + step, window.until.getTime())) });
  }
  return pieces;
}

/** ISO-8601 UTC without milliseconds when they are zero (2026-11-01T00:00:00Z). */
export function iso(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}
