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
  readonly why: string;
}

export const FLOORS: readonly Floor[] = [
  // Target: 2x on arrays and pages, 2.5x on NDJSON. Below 1x, using every core loses to a one-line script.
  { variant: 'report-csv-all', against: 'baseline-a', min: 1, why: 'all cores must beat JSON.parse of the whole file (target 2-2.5x)' },
  // Target: 12x. stream-json measured 0.06-0.15x of A, so 3x B is still below A: a collapse, not noise.
  { variant: 'report-csv-all', against: 'baseline-b', min: 3, why: 'must stay far ahead of stream-json (target 12x)' },
];

/** Peak RSS bound for `report` on the memory-check inputs (target: under 300 MB at 1 GB of input). */
export const MEMORY_BOUND_MB = 300;

export function checkFloors(results: readonly DatasetResult[], floors: readonly Floor[] = FLOORS): FloorCheck[] {
  const checks: FloorCheck[] = [];
  for (const result of results) {
    for (const floor of floors) {
      const subject = result.variants.find((v) => v.id === floor.variant);
      const reference = result.variants.find((v) => v.id === floor.against);
      if (subject === undefined || reference === undefined) continue;
      const ratio = pairedRatio(wallTimes(reference.samples), wallTimes(subject.samples));
      // A reference that cannot run at all (A on a file past V8's string limit) is no regression.
      checks.push({ ...floor, dataset: datasetLabel(result.dataset), ratio, ok: ratio === null || ratio >= floor.min });
    }
  }
  return checks;
}

/** Every run of `variant` stays under the bound (the worst run, not the median). */
export function checkMemory(results: readonly DatasetResult[], variant: VariantId, boundMb: number = MEMORY_BOUND_MB): MemoryCheck[] {
  const checks: MemoryCheck[] = [];
  for (const result of results) {
    const found = result.variants.find((v) => v.id === variant);
    if (found === undefined) continue;
    const peaks = found.samples.flatMap((s) => (s.ok ? [(s.maxRssKb * 1024) / 1e6] : []));
    if (peaks.length === 0) continue;
    const maxRssMb = Math.max(...peaks);
    checks.push({ variant, dataset: datasetLabel(result.dataset), boundMb, maxRssMb, ok: maxRssMb <= boundMb });
  }
  return checks;
}
