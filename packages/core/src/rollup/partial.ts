import { ErrorCode, fail } from '../errors.js';
import { POOR_REASONS } from '../quality/types.js';
import { isEmptySketch, type Sketch } from './sketch.js';

/** The per-group counters, in the order of GroupPartial.n. */
export const COUNTERS = [
  'streams',
  'classified',
  'poor',
  ...POOR_REASONS.map((reason) => `reason_${reason}` as const),
  'calls',
  'classified_calls',
  'poor_calls',
  'setup_failures',
  'established_calls',
  'drops',
  'setup_failed_streams',
  'dropped_streams',
  'audio_classified',
  'audio_poor',
  'inside_corp_streams',
  // Rate My Call, per endpoint that gave feedback (see README.md, "Rate My Call")
  'feedback_endpoints',
  'rated',
  'rated_poor',
  'rating_stars',
  'rated_audio_poor',
  'rated_audio_good',
] as const;
export type CounterName = (typeof COUNTERS)[number];

const counter = (name: CounterName): number => COUNTERS.indexOf(name);
export const C_STREAMS = counter('streams');
export const C_CLASSIFIED = counter('classified');
export const C_POOR = counter('poor');
export const C_REASON0 = counter(`reason_${POOR_REASONS[0]}`);
export const C_CALLS = counter('calls');
export const C_CLASSIFIED_CALLS = counter('classified_calls');
export const C_POOR_CALLS = counter('poor_calls');
export const C_SETUP_FAILURES = counter('setup_failures');
export const C_ESTABLISHED_CALLS = counter('established_calls');
export const C_DROPS = counter('drops');
export const C_SETUP_FAILED_STREAMS = counter('setup_failed_streams');
export const C_DROPPED_STREAMS = counter('dropped_streams');
export const C_AUDIO_CLASSIFIED = counter('audio_classified');
export const C_AUDIO_POOR = counter('audio_poor');
export const C_INSIDE_CORP_STREAMS = counter('inside_corp_streams');
export const C_FEEDBACK_ENDPOINTS = counter('feedback_endpoints');
export const C_RATED = counter('rated');
export const C_RATED_POOR = counter('rated_poor');
export const C_RATING_STARS = counter('rating_stars');
export const C_RATED_AUDIO_POOR = counter('rated_audio_poor');
export const C_RATED_AUDIO_GOOD = counter('rated_audio_good');

/** The percentiles reported for a lower-is-better metric: the median and the high tail. */
const HIGH_TAIL = [50, 90, 99] as const;

/**
 * The stream metrics sketched per group, in the order of GroupPartial.q, each with the percentiles
 * reported. MOS is higher-is-better: its low tail (p1, p10) is where users suffer.
 */
export const METRICS = [
  { column: 'jitter_avg_ms', prefix: 'jitter', unit: '_ms', what: 'averageJitter, ms', percentiles: HIGH_TAIL },
  { column: 'rtt_avg_ms', prefix: 'rtt', unit: '_ms', what: 'averageRoundTripTime, ms', percentiles: HIGH_TAIL },
  { column: 'packet_loss_avg', prefix: 'packet_loss', unit: '', what: 'averagePacketLossRate, fraction 0..1', percentiles: HIGH_TAIL, range: [0, 1] },
  // MOS is 1..4.5 by definition: a bucket's representative value (1% accuracy) is kept inside it
  { column: 'mos', prefix: 'mos', unit: '', what: 'E-model MOS', percentiles: [1, 10, 50, 90, 99], range: [1, 4.5] },
] as const;

/** A metric's percentile column name, e.g. jitter_p90_ms, mos_p1. */
export const percentileColumn = (metric: (typeof METRICS)[number], p: number): string => `${metric.prefix}_p${p}${metric.unit}`;

export const COUNTER_COUNT = COUNTERS.length;
export const METRIC_COUNT = METRICS.length;

/**
 * One rollup's groups, column-wise (compact to clone: no object per group). Group i has the key
 * `keys[i]` (keys.ts encoding), the counters `n[i * COUNTER_COUNT + c]` (COUNTERS order; integers,
 * negative only in a partial that retracts more than it adds), the sketches `q[i * METRIC_COUNT + m]`
 * (METRICS order; layout in sketch.ts) and, in a labelled rollup (user: UPN per user id), the label
 * tallies `l[i]`. A group whose counts all cancelled out may stay as a row of zeros until the
 * partial is made canonical.
 */
export interface GroupTable {
  readonly keys: string[];
  readonly n: number[];
  readonly q: Sketch[];
  readonly l: Map<string, number>[] | null;
}

/**
 * What a worker sends to the main thread: plain data (Maps, arrays, numbers, strings), safe for
 * structured clone. Its size grows with groups x occupied sketch buckets, never with streams.
 */
