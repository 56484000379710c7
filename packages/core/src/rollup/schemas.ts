import type { ColumnDef, TableSchema } from '../table/schema.js';
import type { Dimension } from './dimensions.js';
import { METRICS, percentileColumn } from './partial.js';
import { POOR_REASONS } from '../quality/types.js';

export const int = (name: string, doc: string): ColumnDef => ({ name, type: 'int', doc });
export const float = (name: string, doc: string): ColumnDef => ({ name, type: 'float', doc });
const text = (name: string, doc: string): ColumnDef => ({ name, type: 'string', doc });
const bool = (name: string, doc: string): ColumnDef => ({ name, type: 'bool', doc });

/** The measure columns every rollup table has after its key columns. */
export const MEASURE_COLUMNS: readonly ColumnDef[] = [
  int('streams', 'Streams in the group.'),
  int('classified', 'Streams classified good or poor (any modality).'),
  int('poor', 'Streams classified poor.'),
  float('poor_pct', 'Poor streams in percent of classified streams (0..100); empty when none classified.'),
  ...POOR_REASONS.map((reason) => int(`reason_${reason}`, `Poor streams that crossed the ${reason} threshold (a stream can cross several).`)),
  ...METRICS.flatMap((metric) =>
    metric.percentiles.map((p) =>
      float(
        percentileColumn(metric, p),
        `Nearest-rank ${p}${p === 1 ? 'st' : 'th'} percentile of ${metric.column} (${metric.what}) over the group's streams that report it, within the sketch's relative accuracy; empty when none do.`,
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
  int('audio_classified', 'Audio streams classified good or poor.'),
  int('audio_poor', 'Audio streams classified poor.'),
  float(
    'audio_poor_pct',
    'audio_poor in percent of audio_classified (0..100): the figure health and the poor-stream target judge; empty when none classified.',
  ),
  int(
    'inside_corp_streams',
    'Streams whose endpoints in the group are all inside corp (building file InsideCorp 1); the inside-corp targets apply when this equals streams.',
  ),
  text(
    'health',
    "healthy, degraded (audio_poor_pct at or above the rule set's degraded_pct, default 5), critical (at or above critical_pct, default 20), or insufficient (fewer than min_classified_audio classified audio streams, default 30).",
  ),
  float('poor_target_pct', 'CQD target for audio_poor_pct: 2 inside corp (every stream of the group inside corp), else 3.'),
  float('setup_failure_target_pct', 'CQD target for setup_failure_pct: 0.5 inside corp, else 1.'),
  float('drop_target_pct', 'CQD target for drop_pct: 2 inside corp, else 3.'),
  bool(
    'meets_targets',
    'audio_poor_pct, setup_failure_pct and drop_pct all at or below their targets (an empty figure meets its target); empty when health is insufficient.',
  ),
  int(
    'feedback_endpoints',
    'Rate My Call: endpoints (a side of a session) in the group that gave feedback: a rating of any value (notRated included) or a token; each once.',
  ),
  int('rated', 'Of those, endpoints that rated the call bad, poor, fair, good or excellent.'),
  int('rated_poor', 'Of those, ratings of 1 or 2 stars (bad, poor): CQD poor ratings.'),
  float('rated_poor_pct', 'rated_poor in percent of rated (0..100); empty when none rated.'),
  int('rating_stars', 'Sum of the stars of the ratings (bad 1 .. excellent 5), so mean_rating can be recomputed over summed rows.'),
  float('mean_rating', 'rating_stars / rated: the mean rating in stars (1..5); empty when none rated.'),
  float(
    'rated_share_pct',
    "rated in percent of all the run's rated endpoints (0..100; in rollup_feedback_token the share of rated endpoints that reported the token); empty when the run has none.",
  ),
  int('rated_audio_poor', 'Rated endpoints with a poor audio stream in the group (a rating against a measured poor stream).'),
  int(
    'rated_audio_good',
    'Rated endpoints whose classified audio streams in the group are all good (at least one): e.g. bad ratings on streams measured good.',
  ),
];

export function rollupTableName(dimension: Dimension): string {
  return `rollup_${dimension.name}`;
}

export function schemaOf(dimension: Dimension): TableSchema {
  const label = dimension.source === 'stream' && dimension.label ? [dimension.label.def] : [];
  return { name: rollupTableName(dimension), columns: [...dimension.keys, ...label, ...MEASURE_COLUMNS] };
}
