import { desc, escape as plain, table } from 'arquero';
import { ErrorCode, fail } from '../errors.js';
import type { CellValue, ColumnBatch, TableSchema } from '../table/schema.js';
import { dimensionsFor, type Dimension } from './dimensions.js';
import { decodeKey } from './keys.js';
import { validateRollupOptions, type RollupOptions } from './options.js';
import { CQD_TARGETS, DEFAULT_HEALTH, withinTarget, type HealthRules, type HealthState, type TargetFigure } from '../quality/types.js';
import {
  checkPartial,
  C_RATED,
  COUNTER_COUNT,
  COUNTERS,
  emptyTable,
  isEmptyRow,
  METRIC_COUNT,
  METRICS,
  percentileColumn,
  sameSettings,
  type GroupTable,
  type RollupPartial,
} from './partial.js';
import { schemaOf } from './schemas.js';
import { significant, sketchMapping, sketchPercentile, sketchTotal, type Sketch, type SketchMapping } from './sketch.js';

/** Every rollup table's schema for these options, in output order (for writers and the README). */
export function rollupSchemas(options: RollupOptions): TableSchema[] {
  return dimensionsFor(validateRollupOptions(options)).map(schemaOf);
}

type Counts = Record<(typeof COUNTERS)[number], number>;
const ratio = (part: number, whole: number, scale: number): number | null => (whole > 0 ? (scale * part) / whole : null);

type Row = Counts & { setup_failure_pct: number | null; drop_pct: number | null };
const insideCorp = (d: Counts): boolean => d.streams > 0 && d.inside_corp_streams === d.streams;
const target = (d: Counts, name: TargetFigure): number => CQD_TARGETS[name][insideCorp(d) ? 'insideCorp' : 'overall'];

/** The health and target columns: they depend on the health thresholds, so they are made per finalize. */
function healthColumns(health: HealthRules) {
  const state = (d: Counts): HealthState => {
    if (d.audio_classified < health.min_classified_audio || d.audio_classified === 0) return 'insufficient';
    if (100 * d.audio_poor >= health.critical_pct * d.audio_classified) return 'critical';
    if (100 * d.audio_poor >= health.degraded_pct * d.audio_classified) return 'degraded';
    return 'healthy';
  };
  return {
    health: plain((d: Counts) => state(d)),
    poor_target_pct: plain((d: Counts) => target(d, 'audio_poor_pct')),
    setup_failure_target_pct: plain((d: Counts) => target(d, 'setup_failure_pct')),
    drop_target_pct: plain((d: Counts) => target(d, 'drop_pct')),
    meets_targets: plain((d: Row) =>
      state(d) === 'insufficient'
        ? null
        : withinTarget(d.audio_poor, d.audio_classified, target(d, 'audio_poor_pct')) &&
          withinTarget(d.setup_failed_streams, d.streams, target(d, 'setup_failure_pct')) &&
          withinTarget(d.dropped_streams, d.streams - d.setup_failed_streams, target(d, 'drop_pct')),
    ),
  };
}

/** Ratios derived by arquero from the counters (escaped: plain functions, no expression parsing). */
const RATIOS = {
  poor_pct: plain((d: Counts) => ratio(d.poor, d.classified, 100)),
  audio_poor_pct: plain((d: Counts) => ratio(d.audio_poor, d.audio_classified, 100)),
  poor_call_pct: plain((d: Counts) => ratio(d.poor_calls, d.classified_calls, 100)),
  call_setup_failure_pct: plain((d: Counts) => ratio(d.setup_failures, d.calls, 100)),
  call_drop_pct: plain((d: Counts) => ratio(d.drops, d.established_calls, 100)),
  setup_failure_pct: plain((d: Counts) => ratio(d.setup_failed_streams, d.streams, 100)),
  drop_pct: plain((d: Counts) => ratio(d.dropped_streams, d.streams - d.setup_failed_streams, 100)),
  rated_poor_pct: plain((d: Counts) => ratio(d.rated_poor, d.rated, 100)),
  mean_rating: plain((d: Counts) => ratio(d.rating_stars, d.rated, 1)),
};

/** The share of the run's rated endpoints: `ratedInRun` counts each once (a call rollup holds every endpoint of its call once). */
function shareColumns(ratedInRun: number) {
  return { rated_share_pct: plain((d: Counts) => ratio(d.rated, ratedInRun, 100)) };
}

/** Rated endpoints of the whole run: the sum over a call rollup (call_type), where each endpoint counts once. */
function ratedInRun(partial: RollupPartial): number {
  const calls = partial.rollups.get('call_type');
  if (calls === undefined) return 0;
  let rated = 0;
  for (let row = 0; row < calls.keys.length; row++) rated += calls.n[row * COUNTER_COUNT + C_RATED]!;
  return rated;
}

/** Column names derived in finalize (not stored as counters). */
const DERIVED = [...Object.keys(RATIOS), ...Object.keys(healthColumns(DEFAULT_HEALTH)), ...Object.keys(shareColumns(0))];

