/**
 * ISO-8601 durations (Graph's Edm.Duration, e.g. `"PT0.016S"`) to milliseconds, exactly.
 *
 * Accepted: `[-]P[nW][nD][T[nH][nM][nS]]`, at least one component, designators upper case and in that
 * order, each at most once; `T` only when a time component follows. The last component present may
 * carry a decimal fraction (`.` or `,`, digits on both sides): `PT0.016S`, `PT1M2.5S`, `PT0.5H`,
 * `P1.5D`. Weeks (7 days) and days (24 hours) are fixed lengths; years and months are not and are
 * rejected. A leading `-` (XML Schema, .NET TimeSpan) negates; `-PT0S` is 0, not -0. Rejected (null):
 * `+`, spaces, lower case, the alternative format (`PT00:00:01`), empty `P`/`PT`, a fraction on a
 * component other than the last, anything whose value is not a finite number of milliseconds.
 *
 * Exactness: the digits are read as integers and the value is `numerator / 10^k` with one division,
 * which IEEE-754 rounds correctly, so the result is the same double as the decimal literal of the
 * exact value: `PT0.03S` is 30, `PT0.0301S` is 30.1, no float drift at a threshold. Values too long
 * for a safe integer take a slower BigInt path with the same guarantee.
 */

/** Per unit: its rank (order), milliseconds, and those as `mantissa * 10^power` so fractions cancel powers of ten first. */
const UNIT_CODES = [87 /* W */, 68 /* D */, 72 /* H */, 77 /* M */, 83 /* S */];
const UNIT_MS = [604_800_000, 86_400_000, 3_600_000, 60_000, 1_000];
const UNIT_MS_BIG = UNIT_MS.map(BigInt);
const UNIT_MANTISSA = [6048, 864, 36, 6, 1];
const UNIT_POWER = [5, 5, 5, 4, 3];
/** Ranks from 2 on (H, M, S) belong after `T`. */
const FIRST_TIME_RANK = 2;

const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Digit runs up to this length always fit a safe integer on the fast path. */
const FAST_DIGITS = 15;

const CODE_0 = 48;
const CODE_9 = 57;

/**
 * Where the components of the last scanned text are, five numbers each: rank, whole start, whole
 * end, fraction start, fraction end (trailing zeros excluded). Scratch space reused by every call:
 * the hot path allocates nothing.
 */
const FIELDS = 5;
const found = new Int32Array(UNIT_CODES.length * FIELDS);

export function durationToMs(text: string): number | null {
  const count = scan(text);
  if (count === 0) return null;
  let ms = fastValue(text, count);
  if (Number.isNaN(ms)) ms = exactValue(text, count);
  if (!Number.isFinite(ms)) return null;
  if (ms === 0) return 0;
  return text.charCodeAt(0) === 45 /* - */ ? -ms : ms;
}

/** Checks the grammar and records the components in `found`; returns how many (0: not a duration). */
function scan(text: string): number {
  const length = text.length;
  let i = text.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  if (text.charCodeAt(i) !== 80 /* P */) return 0;
  i++;
  let count = 0;
  let inTime = false;
  let lastRank = -1;
  let fractional = false;
  while (i < length) {
    if (text.charCodeAt(i) === 84 /* T */) {
      if (inTime) return 0;
      inTime = true;
      i++;
      if (i === length) return 0;
      continue;
    }
    if (fractional) return 0; // only the last component may have a fraction
    const wholeStart = i;
    while (i < length && isDigit(text.charCodeAt(i))) i++;
    if (i === wholeStart) return 0;
    const wholeEnd = i;
    let fractionStart = i;
    let fractionEnd = i;
    const separator = text.charCodeAt(i);
    if (separator === 46 /* . */ || separator === 44 /* , */) {
      fractionStart = ++i;
      while (i < length && isDigit(text.charCodeAt(i))) i++;
      if (i === fractionStart) return 0;
      fractionEnd = i;
      while (fractionEnd > fractionStart && text.charCodeAt(fractionEnd - 1) === CODE_0) fractionEnd--;
      fractional = true;
    }
    const rank = UNIT_CODES.indexOf(text.charCodeAt(i));
    if (rank <= lastRank || rank >= FIRST_TIME_RANK !== inTime) return 0;
    lastRank = rank;
    const at = count * FIELDS;
    found[at] = rank;
    found[at + 1] = wholeStart;
    found[at + 2] = wholeEnd;
    found[at + 3] = fractionStart;
    found[at + 4] = fractionEnd;
    count++;
    i++;
  }
  return count;
}

/** The value with plain numbers, or NaN when a digit run is too long for that to be exact. */
function fastValue(text: string, count: number): number {
  let wholeMs = 0;
  for (let c = 0; c < count; c++) {
    const at = c * FIELDS;
    const whole = digitsValue(text, found[at + 1]!, found[at + 2]!);
    if (Number.isNaN(whole)) return NaN;
    wholeMs += whole * UNIT_MS[found[at]!]!;
  }
  if (!Number.isSafeInteger(wholeMs)) return NaN;
  const at = (count - 1) * FIELDS;
  const digits = found[at + 4]! - found[at + 3]!;
  if (digits === 0) return wholeMs;
  const rank = found[at]!;
  const power = UNIT_POWER[rank]!;
  const fraction = digitsValue(text, found[at + 3]!, found[at + 4]!) * UNIT_MANTISSA[rank]!;
  if (digits <= power) {
    const total = wholeMs + fraction * POW10[power - digits]!;
    return Number.isSafeInteger(total) ? total : NaN;
  }
  const scale = POW10[digits - power]!;
  const numerator = wholeMs * scale + fraction;
  return Number.isSafeInteger(numerator) ? numerator / scale : NaN;
}

/** The value through BigInt: the exact decimal, then Number() (which rounds it correctly). */
function exactValue(text: string, count: number): number {
  const last = (count - 1) * FIELDS;
  const digits = found[last + 4]! - found[last + 3]!;
  const scale = 10n ** BigInt(digits);
  let numerator = 0n;
  for (let c = 0; c < count; c++) {
    const at = c * FIELDS;
    const ms = UNIT_MS_BIG[found[at]!]!;
    numerator += BigInt(text.slice(found[at + 1]!, found[at + 2]!)) * ms * scale;
    if (found[at + 4]! > found[at + 3]!) numerator += BigInt(text.slice(found[at + 3]!, found[at + 4]!)) * ms;
  }
  if (digits === 0) return Number(numerator);
  const decimal = numerator.toString().padStart(digits + 1, '0');
  return Number(`${decimal.slice(0, -digits)}.${decimal.slice(-digits)}`);
}

/** The integer a run of ASCII digits spells, or NaN when it is too long to be exact. */
function digitsValue(text: string, start: number, end: number): number {
  if (end - start > FAST_DIGITS) return NaN;
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + (text.charCodeAt(i) - CODE_0);
  return value;
}

function isDigit(code: number): boolean {
  return code >= CODE_0 && code <= CODE_9;
}
