import type { Comparison, RuleCondition, RuleMetric, StreamMetrics } from './types.js';

export interface MetricInfo {
  /** Where the value is in StreamMetrics. */
  readonly field: keyof StreamMetrics;
  readonly unit: string;
  /** Which direction is better quality; null for a metric that is not a quality measure. */
  readonly better: 'lower' | 'higher' | null;
}

/** What each rule metric reads and in which unit (the streams table units). */
export const METRIC_INFO: Readonly<Record<RuleMetric, MetricInfo>> = {
  packet_utilization: { field: 'packetUtilization', unit: 'packets', better: null },
  rtt_avg_ms: { field: 'rttAvgMs', unit: 'ms', better: 'lower' },
  packet_loss_avg: { field: 'packetLossAvg', unit: 'fraction 0..1', better: 'lower' },
  jitter_avg_ms: { field: 'jitterAvgMs', unit: 'ms', better: 'lower' },
  audio_degradation_avg: { field: 'audioDegradationAvg', unit: 'MOS points', better: 'lower' },
  concealed_ratio_avg: { field: 'concealedRatioAvg', unit: 'fraction 0..1', better: 'lower' },
  video_frame_loss_pct_avg: { field: 'videoFrameLossPctAvg', unit: 'percent 0..100', better: 'lower' },
  video_frame_rate_avg: { field: 'videoFrameRateAvg', unit: 'frames/s', better: 'higher' },
  post_fec_packet_loss: { field: 'postFecPacketLoss', unit: 'fraction 0..1', better: 'lower' },
};

/**
 * The value of a rule metric, or null when it is not reported. NaN counts as not reported (it can
 * only come from a broken conversion); anything else, 0 included, is a reported value.
 */
export function metricValue(metrics: StreamMetrics, metric: RuleMetric): number | null {
  const value = metrics[METRIC_INFO[metric].field];
  return typeof value === 'number' && !Number.isNaN(value) ? value : null;
}

export function compare(value: number, comparison: Comparison, limit: number): boolean {
  switch (comparison) {
    case '>':
      return value > limit;
    case '<':
      return value < limit;
    case '>=':
      return value >= limit;
    case '<=':
      return value <= limit;
  }
}

/** True when the condition's metric is reported and the condition holds. */
export function holds(metrics: StreamMetrics, condition: RuleCondition): boolean {
  const value = metricValue(metrics, condition.metric);
  return value !== null && compare(value, condition.comparison, condition.value);
}
