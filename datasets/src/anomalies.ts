/**
 * The poor-stream reasons the generator injects, with their thresholds (reference doc §3). Untouched
 * metrics always stay on the good side of every threshold, so the share of streams crossing a
 * threshold is the injected share: tests and benchmarks can rely on it.
 */
import { POOR_REASONS } from '../../packages/core/src/quality/types.js';

/** core's poor reasons (same names, same order), plus low packet utilization (CQD: unclassified). */
export const ANOMALIES = [...POOR_REASONS, 'low_packet_utilization'] as const;
export type Anomaly = (typeof ANOMALIES)[number];

/** These apply to main-video and applicationsharing-video streams; the others to main-audio. */
export const VIDEO_ANOMALIES: readonly Anomaly[] = ['frame_loss', 'frame_rate', 'post_fec_loss'];

/** Share of eligible streams that cross each threshold, by default. */
export const DEFAULT_POOR_SHARES: Readonly<Record<Anomaly, number>> = {
  rtt: 0.01,
  packet_loss: 0.01,
  jitter: 0.012,
  degradation: 0.01,
  concealed: 0.01,
  frame_loss: 0.02,
  frame_rate: 0.02,
  post_fec_loss: 0.02,
  low_packet_utilization: 0.03,
};

/** The thresholds, in the JSON's units converted to ms / fractions / percent / fps / packets. */
export const THRESHOLDS = {
  rttMs: 500,
  packetLoss: 0.1,
  jitterMs: 30,
  degradation: 1,
  concealed: 0.07,
  frameLossPct: 50,
  videoFrameRate: 7,
  vbssFrameRate: 2,
  postFecLoss: 0.15,
  packetUtilization: 500,
} as const;

/**
 * How much likelier an anomaly is on a given network, relative to the average stream. The weights
 * are normalised by NETWORK_WEIGHT_MEAN (the mean weight under the default network mix, measured)
 * so the overall share stays near the configured one while 2.4 GHz Wi-Fi and the bad site stand out.
 */
export const NETWORK_WEIGHTS = {
  wired: 0.5,
  wifi50: 1,
  wifi24: 2.2,
  mobile: 1.8,
  tunnel: 1.4,
  other: 1,
  badSite: 2.5,
} as const;

/** Mean of NETWORK_WEIGHTS over the streams of the default mix (measured with `pnpm gen`'s generator). */
export const NETWORK_WEIGHT_MEAN = 1.2;
