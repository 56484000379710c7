/**
 * A DDSketch-style quantile sketch with exact integer counts, kept as plain data so that it merges,
 * subtracts and travels between threads exactly.
 *
 * Values v > MIN_INDEXABLE fall in log buckets: index i = ceil(log_gamma(v)), bucket i holds
 * (gamma^(i-1), gamma^i], gamma = (1 + a) / (1 - a) for relative accuracy a. A bucket is reported as
 * 2 gamma^i / (gamma + 1), which is within a relative error a of every value in it. Values in
 * [0, MIN_INDEXABLE] go to a zero bucket reported as 0 (absolute error <= MIN_INDEXABLE).
 *
 * A sketch is a flat number array: [zeroCount, index0, count0, index1, count1, ...], indexes strictly
 * ascending, no pair with count 0. The same multiset of values always gives the same array, whatever
 * the order of adds, merges and subtractions: counts are integers (exact in a double below 2^53).
 */
export type Sketch = number[];

/** Values at or below this (in the metric's own unit) count as 0. */
export const MIN_INDEXABLE = 1e-9;

/**
 * Bucket indexes are int32 (|index| < 4e6 for any accuracy allowed and any finite double), so they
 * stay small integers in every array and clone compactly. Two values outside that range are flags:
 */
/** The index of the zero bucket. */
export const ZERO_INDEX = -0x80000000;
/** The index of a value that is not counted (negative, NaN or infinite). */
export const NO_INDEX = 0x7fffffff;

export interface SketchMapping {
  readonly relativeAccuracy: number;
  readonly gamma: number;
  /** Bucket index of a value: ZERO_INDEX for the zero bucket, NO_INDEX when not countable. */
  index(value: number): number;
  /** The value a bucket index stands for. */
  value(index: number): number;
}

export function sketchMapping(relativeAccuracy: number): SketchMapping {
  const gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
  const logGamma = Math.log(gamma);
  const scale = 2 / (1 + gamma);
  return {
    relativeAccuracy,
    gamma,
    // `| 0` makes the index an int32 (and turns the -0 that ceil gives just below 1 into 0).
    index: (value) => (value > MIN_INDEXABLE ? (value < Infinity ? Math.ceil(Math.log(value) / logGamma) | 0 : NO_INDEX) : value >= 0 ? ZERO_INDEX : NO_INDEX),
    value: (index) => scale * Math.exp(index * logGamma),
  };
}

export function emptySketch(): Sketch {
  return [0];
}

export function isEmptySketch(sketch: Sketch): boolean {
  return sketch.length === 1 && sketch[0] === 0;
}

/** First pair position (an array offset) whose index is >= `index`. */
function seek(sketch: Sketch, index: number): number {
  return seekFrom(sketch, index, 1);
}

/** Adds `count` (negative to subtract) to bucket `index` (ZERO_INDEX for the zero bucket), in place. */
export function sketchAdd(sketch: Sketch, index: number, count: number): void {
  if (index === ZERO_INDEX) {
    sketch[0]! += count;
    return;
  }
  const at = seek(sketch, index);
  if (at < sketch.length && sketch[at] === index) {
    const total = sketch[at + 1]! + count;
    if (total === 0) sketch.splice(at, 2);
    else sketch[at + 1] = total;
  } else {
    sketch.splice(at, 0, index, count);
  }
}

/** Sketch data to read: a Sketch, or a packed partial's run of sketches (see packed.ts). */
type SketchData = ArrayLike<number>;

/**
 * How many pairs `into + sign * from` has, and whether its buckets are exactly `into`'s (no bucket
 * new, none cancelled out): one pass over the two sorted bucket lists. `from` is the sketch at
 * `from[start..end)`.
 */
function mergedShape(into: Sketch, from: SketchData, start: number, end: number, sign: 1 | -1): { pairs: number; same: boolean } {
  let pairs = 0;
  let same = true;
  let a = 1;
  let b = start + 1;
  while (a < into.length || b < end) {
    const ia = a < into.length ? into[a]! : Infinity;
    const ib = b < end ? from[b]! : Infinity;
    if (ia <= ib) a += 2;
    if (ib <= ia) b += 2;
    if (ib < ia) same = false;
    if (ia === ib && into[a - 1]! + sign * from[b - 1]! === 0) same = false;
    else pairs++;
  }
  return { pairs, same };
}

/**
 * Returns `into + sign * from` as a new sketch (a linear merge of the two sorted bucket lists), in
 * an array of exactly its length: an array grown by `push` or `splice` keeps V8's growth slack (up
 * to ~17 slots for a 3-bucket sketch), which in the main thread's total at 250,000 groups x 4
 * sketches was ~140 MB of the heap (`npx tsx benchmarks/rollup-memory.ts`).
 */
