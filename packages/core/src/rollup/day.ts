const QUARTER_HOUR_MS = 15 * 60 * 1000;

/** One formatter and one day cache per zone, shared by every accumulator of the thread. */
const formats = new Map<string, Intl.DateTimeFormat>();
const caches = new Map<string, Map<number, string>>();
/** 0001-01-01 and 10000-01-01 UTC: between them a UTC day is its ISO-8601 date, as Intl writes it. */
const FIRST_YEAR_MS = Date.parse('0001-01-01T00:00:00Z');
const PAST_YEAR_9999_MS = Date.parse('+010000-01-01T00:00:00Z');

/** The default zone's days without Intl (whose first formatter costs ~30 ms CPU in every thread). */
function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function formatOf(tz: string): Intl.DateTimeFormat {
  let format = formats.get(tz);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(tz, format);
  }
  return format;
}

/** Ten years of quarter hours: past that the cache starts over. */
const MAX_CACHED = 96 * 366 * 10;

/**
 * Maps a UTC timestamp (ms) to its local calendar day `YYYY-MM-DD` in an IANA zone. Every zone offset
 * in use is a multiple of 15 minutes, so days are cached per quarter hour; a quarter hour whose first
 * and last millisecond fall on different local days (a jump across midnight) is never cached.
 * The cache grows with the time span of the data (96 entries a day, capped), not with the number of rows.
 */
export function dayOfTimestamp(tz: string): (ms: number) => string {
  let format: Intl.DateTimeFormat | undefined;
  const exact = (ms: number): string => {
    if (tz === 'UTC' && ms >= FIRST_YEAR_MS && ms < PAST_YEAR_9999_MS) return utcDay(ms);
    format ??= formatOf(tz);
    let year = '';
    let month = '';
    let day = '';
    for (const part of format.formatToParts(ms)) {
      if (part.type === 'year') year = part.value;
      else if (part.type === 'month') month = part.value;
      else if (part.type === 'day') day = part.value;
    }
    return `${year.padStart(4, '0')}-${month}-${day}`;
  };
  const cache = caches.get(tz) ?? new Map<number, string>();
  caches.set(tz, cache);
  return (ms) => {
    if (cache.size >= MAX_CACHED) cache.clear();
    const quarter = Math.floor(ms / QUARTER_HOUR_MS);
    const cached = cache.get(quarter);
    if (cached !== undefined) return cached;
    const first = exact(quarter * QUARTER_HOUR_MS);
    if (first !== exact((quarter + 1) * QUARTER_HOUR_MS - 1)) return exact(ms);
    cache.set(quarter, first);
    return first;
  };
}
