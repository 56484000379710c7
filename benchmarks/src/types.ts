/** The harness's data: what is measured, on what, and what came out. */

export const FORMATS = ['array', 'page', 'ndjson'] as const;
export type Format = (typeof FORMATS)[number];

export const VARIANT_IDS = [
  'baseline-a',
  'baseline-b',
  'duckdb',
  'ingest',
  'report-csv-1',
  'report-csv-all',
  'report-parquet-1',
  'report-parquet-all',
] as const;
export type VariantId = (typeof VARIANT_IDS)[number];

export interface DatasetSpec {
  readonly format: Format;
  readonly gzip: boolean;
  /** Target size of the JSON text in bytes (before gzip). */
  readonly bytes: number;
  readonly seed: number;
}

export interface Dataset extends DatasetSpec {
  readonly path: string;
  /** Size of the file on disk (compressed when gzip). */
  readonly fileBytes: number;
  /** Size of the JSON text: what MB/s is computed from. */
  readonly jsonBytes: number;
}

/**
 * One run of one variant. `ok: false` when the variant cannot handle the input by design.
 * `records: null`: the variant counts stream rows only (DuckDB's query has no record count).
 */
export type Sample =
  | {
      readonly ok: true;
      readonly wallMs: number;
      readonly maxRssKb: number;
      readonly cpuMs?: number;
      readonly records: number | null;
      readonly streams: number;
    }
  | { readonly ok: false; readonly reason: string };

export interface Medians {
  readonly wallMs: number;
  readonly mbPerSec: number;
  /** Null when the variant counts no records. */
  readonly recordsPerSec: number | null;
  readonly streamsPerSec: number;
  readonly maxRssMb: number;
  /** Median CPU time (all threads) in seconds; null when no run reported it. */
  readonly cpuSeconds: number | null;
}

export interface Ratios {
  /** Speed relative to baseline A (>1: faster), median of per-round ratios. */
  readonly toA: number | null;
  readonly toB: number | null;
  /** Speed relative to the DuckDB query (baseline D). */
  readonly toDuckdb: number | null;
  /** For an all-cores report: speed relative to the same report with one worker. */
  readonly toOneWorker: number | null;
}

export interface VariantResult {
  readonly id: VariantId;
  /** One entry per round, in round order. */
  readonly samples: readonly Sample[];
  readonly medians: Medians | null;
  readonly ratios: Ratios;
  /** Why every run was unsupported, when none ran. */
  readonly unsupported: string | null;
}

export interface DatasetResult {
  readonly dataset: Dataset;
  readonly records: number;
  readonly streams: number;
  readonly variants: readonly VariantResult[];
}

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly node: string;
  readonly platform: string;
}

export interface FloorCheck {
  readonly variant: VariantId;
  readonly against: VariantId;
  readonly dataset: string;
  readonly min: number;
  readonly ratio: number | null;
  readonly ok: boolean;
  readonly why: string;
}

export interface MemoryCheck {
  readonly variant: VariantId;
  readonly dataset: string;
  readonly boundMb: number;
  readonly maxRssMb: number;
  readonly ok: boolean;
}

export interface BenchReport {
  readonly title: string;
  /** How to reproduce it: the command line. */
  readonly command: string;
  /** The commit measured (see machine.describeRevision). */
  readonly revision: string | null;
  readonly machine: Machine;
  readonly startedAt: string;
  readonly datasets: readonly DatasetResult[];
  readonly floors: readonly FloorCheck[];
  readonly memory: readonly MemoryCheck[];
  readonly notes: readonly string[];
}
