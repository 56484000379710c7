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

// These floors guard against regressions from where the engine stands today; they are NOT the
// targets of issues 4 and 6 (report with all cores 2-2.5x baseline A, 12x baseline B, under 300 MB),
// which it does not reach: on 2 cores a full report (validate, flatten, score, aggregate, encode)
// still costs ~2x the CPU of A's parse-and-walk per byte (see ARCHITECTURE.md). Measured on the
// 2-core machine at 300 MB (two runs, a noisy shared host): report CSV all cores 0.45-0.90x A on
// NDJSON, 0.49-0.60x on arrays, 0.63x on pages; 3.1-8.9x B; 1.24-1.26x one worker on NDJSON;
// 333-394 MB peak RSS (CSV+Parquet 730-780 MB). Raise a floor whenever the engine gets faster.
export const FLOORS: readonly Floor[] = [
  // Only from 100 MB: below that, process start-up (the report starts worker threads, A starts
  // nothing) decides the ratio, and A is ~0.5 s of work at 40 MB.
  { variant: 'report-csv-all', against: 'baseline-a', min: 0.2, minBytes: 100e6, why: 'regression guard (measured 0.45-0.90x; target 2-2.5x)' },
  // CI measures B at 40 MB only, where the report's start-up (main imports plus two workers,
  // ~1.5 s) still weighs: measured there 0.9-1.8x, and 0.63-0.68x after session 3 added document
  // recognition, 40 more stream columns and 9 rollups; at 300 MB 1.8-7x. In session 4 B itself got
  // faster (stream-json 3.9.0 in its documented chain() form: 7-52% less CPU than 2.1.0, see
  // ARCHITECTURE.md) while the report took 5-8% more CPU at 40 MB (Rate My Call counters, log rows,
  // stitching: 6.6-6.8 s against 6.2-6.4 s, /usr/bin/time, alternating builds): measured 0.41x
  // (arrays) and 0.50x (NDJSON) in the clean-clone CI run. A guard against a collapse.
  {
    variant: 'report-csv-all',
    against: 'baseline-b',
    min: 0.3,
    minBytes: 0,
    why: 'regression guard (measured 0.41-0.50x at 40 MB against stream-json 3.9 in session 4, 0.63-0.68x against 2.1 in session 3; 3.1-8.9x at 300 MB; target 12x)',
  },
  // DuckDB's query of the same job (child/duckdb-sql.ts), measured in the memory suite at 150 MB.
  // Issue 15's target is 0.6x; a guard far below where the engine stands.
  {
    variant: 'report-csv-all',
    against: 'duckdb',
    min: 0.12,
    minBytes: 100e6,
    why: 'regression guard (measured 0.66-0.72x at 150 MB on a host loaded ~10x its cores; the issue measured ~0.3x on a quiet one; target 0.6x)',
  },
];

/**
 * Peak RSS bound for every `report` variant on the memory suite: a regression guard on an input
 * several times larger than the bound could hold if memory grew with input (measured: CSV reports
 * 330-390 MB, CSV+Parquet 730-780 MB, flat from 100 MB to 300 MB; target: under 300 MB at 1 GB).
 */
export const MEMORY_BOUND_MB = 900;

/**
 * Peak RSS bound for the ingest alone (framing + JSON.parse of every record, one thread): issue 2's
 * "a 2 GB dump is read with peak RSS under 300 MB". Measured ~105-115 MB, flat from 40 MB to 300 MB.
 */
export const INGEST_BOUND_MB = 300;

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
      checks.push({
        variant: floor.variant,
        against: floor.against,
        min: floor.min,
        why: floor.why,
        dataset: datasetLabel(result.dataset),
        ratio,
        ok: ratio === null || ratio >= floor.min,
      });
    }
  }
  return checks;
}

/**
 * Every run of every report variant stays under the bound, and the ingest under the ingest bound
 * (the worst run, not the median).
 */
export function checkMemory(results: readonly DatasetResult[], boundMb: number = MEMORY_BOUND_MB, ingestBoundMb: number = INGEST_BOUND_MB): MemoryCheck[] {
  const checks: MemoryCheck[] = [];
  for (const result of results) {
    for (const v of result.variants) {
      const peaks = v.samples.flatMap((s) => (s.ok ? [(s.maxRssKb * 1024) / 1e6] : []));
      const bound = v.id === 'ingest' ? ingestBoundMb : v.id.startsWith('report-') ? boundMb : null;
      if (bound === null || peaks.length === 0) continue;
      const maxRssMb = Math.max(...peaks);
      checks.push({ variant: v.id, dataset: datasetLabel(result.dataset), boundMb: bound, maxRssMb, ok: maxRssMb <= bound });
    }
  }
  return checks;
}
