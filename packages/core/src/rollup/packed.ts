/**
 * A batch's rollup partial packed for its trip from a worker to the main thread: per rollup, the
 * counters and every sketch's data in one Float64Array each, the label tallies in parallel arrays.
 * Structured clone copies a typed array in one piece, where the plain partial (GroupTable) is
 * thousands of small arrays and Maps to serialize, allocate and collect; and the merge reads the
 * packed arrays in order. Measured on 40 MB of generated NDJSON (39 batches, 18,710 group rows,
 * 74,840 sketches): `npx tsx benchmarks/measure/handover.ts <file>`, see ARCHITECTURE.md.
 *
 * Packing is lossless: unpacked, a partial merges into the total exactly as the plain one did (the
 * same rows, in the same order, empty rows included), so outputs do not change.
 */
import { ErrorCode, fail } from '../errors.js';
import { addLabel, checkPartial, COUNTER_COUNT, emptyTable, groupRowIn, METRIC_COUNT, rowIndex, sameSettings } from './partial.js';
import type { GroupTable, RollupPartial } from './partial.js';
import { sketchMergeRun } from './sketch.js';

/** One rollup's groups, packed; row i is keys[i]. */
export interface PackedTable {
  readonly name: string;
  readonly keys: string[];
  /** COUNTER_COUNT counters per row, as GroupTable.n. */
  readonly n: Float64Array;
  /** Every sketch's data (sketch.ts layout), row by row, metric by metric. */
  readonly q: Float64Array;
  /** Where each sketch ends in q: METRIC_COUNT per row (sketch i is q[sketchEnd[i-1] .. sketchEnd[i])). */
  readonly sketchEnd: Uint32Array;
  /** A labelled rollup's tallies: labels[j] counted labelCounts[j]; row i's end at labelEnd[i]. */
  readonly labels: { readonly names: string[]; readonly counts: Float64Array; readonly rowEnd: Uint32Array } | null;
}

export interface PackedPartial {
  readonly format: 'callaudit.rollup-packed';
  readonly version: 1;
  readonly relativeAccuracy: number;
  readonly tz: string;
  readonly groupBy: readonly (readonly string[])[];
  readonly tables: readonly PackedTable[];
  /** Whether any counter, sketch bucket or label is not zero: an empty partial merges as nothing. */
  readonly empty: boolean;
}

function packTable(name: string, table: GroupTable): { packed: PackedTable; empty: boolean } {
  const rows = table.keys.length;
  const n = Float64Array.from(table.n);
  let empty = n.every((count) => count === 0);
  let length = 0;
  for (const sketch of table.q) length += sketch.length;
  const q = new Float64Array(length);
  const sketchEnd = new Uint32Array(rows * METRIC_COUNT);
  let at = 0;
  table.q.forEach((sketch, i) => {
    q.set(sketch, at);
    at += sketch.length;
    sketchEnd[i] = at;
    if (sketch.length > 1 || sketch[0] !== 0) empty = false;
  });
  let labels: PackedTable['labels'] = null;
  if (table.l !== null) {
    const names: string[] = [];
    const counts: number[] = [];
    const rowEnd = new Uint32Array(rows);
    table.l.forEach((tally, row) => {
      for (const [label, count] of tally) {
        names.push(label);
        counts.push(count);
      }
      rowEnd[row] = names.length;
    });
    if (names.length > 0) empty = false;
    labels = { names, counts: Float64Array.from(counts), rowEnd };
  }
  return { packed: { name, keys: table.keys, n, q, sketchEnd, labels }, empty };
}

/** The partial packed; it is not changed (its keys and label names are shared, not copied). */
export function packPartial(partial: RollupPartial): PackedPartial {
  const tables: PackedTable[] = [];
  let empty = true;
  for (const [name, table] of partial.rollups) {
    const packed = packTable(name, table);
    tables.push(packed.packed);
    if (!packed.empty) empty = false;
  }
  const { relativeAccuracy, tz, groupBy } = partial;
  return { format: 'callaudit.rollup-packed', version: 1, relativeAccuracy, tz, groupBy, tables, empty };
}

function mergeTable(into: GroupTable, from: PackedTable): void {
  const { n, q, sketchEnd, labels } = from;
  const index = rowIndex(into);
  for (let source = 0; source < from.keys.length; source++) {
    const row = groupRowIn(into, index, from.keys[source]!);
    const to = row * COUNTER_COUNT;
    const at = source * COUNTER_COUNT;
    for (let c = 0; c < COUNTER_COUNT; c++) into.n[to + c]! += n[at + c]!;
    const sketches = row * METRIC_COUNT;
    for (let m = 0, i = source * METRIC_COUNT; m < METRIC_COUNT; m++, i++) {
      into.q[sketches + m] = sketchMergeRun(into.q[sketches + m]!, q, i === 0 ? 0 : sketchEnd[i - 1]!, sketchEnd[i]!);
    }
    if (into.l !== null && labels !== null) {
      const tally = into.l[row]!;
      for (let j = source === 0 ? 0 : labels.rowEnd[source - 1]!; j < labels.rowEnd[source]!; j++) addLabel(tally, labels.names[j]!, labels.counts[j]!);
    }
  }
}

/**
 * Merges a packed partial into `into`, in place, exactly as mergePartial merges the plain one:
 * counters add, sketches merge bucket-wise, labels add; an empty partial is a no-op whatever
 * options made it.
 */
export function mergePacked(into: RollupPartial, from: PackedPartial): void {
  checkPartial(into, 'merge target');
  if (typeof from !== 'object' || from === null || from.format !== 'callaudit.rollup-packed' || from.version !== 1 || !Array.isArray(from.tables)) {
    throw fail(ErrorCode.Internal, 'merged partial is not a packed callaudit rollup partial (version 1)');
  }
  if (from.empty) return;
  if (!sameSettings(into, from)) {
    throw fail(
      ErrorCode.Internal,
      `cannot merge rollup partials made with different options (tz ${into.tz} vs ${from.tz}, accuracy ${into.relativeAccuracy} vs ${from.relativeAccuracy}, group-bys ${JSON.stringify(into.groupBy)} vs ${JSON.stringify(from.groupBy)})`,
    );
  }
  for (const table of from.tables) {
    let target = into.rollups.get(table.name);
    if (target === undefined) {
      target = emptyTable(table.labels !== null);
      into.rollups.set(table.name, target);
    }
    mergeTable(target, table);
  }
}

/**
 * Merges `from` into `into`, in place: counters add exactly, sketches merge bucket-wise, labels add.
 * Cost: proportional to `from` (and the buckets of the groups it touches), not to the size of
 * `into`. Partials must come from the same options; a partial without groups merges as a no-op
 * whatever options made it.
 */
export function mergePartial(into: RollupPartial, from: RollupPartial): void {
  checkPartial(from, 'merged partial');
  mergePacked(into, packPartial(from));
}
