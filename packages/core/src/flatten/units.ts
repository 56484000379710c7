/**
 * Graph's strings in table units. The schema checked that they parse; flatten converts the ones it
 * writes, once each.
 */
import { dateTimeToMs, durationToMs } from '../schema/index.js';

/** An ISO-8601 duration in milliseconds; null when null or absent. */
export function durationMs(value: string | null | undefined): number | null {
  return value == null ? null : durationToMs(value);
}

/** An ISO-8601 date-time in milliseconds since the epoch, UTC; null when null or absent. */
export function epochMs(value: string | null | undefined): number | null {
  return value == null ? null : dateTimeToMs(value);
}
