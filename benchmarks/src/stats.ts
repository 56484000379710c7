/** Medians and pair-wise ratios: pure functions over the samples. */
import type { Medians, Sample } from './types.js';

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Wall time of each round, null where the variant could not run. */
export function wallTimes(samples: readonly Sample[]): Array<number | null> {
  return samples.map((s) => (s.ok ? s.wallMs : null));
}

/**
 * Speed of `subject` relative to `reference` (>1: subject is faster): per round, reference time
 * over subject time, both measured in the same round; then the median of those ratios. Rounds
 * where either could not run are left out; null when no round has both.
 */
export function pairedRatio(reference: ReadonlyArray<number | null>, subject: ReadonlyArray<number | null>): number | null {
  const ratios: number[] = [];
  const rounds = Math.min(reference.length, subject.length);
  for (let i = 0; i < rounds; i++) {
    const ref = reference[i];
    const sub = subject[i];
    if (ref != null && sub != null && sub > 0) ratios.push(ref / sub);
  }
  return ratios.length === 0 ? null : median(ratios);
}

/** Medians of the runs that ran; throughputs from the median wall time. MB are 10^6 bytes. */
export function medians(samples: readonly Sample[], jsonBytes: number): Medians | null {
  const ok = samples.filter((s): s is Extract<Sample, { ok: true }> => s.ok);
  if (ok.length === 0) return null;
  const wallMs = median(ok.map((s) => s.wallMs));
  const seconds = wallMs / 1000;
  return {
    wallMs,
    mbPerSec: jsonBytes / 1e6 / seconds,
    recordsPerSec: ok[0]!.records === null ? null : ok[0]!.records / seconds,
    streamsPerSec: ok[0]!.streams / seconds,
    maxRssMb: (median(ok.map((s) => s.maxRssKb)) * 1024) / 1e6,
    cpuSeconds: ok.some((s) => s.cpuMs === undefined) ? null : median(ok.map((s) => s.cpuMs!)) / 1000,
  };
}
