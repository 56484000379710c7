/**
 * Graph DateTimeOffset strings (`2024-03-01T10:00:00.1234567Z`) to milliseconds since the epoch, UTC.
 *
 * Accepted: `YYYY-MM-DDThh:mm[:ss[.fraction]][Z|±hh:mm|±hhmm]`, the day checked against its month,
 * hours 00..23 (or `24:00:00` meaning the end of the day, as ECMAScript reads it), minutes and
 * seconds 00..59 (no leap second). Digits past the millisecond are truncated. A string without a
 * zone is read as UTC, never as the machine's local time. Anything else (a bare `"1"`, `2024-02-30`,
 * a space for `T`, `+01` without minutes) is null: `Date.parse` alone accepts some of those.
 *
 * Parsed by hand (no regex, no Date object): the hot path of validation runs it for every stream.
 */
const CODE_0 = 48;
const MS_PER_DAY = 86_400_000;

export function dateTimeToMs(text: string): number | null {
  const length = text.length;
  if (length < 16 || text.charCodeAt(4) !== 45 /* - */ || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 /* T */ || text.charCodeAt(13) !== 58 /* : */)
    return null;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  let second = 0;
  let millis = 0;
  let nonZeroFraction = false;
  let i = 16;
  if (text.charCodeAt(i) === 58 /* : */) {
    second = digits(text, i + 1, i + 3);
    i += 3;
    if (text.charCodeAt(i) === 46 /* . */) {
      const start = ++i;
      while (i < length && isDigit(text.charCodeAt(i))) {
        const digit = text.charCodeAt(i) - CODE_0;
        if (i - start < 3) millis += digit * 10 ** (2 - (i - start));
        if (digit !== 0) nonZeroFraction = true;
        i++;
      }
      if (i === start) return null;
    }
  }
  let offsetMinutes = 0;
  if (i < length) {
    const zone = text.charCodeAt(i);
    if (zone === 90 /* Z */ && i + 1 === length) {
      // UTC
    } else if (zone === 43 /* + */ || zone === 45 /* - */) {
      const colon = text.charCodeAt(i + 3) === 58 ? 1 : 0;
      if (i + 5 + colon !== length) return null;
      const offsetHour = digits(text, i + 1, i + 3);
      const offsetMinute = digits(text, i + 3 + colon, i + 5 + colon);
      if (!(offsetHour <= 23 && offsetMinute <= 59)) return null;
      offsetMinutes = (zone === 45 ? -1 : 1) * (offsetHour * 60 + offsetMinute);
    } else {
      return null;
    }
  }
  if (!(year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && minute <= 59 && second <= 59)) return null;
  if (!(hour <= 23 || (hour === 24 && minute === 0 && second === 0 && !nonZeroFraction))) return null;
  const days = daysFromCivil(year, month, day);
  return days * MS_PER_DAY + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
}

/** The number `text[start..end)` spells when every character is an ASCII digit, else NaN. */
function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return NaN;
    value = value * 10 + (code - CODE_0);
  }
  return value;
}

function isDigit(code: number): boolean {
  return code >= CODE_0 && code <= CODE_0 + 9;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
