import type { StreamMetrics } from '../../src/quality/index.js';

/** A stream's metrics with nothing reported; override what a test needs. */
export function metrics(reported: Partial<StreamMetrics> = {}): StreamMetrics {
  return {
    jitterAvgMs: null,
    rttAvgMs: null,
    packetLossAvg: null,
    concealedRatioAvg: null,
    audioDegradationAvg: null,
    packetUtilization: null,
    videoFrameLossPctAvg: null,
    videoFrameRateAvg: null,
    postFecPacketLoss: null,
    audioCodec: null,
    ...reported,
  };
}

/** A typical healthy Teams audio stream of a few minutes (opus-like codec, wired network). */
export const HEALTHY_AUDIO = metrics({
  jitterAvgMs: 4,
  rttAvgMs: 38,
  packetLossAvg: 0.0012,
  concealedRatioAvg: 0.011,
  audioDegradationAvg: 0.08,
  packetUtilization: 9_412,
  audioCodec: 'satin',
});

/** The next double above / below x: "just above" and "just below" a boundary, as tight as it gets. */
export function nextUp(x: number): number {
  return step(x, 1);
}
export function nextDown(x: number): number {
  return step(x, -1);
}
function step(x: number, direction: 1 | -1): number {
  if (x === 0) return direction * Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, bits + BigInt((x > 0 ? 1 : -1) * direction));
  return view.getFloat64(0);
}