export interface RollupPartial {
  readonly format: 'callaudit.rollup-partial';
  readonly version: 1;
  readonly relativeAccuracy: number;
  readonly tz: string;
  readonly groupBy: readonly (readonly string[])[];
  /** Rollup name -> its groups. */
  readonly rollups: Map<string, GroupTable>;
}

export function emptyTable(labelled: boolean): GroupTable {
  return { keys: [], n: [], q: [], l: labelled ? [] : null };
}

/**
 * Row positions by key, per table object: built on first use, kept up to date by appendGroup.
 * (A side cache, so the partial stays plain data; a cloned table simply gets its own.)
 */
const rowIndexes = new WeakMap<GroupTable, Map<string, number>>();

export function rowIndex(table: GroupTable): Map<string, number> {
  let index = rowIndexes.get(table);
  if (index === undefined) {
    index = new Map(table.keys.map((key, row) => [key, row]));
    rowIndexes.set(table, index);
  }
  return index;
}

/** The row of `key`, appended (all zero) when the table has none. */
export function groupRow(table: GroupTable, key: string): number {
  return groupRowIn(table, rowIndex(table), key);
}

/** groupRow with the table's row index at hand (rowIndex), for a loop over many keys. */
export function groupRowIn(table: GroupTable, index: Map<string, number>, key: string): number {
  let row = index.get(key);
  if (row === undefined) {
    row = table.keys.length;
    table.keys.push(key);
    for (let c = 0; c < COUNTER_COUNT; c++) table.n.push(0);
    for (let m = 0; m < METRIC_COUNT; m++) table.q.push([0]);
    table.l?.push(new Map());
    index.set(key, row);
  }
  return row;
}

export function isEmptyRow(table: GroupTable, row: number): boolean {
  for (let c = row * COUNTER_COUNT; c < (row + 1) * COUNTER_COUNT; c++) if (table.n[c] !== 0) return false;
  for (let m = row * METRIC_COUNT; m < (row + 1) * METRIC_COUNT; m++) if (!isEmptySketch(table.q[m]!)) return false;
  return table.l === null || table.l[row]!.size === 0;
}

/** Adds `count` to a label's tally, dropping it when it reaches 0. */
export function addLabel(labels: Map<string, number>, label: string, count: number): void {
  const total = (labels.get(label) ?? 0) + count;
  if (total === 0) labels.delete(label);
  else labels.set(label, total);
}

export function sameSettings(
  a: Pick<RollupPartial, 'relativeAccuracy' | 'tz' | 'groupBy'>,
  b: Pick<RollupPartial, 'relativeAccuracy' | 'tz' | 'groupBy'>,
): boolean {
  return a.relativeAccuracy === b.relativeAccuracy && a.tz === b.tz && JSON.stringify(a.groupBy) === JSON.stringify(b.groupBy);
}

export function checkPartial(partial: RollupPartial, what: string): void {
  if (
    typeof partial !== 'object' ||
    partial === null ||
    partial.format !== 'callaudit.rollup-partial' ||
    partial.version !== 1 ||
    !(partial.rollups instanceof Map)
  ) {
    throw fail(ErrorCode.Internal, `${what} is not a callaudit rollup partial (version 1)`);
  }
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A copy of a table with its rows in key order and empty rows dropped. */
function canonicalTable(table: GroupTable): GroupTable {
  const rows = table.keys.map((_, row) => row).filter((row) => !isEmptyRow(table, row));
  rows.sort((a, b) => byCodeUnits(table.keys[a]!, table.keys[b]!));
  const copy = emptyTable(table.l !== null);
  for (const row of rows) {
    copy.keys.push(table.keys[row]!);
    for (let c = row * COUNTER_COUNT; c < (row + 1) * COUNTER_COUNT; c++) copy.n.push(table.n[c]!);
    // Array.from, not slice: arrays that came through structured clone are holey, and a packed copy
    // clones back more compactly.
    for (let m = row * METRIC_COUNT; m < (row + 1) * METRIC_COUNT; m++) copy.q.push(Array.from(table.q[m]!));
    copy.l?.push(new Map([...table.l![row]!].sort(([a], [b]) => byCodeUnits(a, b))));
  }
  return copy;
}

/** A deep copy with rows in key order and empty rows dropped: equal contents give equal data. */
export function canonicalPartial(partial: RollupPartial): RollupPartial {
  const rollups = new Map<string, GroupTable>();
  for (const [name, table] of partial.rollups) rollups.set(name, canonicalTable(table));
  return { ...partial, groupBy: partial.groupBy.map((list) => [...list]), rollups };
}
