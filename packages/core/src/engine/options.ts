/** Options of a report run, and their validation (messages name the option). */
import { fail, ErrorCode } from '../errors.js';
import type { InputFormat } from '../ingest/index.js';
import type { RuleSet } from '../quality/index.js';
import { STREAM_KINDS } from '../quality/types.js';

/** csv, parquet, json: the tables; html: report.html, one self-contained page of the summary and rollups. */
export type OutputFormat = 'csv' | 'parquet' | 'json' | 'html';
export type TableName = 'streams' | 'calls' | 'rollups';

export interface Progress {
  /** Raw bytes consumed from the inputs so far, and their total size when known. */
  readonly bytesRead: number;
  readonly bytesTotal: number | null;
  readonly records: number;
  readonly elapsedMs: number;
  readonly file: string | null;
}

export interface ReportOptions {
  /** Files, folders, globs; '-' reads standard input. */
  readonly inputs: readonly string[];
  /** Globs of the files read when walking an input folder (default: JSON, NDJSON, JSON Lines, and their .gz; see expandInputs). */
  readonly include?: readonly string[];
  /** Globs of the files not read when walking an input folder. */
  readonly exclude?: readonly string[];
  /** Output folder; omit to compute the summary only (no files). */
  readonly out?: string;
  /** Replace an existing output folder. */
  readonly force?: boolean;
  /** Default DEFAULT_FORMATS (csv, parquet, html). */
  readonly formats?: readonly OutputFormat[];
  /** Which tables to write (default: all). Rejects and summary.json are always written. */
  readonly tables?: readonly TableName[];
  /** 'cqd' (default), 'cqd-classic', a rule file path, or a rule set object. */
  readonly rules?: string | RuleSet;
  /** Worker threads; 0 runs inline. Default: the machine's cores. */
  readonly workers?: number;
  readonly groupBy?: readonly (readonly string[])[];
  readonly tz?: string;
  /** Keep calls that start in [since, until). */
  readonly since?: Date;
  readonly until?: Date;
  readonly modalities?: readonly string[];
  readonly inputFormat?: InputFormat;
  readonly maxRecordBytes?: number;
  /** Write CSV text cells as they are (no spreadsheet-formula neutralization). */
  readonly csvRaw?: boolean;
  /** Key for keyed pseudonymization of personal columns. */
  readonly redactKey?: Uint8Array;
  /** A CQD building file (sites/buildings.ts): streams gain per-side building columns. */
  readonly buildings?: string;
  /** An access point CSV (sites/access-points.ts): streams gain per-side access point columns. */
  readonly accessPoints?: string;
  /** Target input bytes per batch sent to a worker (default 1 MiB). */
  readonly batchBytes?: number;
  /**
   * Let the workers read plain (not gzip) NDJSON files themselves, a byte range each (default
   * true): the main thread then reads and copies nothing. false: the main thread frames every
   * input. Results are the same either way, but for one case: a rejected copy of an id stays in
   * the rejects when a later copy wins (false: it counts as a duplicate if it had not left for a
   * worker yet).
   */
  readonly workerReads?: boolean;
  /** Rows per Parquet part file (default 250,000). */
  readonly partRows?: number;
  /**
   * Heap limit of each worker thread, in MB (V8's old generation; default 2048). A worker that
   * needs more dies alone (not the whole process): its batch is retried once on a fresh worker,
   * then its records are `worker_failed` rejects.
   */
  readonly workerHeapMb?: number;
  readonly stdin?: NodeJS.ReadableStream;
  readonly cwd?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: Progress) => void;
  /** How often onProgress is called, at most (ms; default 500). */
  readonly progressIntervalMs?: number;
}

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['csv', 'parquet', 'json', 'html'];
/** The formats written when none are given. */
export const DEFAULT_FORMATS: readonly OutputFormat[] = ['csv', 'parquet', 'html'];
const TABLES: readonly TableName[] = ['streams', 'calls', 'rollups'];

export function checkReportOptions(options: ReportOptions): void {
  if (options.inputs.length === 0) throw fail(ErrorCode.Usage, 'no inputs given');
  const workers = options.workers;
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 0 || workers > 256)) {
    throw fail(ErrorCode.Usage, `options.workers must be an integer from 0 to 256 (got ${String(workers)})`);
  }
  for (const format of options.formats ?? []) {
    if (!OUTPUT_FORMATS.includes(format)) throw fail(ErrorCode.Usage, `options.formats: unknown format "${format}" (expected ${OUTPUT_FORMATS.join(', ')})`);
  }
  for (const kind of options.modalities ?? []) {
    if (!(STREAM_KINDS as readonly string[]).includes(kind))
      throw fail(ErrorCode.Usage, `options.modalities: unknown stream kind "${kind}" (expected ${STREAM_KINDS.join(', ')})`);
  }
  for (const table of options.tables ?? []) {
    if (!TABLES.includes(table)) throw fail(ErrorCode.Usage, `options.tables: unknown table "${table}" (expected ${TABLES.join(', ')})`);
  }
  const positive = (name: string, value: number | undefined): void => {
    if (value !== undefined && (!Number.isFinite(value) || value <= 0)) throw fail(ErrorCode.Usage, `options.${name} must be a positive number (got ${value})`);
  };
  positive('maxRecordBytes', options.maxRecordBytes);
  positive('batchBytes', options.batchBytes);
  positive('partRows', options.partRows);
  positive('workerHeapMb', options.workerHeapMb);
  for (const [name, date] of [
    ['since', options.since],
    ['until', options.until],
  ] as const) {
    if (date !== undefined && Number.isNaN(date.getTime())) throw fail(ErrorCode.Usage, `options.${name} is not a valid date`);
  }
  if (options.since && options.until && options.since.getTime() >= options.until.getTime()) {
    throw fail(ErrorCode.Usage, 'options.since must be before options.until');
  }
  if (options.redactKey !== undefined && options.redactKey.byteLength < 16) {
    throw fail(ErrorCode.Usage, 'the redaction key must be at least 16 bytes');
  }
}
