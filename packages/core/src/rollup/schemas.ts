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
    PERCENTILES.map((p) =>
      float(
        `${metric.prefix}_p${p}${metric.unit}`,
        `Nearest-rank ${p}th percentile of ${metric.column} (${metric.what}) over the group's streams that report it, within the sketch's relative accuracy; empty when none do.`,
      ),
    ),
  ),
  int(
    'calls',
    'Calls with at least one stream in the group (for day, call_type and feedback: the calls of that group, with or without streams); each call once.',
  ),
  int('classified_calls', 'Of those, calls with a classified audio stream in the group.'),
  int('poor_calls', 'Of those, calls with a poor audio stream in the group.'),
  float('poor_call_pct', 'poor_calls in percent of classified_calls (0..100); empty when 0.'),
  int('setup_failures', 'Calls with a failureInfo of stage callSetup.'),
  float('call_setup_failure_pct', 'setup_failures in percent of calls (0..100); empty when no calls.'),
  int('established_calls', 'Calls that were set up: no callSetup failure, or a midcall failure (a drop implies the call was up).'),
  int('drops', 'Calls with a failureInfo of stage midcall.'),
  float('call_drop_pct', 'drops in percent of established_calls (0..100); empty when 0.'),
  int('setup_failed_streams', 'Streams whose segment (else session) failureInfo has stage callSetup (CQD: call setup failed streams).'),
  float(
    'setup_failure_pct',
    'CQD setup failure rate: setup_failed_streams in percent of streams (every stream has its call detail record here), 0..100; empty when no streams.',
  ),
  int('dropped_streams', 'Streams whose segment (else session) failureInfo has stage midcall (CQD: call dropped streams).'),
  float('drop_pct', 'CQD drop failure rate: dropped_streams in percent of setup-succeeded streams (streams - setup_failed_streams), 0..100; empty when none.'),
];

export function rollupTableName(dimension: Dimension): string {
  return `rollup_${dimension.name}`;
}

export function schemaOf(dimension: Dimension): TableSchema {
  const label = dimension.source === 'stream' && dimension.label ? [dimension.label.def] : [];
  return { name: rollupTableName(dimension), columns: [...dimension.keys, ...label, ...MEASURE_COLUMNS] };
}
