import type { ColumnDef, TableSchema } from '../table/schema.js';
import type { Dimension } from './dimensions.js';
import { METRICS, PERCENTILES } from './partial.js';
import { POOR_REASONS } from '../quality/types.js';

const int = (name: string, doc: string): ColumnDef => ({ name, type: 'int', doc });
const float = (name: string, doc: string): ColumnDef => ({ name, type: 'float', doc });

/** The measure columns every rollup table has after its key columns. */
export const MEASURE_COLUMNS: readonly ColumnDef[] = [
  int('streams', 'Streams in the group.'),
  int('classified', 'Streams classified good or poor (any modality).'),
  int('poor', 'Streams classified poor.'),
  float('poor_pct', 'Poor streams in percent of classified streams (0..100); empty when none classified.'),
  ...POOR_REASONS.map((reason) => int(`reason_${reason}`, `Poor streams that crossed the ${reason} threshold (a stream can cross several).`)),
  ...METRICS.flatMap((metric) =>
    PERCENTILES.map((p) => float(`${metric.prefix}_p${p}${metric.unit}`, `Nearest-rank ${p}th percentile of ${metric.column} (${metric.what}) over the group's streams that report it, within the sketch's relative accuracy; empty when none do.`)),
  ),
  int('calls', 'Calls with at least one stream in the group (for day, call_type and feedback: the calls of that group, with or without streams); each call once.'),
  int('classified_calls', 'Of those, calls with a classified audio stream in the group.'),
  int('poor_calls', 'Of those, calls with a poor audio stream in the group.'),
  float('poor_call_pct', 'poor_calls in percent of classified_calls (0..100); empty when 0.'),
  int('setup_failures', 'Calls with a failureInfo of stage callSetup.'),
  float('setup_failure_rate', 'setup_failures / calls, fraction 0..1; empty when no calls.'),
  int('established_calls', 'Calls that were set up: no callSetup failure, or a midcall failure (a drop implies the call was up).'),
  int('drops', 'Calls with a failureInfo of stage midcall.'),
  float('drop_rate', 'drops / established_calls, fraction 0..1; empty when 0.'),
];

export function rollupTableName(dimension: Dimension): string {
  return `rollup_${dimension.name}`;
}

export function schemaOf(dimension: Dimension): TableSchema {
  const label = dimension.source === 'stream' && dimension.label ? [dimension.label.def] : [];
  return { name: rollupTableName(dimension), columns: [...dimension.keys, ...label, ...MEASURE_COLUMNS] };
}