export function sketchMerge(into: Sketch, from: Sketch, sign: 1 | -1): Sketch {
  return mergeRun(into, from, 0, from.length, sign);
}

function mergeRun(into: Sketch, from: SketchData, start: number, end: number, sign: 1 | -1): Sketch {
  const out: Sketch = new Array<number>(1 + 2 * mergedShape(into, from, start, end, sign).pairs);
  out[0] = into[0]! + sign * from[start]!;
  let o = 1;
  let a = 1;
  let b = start + 1;
  while (a < into.length || b < end) {
    const ia = a < into.length ? into[a]! : Infinity;
    const ib = b < end ? from[b]! : Infinity;
    let count: number;
    let index: number;
    if (ia < ib) {
      index = ia;
      count = into[a + 1]!;
      a += 2;
    } else if (ib < ia) {
      index = ib;
      count = sign * from[b + 1]!;
      b += 2;
    } else {
      index = ia;
      count = into[a + 1]! + sign * from[b + 1]!;
      a += 2;
      b += 2;
    }
    if (count === 0) continue;
    out[o++] = index;
    out[o++] = count;
  }
  return out;
}

/**
 * Adds `from` into `into` and returns the result: `into` itself, updated in place, when every bucket
 * of `from` is already in `into` and none cancels out (the common case once a group has seen its
 * usual values), else a new exact-length merge (sketchMerge). This is how the main thread's total
 * grows group by group, so it holds no growth slack.
 */
export function sketchMergeInto(into: Sketch, from: Sketch): Sketch {
  return sketchMergeRun(into, from, 0, from.length);
}

/**
 * sketchMergeInto of the sketch at `from[start..end)` (a packed partial's sketches: see packed.ts).
 * A batch's sketch has a few buckets, the total's many: each bucket is looked up by binary search,
 * not by walking the whole total.
 */
export function sketchMergeRun(into: Sketch, from: SketchData, start: number, end: number): Sketch {
  for (let at = start + 1, to = 1; at < end; at += 2) {
    to = seekFrom(into, from[at]!, to);
    if (to >= into.length || into[to] !== from[at] || into[to + 1]! + from[at + 1]! === 0) return mergeRun(into, from, start, end, 1);
  }
  into[0]! += from[start]!;
  for (let at = start + 1, to = 1; at < end; at += 2) {
    to = seekFrom(into, from[at]!, to);
    into[to + 1]! += from[at + 1]!;
  }
  return into;
}

/** First pair position at or after `from` (an array offset) whose index is >= `index`. */
function seekFrom(sketch: Sketch, index: number, from: number): number {
  let lo = (from - 1) >> 1;
  let hi = (sketch.length - 1) >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sketch[1 + 2 * mid]! < index) lo = mid + 1;
    else hi = mid;
  }
  return 1 + 2 * lo;
}

/** Total count, or -1 when some bucket is negative (a retraction without its addition). */
export function sketchTotal(sketch: Sketch): number {
  let total = sketch[0]!;
  if (total < 0) return -1;
  for (let at = 2; at < sketch.length; at += 2) {
    const count = sketch[at]!;
    if (count < 0) return -1;
    total += count;
  }
  return total;
}

/**
 * The nearest-rank percentile: the value of rank ceil(p/100 * n) (1-based, at least 1) among the n
 * values, as the sketch reports it. `percent` is an integer 1..100. null when the sketch is empty.
 * The exact value of that rank lies in the bucket found, so the answer is within the relative accuracy
 * of the exact nearest-rank percentile (or is 0 when that value is <= MIN_INDEXABLE).
 */
export function sketchPercentile(sketch: Sketch, percent: number, mapping: SketchMapping): number | null {
  const total = sketchTotal(sketch);
  if (total <= 0) return null;
  const rank = Math.max(1, Math.floor((percent * total + 99) / 100));
  let seen = sketch[0]!;
  if (seen >= rank) return 0;
  for (let at = 1; at < sketch.length; at += 2) {
    seen += sketch[at + 1]!;
    if (seen >= rank) return mapping.value(sketch[at]!);
  }
  return mapping.value(sketch[sketch.length - 2]!);
}

/**
 * `value` to 4 significant digits: a rollup's percentiles are known to the sketch's relative accuracy
 * (1%), so more digits would be noise (29.86, not 29.856311414). Rounding moves a value by at most 0.05%.
 */
export function significant(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value + 0;
  const places = 3 - Math.floor(Math.log10(Math.abs(value)));
  if (places >= 0) {
    const scale = 10 ** places;
    return Math.round(value * scale) / scale;
  }
  const scale = 10 ** -places;
  return Math.round(value / scale) * scale;
}
