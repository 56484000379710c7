/**
 * The quality model's contract. Everything here is plain data (structured-clone safe), so a rule
 * set travels to the workers as it is.
 */

/** What kind of media a stream carries, as classification sees it. */
export type StreamKind = 'audio' | 'video' | 'vbss' | 'appsharing' | 'data' | 'unknown';

export type CqdClass = 'good' | 'poor' | 'unclassified';

/** The thresholds a poor stream can cross, in the order they are reported. */
export const POOR_REASONS = [
  'rtt',
  'packet_loss',
  'jitter',
  'degradation',
  'concealed',
  'frame_loss',
  'frame_rate',
  'post_fec_loss',
] as const;
export type PoorReason = (typeof POOR_REASONS)[number];

/** Why a stream is unclassified. */
export const UNCLASSIFIED_REASONS = ['no_metrics', 'low_packet_utilization', 'app_sharing', 'data', 'unknown_kind'] as const;
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
