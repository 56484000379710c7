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

/** Milliseconds per unit, as `mantissa * 10^power` so fractions cancel powers of ten first. */
const UNITS: Readonly<Record<string, { readonly rank: number; readonly ms: number; readonly mantissa: number; readonly power: number }>> = {
  W: { rank: 0, ms: 604_800_000, mantissa: 6048, power: 5 },
  D: { rank: 1, ms: 86_400_000, mantissa: 864, power: 5 },
  H: { rank: 2, ms: 3_600_000, mantissa: 36, power: 5 },
  M: { rank: 3, ms: 60_000, mantissa: 6, power: 4 },
  S: { rank: 4, ms: 1_000, mantissa: 1, power: 3 },
};

const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Digit runs up to this length always fit a safe integer on the fast path. */
const FAST_DIGITS = 15;

const CODE_0 = 48;
const CODE_9 = 57;

interface Component {
  readonly unit: string;
  readonly whole: string;
  readonly fraction: string;
}

export function durationToMs(text: string): number | null {
  const components = scan(text);
  if (components === null) return null;
  const ms = fastValue(components) ?? exactValue(components);
  if (!Number.isFinite(ms)) return null;
  if (ms === 0) return 0;
  return text.charCodeAt(0) === 45 /* - */ ? -ms : ms;
}

/** Splits a duration into its components, or null when it is not one. */
function scan(text: string): Component[] | null {
  const length = text.length;
  let i = text.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  if (text.charCodeAt(i) !== 80 /* P */) return null;
  i++;
  const components: Component[] = [];
  let inTime = false;
  let lastRank = -1;
  let fractional = false;
  while (i < length) {
    if (text.charCodeAt(i) === 84 /* T */) {
      if (inTime) return null;
      inTime = true;
      i++;
      if (i === length) return null;
      continue;
    }
    if (fractional) return null; // only the last component may have a fraction
    const wholeStart = i;
    while (i < length && isDigit(text.charCodeAt(i))) i++;
    if (i === wholeStart) return null;
    const whole = text.slice(wholeStart, i);
    let fraction = '';
    const separator = text.charCodeAt(i);
    if (separator === 46 /* . */ || separator === 44 /* , */) {
      const fractionStart = ++i;
      while (i < length && isDigit(text.charCodeAt(i))) i++;
      if (i === fractionStart) return null;
      fraction = text.slice(fractionStart, i);
      fractional = true;
    }
    if (i === length) return null;
    const unit = text[i]!;
    const spec = UNITS[unit];
    if (spec === undefined || spec.rank <= lastRank || (spec.rank >= 2) !== inTime) return null;
    lastRank = spec.rank;
    components.push({ unit, whole, fraction: trimTrailingZeros(fraction) });
    i++;
  }
  return components.length === 0 ? null : components;
}

/** The value with plain numbers, or null when a digit run is too long for that to be exact. */
function fastValue(components: readonly Component[]): number | null {
  let wholeMs = 0;
  let last: Component | undefined;
  for (const component of components) {
    if (component.whole.length > FAST_DIGITS || component.fraction.length > FAST_DIGITS) return null;
    wholeMs += Number(component.whole) * UNITS[component.unit]!.ms;
    last = component;
  }
  if (!Number.isSafeInteger(wholeMs)) return null;
  if (last === undefined || last.fraction === '') return wholeMs;
  const { mantissa, power } = UNITS[last.unit]!;
  const digits = last.fraction.length;
  const fraction = Number(last.fraction) * mantissa;
  if (digits <= power) {
    const total = wholeMs + fraction * POW10[power - digits]!;
    return Number.isSafeInteger(total) ? total : null;
  }
  const scale = POW10[digits - power]!;
  const numerator = wholeMs * scale + fraction;
  return Number.isSafeInteger(numerator) ? numerator / scale : null;
}

/** The value through BigInt: the exact decimal, then Number() (which rounds it correctly). */
function exactValue(components: readonly Component[]): number {
  const last = components[components.length - 1]!;
  const digits = last.fraction.length;
  const scale = 10n ** BigInt(digits);
  let numerator = 0n;
  for (const component of components) {
    const ms = BigInt(UNITS[component.unit]!.ms);
    numerator += BigInt(component.whole) * ms * scale;
    if (component.fraction !== '') numerator += BigInt(component.fraction) * ms;
  }
  if (digits === 0) return Number(numerator);
  const text = numerator.toString().padStart(digits + 1, '0');
  return Number(`${text.slice(0, -digits)}.${text.slice(-digits)}`);
}

function isDigit(code: number): boolean {
  return code >= CODE_0 && code <= CODE_9;
}

function trimTrailingZeros(digits: string): string {
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === CODE_0) end--;
  return digits.slice(0, end);
}