/** The label seen most often; ties go to the smallest (code-unit order); null when none. */
function topLabel(labels: Map<string, number> | undefined): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const [label, count] of labels ?? []) {
    if (count > bestCount || (count === bestCount && best !== null && label < best)) {
      best = label;
      bestCount = count;
    }
  }
  return best;
}

function hasNegative(table: GroupTable, row: number): boolean {
  for (let c = row * COUNTER_COUNT; c < (row + 1) * COUNTER_COUNT; c++) if (table.n[c]! < 0) return true;
  for (let m = row * METRIC_COUNT; m < (row + 1) * METRIC_COUNT; m++) if (sketchTotal(table.q[m]!) < 0) return true;
  return table.l !== null && [...table.l[row]!.values()].some((count) => count < 0);
}

/** The counters and percentiles of one rollup as plain columns, rows in the partial's order. */
function groupColumns(dimension: Dimension, schema: TableSchema, table: GroupTable, mapping: SketchMapping): Record<string, CellValue[]> {
  const data: Record<string, CellValue[]> = {};
  for (const def of schema.columns) data[def.name] = [];
  const labelName = dimension.source === 'stream' && dimension.label ? dimension.label.def.name : null;
  const labelDistinct = dimension.source === 'stream' && dimension.label?.kind === 'distinct';
  table.keys.forEach((key, row) => {
    if (isEmptyRow(table, row)) return;
    const values = decodeKey(key);
    if (values.length !== dimension.keys.length)
      throw fail(
        ErrorCode.Internal,
        `rollup_${dimension.name}: group key ${JSON.stringify(key)} has ${values.length} values, expected ${dimension.keys.length}`,
      );
    if (hasNegative(table, row)) {
      throw fail(
        ErrorCode.Internal,
        `rollup_${dimension.name} group ${JSON.stringify(values)} has negative counts: a record was retracted that was never added`,
      );
    }
    dimension.keys.forEach((def, i) => {
      data[def.name]!.push(values[i]!);
    });
    if (labelName !== null) data[labelName]!.push(labelDistinct ? (table.l?.[row]?.size ?? 0) : topLabel(table.l?.[row]));
    COUNTERS.forEach((name, c) => {
      data[name]!.push(table.n[row * COUNTER_COUNT + c]!);
    });
    METRICS.forEach((metric, m) => {
      for (const p of metric.percentiles)
        data[percentileColumn(metric, p)]!.push(percentileOf(table.q[row * METRIC_COUNT + m]!, p, mapping, 'range' in metric ? metric.range : null));
    });
  });
  for (const name of DERIVED) delete data[name];
  return data;
}

/**
 * Turns a (merged) partial into the rollup tables: one ColumnBatch per rollup, in output order
 * (day, user, platform, connection, subnet, codec, call_type, modality, feedback, then the user
 * group-bys), rows sorted by the key columns (nulls first, strings in code-unit order).
 * The partial must come from the same options; negative counts left after all merges are E_INTERNAL.
 */
export function finalizeRollups(partial: RollupPartial, options: RollupOptions): Array<{ name: string; batch: ColumnBatch }> {
  const resolved = validateRollupOptions(options);
  checkPartial(partial, 'finalized partial');
  const dimensions = dimensionsFor(resolved);
  const hasGroups = [...partial.rollups.values()].some((table) => table.keys.some((_, row) => !isEmptyRow(table, row)));
  if (hasGroups && !sameSettings(partial, resolved)) {
    throw fail(
      ErrorCode.Internal,
      `rollup partial was made with other options (tz ${partial.tz}, group-bys ${JSON.stringify(partial.groupBy)}) than it is finalized with (tz ${resolved.tz}, group-bys ${JSON.stringify(resolved.groupBy)})`,
    );
  }
  const mapping = sketchMapping(resolved.relativeAccuracy);
  const health = healthColumns(resolved.health);
  const share = shareColumns(ratedInRun(partial));
  return dimensions.map((dimension) => {
    const schema = schemaOf(dimension);
    const data = groupColumns(dimension, schema, partial.rollups.get(dimension.name) ?? emptyTable(false), mapping);
    const keyNames = dimension.keys.map((def) => def.name);
    const derived = table(data).derive(RATIOS).derive(health).derive(share);
    const shaped = dimension.ranked
      ? derived.filter(plain((d: Record<string, CellValue>) => keyNames.some((name) => d[name] !== null))).orderby(desc('streams'), ...keyNames)
      : derived.orderby(...keyNames);
    const columns = schema.columns.map((def) => shaped.array(def.name) as CellValue[]);
    return { name: schema.name, batch: { schema, length: shaped.numRows(), columns } };
  });
}

/** A percentile as a rollup writes it: to 4 significant digits (the sketch is accurate to 1%). */
function percentileOf(sketch: Sketch, percent: number, mapping: SketchMapping, range: readonly [number, number] | null): number | null {
  const value = sketchPercentile(sketch, percent, mapping);
  if (value === null) return null;
  // the bucket's value can lie just outside a metric's range (MOS 0.99 for streams at 1): keep it inside
  return significant(range === null ? value : Math.min(range[1], Math.max(range[0], value)));
}
