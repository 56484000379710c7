/**
 * The quality model's contract. Everything here is plain data (structured-clone safe), so a rule
 * set travels to the workers as it is.
 */

/** What kind of media a stream carries, as classification sees it. */
export const STREAM_KINDS = ['audio', 'video', 'vbss', 'appsharing', 'data', 'unknown'] as const;
export type StreamKind = (typeof STREAM_KINDS)[number];

export type CqdClass = 'good' | 'poor' | 'unclassified';

/** The thresholds a poor stream can cross, in the order they are reported. */
export const POOR_REASONS = ['rtt', 'packet_loss', 'jitter', 'degradation', 'concealed', 'frame_loss', 'frame_rate', 'post_fec_loss'] as const;
export type PoorReason = (typeof POOR_REASONS)[number];

/**
 * Why a stream is unclassified. `gate_not_met` is only given by a custom rule set whose gate is on
 * another metric than packet utilization (the built-in gate gives `low_packet_utilization`).
 */
export const UNCLASSIFIED_REASONS = ['no_metrics', 'low_packet_utilization', 'app_sharing', 'data', 'unknown_kind', 'gate_not_met'] as const;
export type UnclassifiedReason = (typeof UNCLASSIFIED_REASONS)[number];

/**
 * The metrics classification and scoring read, already in the units of the streams table
 * (milliseconds, fractions 0..1, percent 0..100 for frame loss). `null` means "not reported",
 * which is never the same as 0.
 */
export interface StreamMetrics {
  readonly jitterAvgMs: number | null;
  readonly rttAvgMs: number | null;
  readonly packetLossAvg: number | null;
  readonly concealedRatioAvg: number | null;
  readonly audioDegradationAvg: number | null;
  readonly packetUtilization: number | null;
  readonly videoFrameLossPctAvg: number | null;
  readonly videoFrameRateAvg: number | null;
  readonly postFecPacketLoss: number | null;
  readonly audioCodec: string | null;
}

export interface Classification {
  readonly cls: CqdClass;
  /** poor: every reason crossed (POOR_REASONS order); unclassified: one reason; good: empty. */
  readonly reasons: readonly string[];
}

export interface EModelScore {
  readonly rFactor: number;
  readonly mos: number;
}

/**
 * The metrics a rule can name, spelled as the streams table columns that hold them (so a rule file
 * reads like the report it explains).
 */
export const RULE_METRICS = [
  'packet_utilization',
  'rtt_avg_ms',
  'packet_loss_avg',
  'jitter_avg_ms',
  'audio_degradation_avg',
  'concealed_ratio_avg',
  'video_frame_loss_pct_avg',
  'video_frame_rate_avg',
  'post_fec_packet_loss',
] as const;
export type RuleMetric = (typeof RULE_METRICS)[number];

export const COMPARISONS = ['>', '<', '>=', '<='] as const;
export type Comparison = (typeof COMPARISONS)[number];

/**
 * How a kind's thresholds combine:
 * - `any`: poor when any reported metric crosses its threshold; every crossing is a reason.
 * - `first_available`: the first threshold whose metric is reported decides alone (CQD video).
 */
export const RULE_MODES = ['any', 'first_available'] as const;
export type RuleMode = (typeof RULE_MODES)[number];

/** A test on one metric: `metric comparison value`, e.g. packet_utilization > 500. */
export interface RuleCondition {
  readonly metric: RuleMetric;
  readonly comparison: Comparison;
  readonly value: number;
}

/** A threshold: when its condition holds, the stream is poor for `reason`. */
export interface RuleThreshold extends RuleCondition {
  readonly reason: PoorReason;
}

/** The rules of one stream kind. */
export interface KindRules {
  readonly mode: RuleMode;
  /** Must hold (with its metric reported) before the stream is classified at all; null: no gate. */
  readonly gate: RuleCondition | null;
  readonly thresholds: readonly RuleThreshold[];
}

/** The kinds a rule set classifies; the others are always unclassified. */
export const CLASSIFIED_KINDS = ['audio', 'video', 'vbss'] as const;
export type ClassifiedKind = (typeof CLASSIFIED_KINDS)[number];

/**
 * Health of a rollup group from its poor rate over classified audio streams: `insufficient` below
 * `min_classified_audio`, else `critical` at or above `critical_pct`, `degraded` at or above
 * `degraded_pct`, else `healthy`.
 */
export interface HealthRules {
  readonly degraded_pct: number;
  readonly critical_pct: number;
  readonly min_classified_audio: number;
}

export const HEALTH_STATES = ['healthy', 'degraded', 'critical', 'insufficient'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** The built-in sets' health thresholds, and a rule file's when it has no `health` block. */
export const DEFAULT_HEALTH: HealthRules = Object.freeze({ degraded_pct: 5, critical_pct: 20, min_classified_audio: 30 });

/**
 * CQD's published targets (Microsoft's Quality of Experience Review guide), in percent: inside corp
 * (every endpoint of the streams judged on a building-file range with InsideCorp 1) and overall.
 */
export const CQD_TARGETS = Object.freeze({
  audio_poor_pct: Object.freeze({ insideCorp: 2, overall: 3 }),
  setup_failure_pct: Object.freeze({ insideCorp: 0.5, overall: 1 }),
  drop_pct: Object.freeze({ insideCorp: 2, overall: 3 }),
});
export type TargetFigure = keyof typeof CQD_TARGETS;

/** part / whole is at most pct percent, in exact arithmetic (no rounding at the boundary); nothing to judge meets it. */
export const withinTarget = (part: number, whole: number, pct: number): boolean => whole <= 0 || 100 * part <= pct * whole;

/** A rule set as plain JSON data: the built-in sets and custom rule files share this shape. */
export interface RuleSet {
  readonly name: string;
  readonly description: string;
  readonly audio: KindRules;
  readonly video: KindRules;
  readonly vbss: KindRules;
  readonly health: HealthRules;
}

/**
 * Rate My Call: the stars of a userFeedback rating (bad 1 .. excellent 5). notRated,
 * unknownFutureValue and any other value are no rating.
 */
export const RATING_STARS: ReadonlyMap<string, number> = new Map([
  ['bad', 1],
  ['poor', 2],
  ['fair', 3],
  ['good', 4],
  ['excellent', 5],
]);

/** CQD's poor rating: 1 or 2 stars (bad, poor). */
export const POOR_RATING_MAX_STARS = 2;
