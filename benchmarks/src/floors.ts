/**
 * The CI floors: ratios far below the targets of issue 6, so that only a real regression fails CI,
 * never a noisy machine. Speeds are compared pair-wise within each round (stats.pairedRatio),
 * never as absolute times. Memory is checked as a bound on peak RSS on an input larger than the
 * bound, which only holds if memory does not grow with the input.
 */
import { pairedRatio, wallTimes } from './stats.js';
import type { DatasetResult, FloorCheck, MemoryCheck, VariantId } from './types.js';
import { datasetLabel } from './describe.js';

export interface Floor {
  readonly variant: VariantId;
  readonly against: VariantId;
  readonly min: number;
  /** Checked only on datasets of at least this many bytes (0: all). */
  readonly minBytes: number;
  readonly why: string;
}

export const FLOORS: readonly Floor[] = [
  // Target: 2x on arrays and pages, 2.5x on NDJSON. Below 1x, using every core loses to a one-line
  // script. Only from 100 MB: below that, process start-up (the report starts worker threads, A
  // starts nothing) decides the ratio, and A is ~0.5 s of work at 40 MB.
  { variant: 'report-csv-all', against: 'baseline-a', min: 1, minBytes: 100e6, why: 'all cores must beat JSON.parse of the whole file (target 2-2.5x)' },
  // Target: 12x. stream-json measured 0.06-0.15x of A, so 3x B is still below A: a collapse, not
  // noise. B is slow enough that start-up does not matter even on small inputs.
  { variant: 'report-csv-all', against: 'baseline-b', min: 3, minBytes: 0, why: 'must stay far ahead of stream-json (target 12x)' },
];

/** Peak RSS bound for every `report` variant on the memory suite (target: under 300 MB at 1 GB of input). */
export const MEMORY_BOUND_MB = 300;

export function checkFloors(results: readonly DatasetResult[], floors: readonly Floor[] = FLOORS): FloorCheck[] {
  const checks: FloorCheck[] = [];
  for (const result of results) {
    for (const floor of floors) {
      if (result.dataset.bytes < floor.minBytes) continue;
      const subject = result.variants.find((v) => v.id === floor.variant);
      const reference = result.variants.find((v) => v.id === floor.against);
      if (subject === undefined || reference === undefined) continue;
      const ratio = pairedRatio(wallTimes(reference.samples), wallTimes(subject.samples));
      // A reference that cannot run at all (A on a file past V8's string limit) is no regression.
      checks.push({ variant: floor.variant, against: floor.against, min: floor.min, why: floor.why, dataset: datasetLabel(result.dataset), ratio, ok: ratio === null || ratio >= floor.min });
    }
  }
  return checks;
}

/** Every run of every report variant stays under the bound (the worst run, not the median). */
export function checkMemory(results: readonly DatasetResult[], boundMb: number = MEMORY_BOUND_MB): MemoryCheck[] {
  const checks: MemoryCheck[] = [];
  for (const result of results) {
    for (const v of result.variants) {
      const peaks = v.samples.flatMap((s) => (s.ok ? [(s.maxRssKb * 1024) / 1e6] : []));
      if (!v.id.startsWith('report-') || peaks.length === 0) continue;
      const maxRssMb = Math.max(...peaks);
      checks.push({ variant: v.id, dataset: datasetLabel(result.dataset), boundMb, maxRssMb, ok: maxRssMb <= boundMb });
    }
  }
  return checks;
}
