/** Timestamps and durations as Graph writes them. */

/**
 * A UTC timestamp with seven fractional digits, as Graph writes DateTimeOffset values
 * ("2020-02-25T18:52:21.2169889Z"). `ticks` (0..9999) fills the digits below the millisecond.
 */
export function isoTime(ms: number, ticks: number): string {
  const whole = Math.floor(ms);
  const day = Math.floor(whole / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  const inDay = whole - day * DAY_MS;
  const h = Math.floor(inDay / 3_600_000);
  const m = Math.floor(inDay / 60_000) % 60;
  const s = Math.floor(inDay / 1000) % 60;
  const sub = (inDay % 1000) * 10_000 + (ticks % 10_000);
  return `${cachedDate}${pad2(h)}:${pad2(m)}:${pad2(s)}.${String(sub).padStart(7, '0')}Z`;
}

const DAY_MS = 86_400_000;
let cachedDay = Number.NaN;
let cachedDate = '';

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * An ISO-8601 duration for a number of milliseconds: "PT0.016S", "PT0.03S", "PT1.5S", "PT0S";
 * minutes and hours appear when the value reaches them ("PT1M5.25S", "PT1H0M2S").
 */
export function isoDuration(ms: number): string {
  const totalMs = Math.max(0, Math.round(ms));
  const hours = Math.floor(totalMs / 3_600_000);
  const minutes = Math.floor((totalMs % 3_600_000) / 60_000);
  const seconds = (totalMs % 60_000) / 1000;
  if (hours > 0) return `PT${hours}H${minutes}M${seconds}S`;
  if (minutes > 0) return `PT${minutes}M${seconds}S`;
  return `PT${seconds}S`;
}
