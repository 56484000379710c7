/**
 * The message protocol between the main thread and the workers, in one place. Everything here
 * crosses a structured clone: plain data and transferable buffers only.
 */
import type { RuleSet } from '../quality/index.js';
import type { RollupOptions, RollupPartial } from '../rollup/index.js';
import type { RejectEntry } from '../io/index.js';

/** Settings every batch of a run shares; given to each worker once, as workerData. */
export interface BatchContext {
  readonly rules: RuleSet;
  readonly rollup: RollupOptions;
  /** Which encodings the writers want back. */
  readonly csv: boolean;
  readonly csvRaw: boolean;
  readonly ipc: boolean;
  /** Keep only calls whose start is in [since, until) (ms since epoch); null = open. */
  readonly since: number | null;
  readonly until: number | null;
  /** Keep only stream rows of these modalities; null = all. */
  readonly modalities: readonly string[] | null;
  /** Keyed pseudonymization of personal columns, or null. */
  readonly redactKey: Uint8Array | null;
}

/** One record's place in a batch buffer, with its provenance. */
export interface BatchRecord {
  /** Ordinal of the record in the whole run (input order). */
  readonly ordinal: number;
  readonly file: string;
  readonly offset: number;
  readonly index: number;
  /** Byte range of the record's JSON text in the batch buffer. */
  readonly start: number;
  readonly end: number;
}

export interface BatchTask {
  readonly seq: number;
  readonly buffer: Uint8Array;
  readonly records: readonly BatchRecord[];
  /** +1: count the records in; -1: take them out again (a superseded duplicate's retraction). */
  readonly sign: 1 | -1;
}

/** Per record, what it produced: used to drop a superseded record's rows at the end. */
export interface RecordOutcome {
  readonly ordinal: number;
  readonly accepted: boolean;
  /** Rows this record produced in each table (0 when rejected or filtered out). */
  readonly streamRows: number;
  readonly callRows: number;
  /** UTF-8 byte length of its CSV text in each table. */
  readonly streamCsvBytes: number;
  readonly callCsvBytes: number;
  /** Filtered out by --since/--until (not an error, not counted as accepted). */
  readonly filtered: boolean;
}

export interface BatchResult {
  readonly seq: number;
  readonly streamsCsv: string;
  readonly callsCsv: string;
  /** Arrow IPC stream of the batch's rows, when the context asks for it. */
  readonly streamsIpc: Uint8Array | null;
  readonly callsIpc: Uint8Array | null;
  readonly outcomes: readonly RecordOutcome[];
  readonly rejects: readonly RejectEntry[];
  readonly partial: RollupPartial;
  readonly sessionsTruncated: number;
}

/** Encode one Parquet part file from a spool of Arrow IPC streams, leaving out some rows. */
export interface PartTask {
  /** The spool file: IPC streams one after another, each prefixed by its byte length (uint32 LE). */
  readonly spool: string;
  readonly target: string;
  /** Row ranges [start, end) relative to the part's first row to leave out (superseded records). */
  readonly drop: ReadonlyArray<readonly [number, number]>;
  /** Which table the rows belong to, and how many rows the spool holds. */
  readonly table: string;
  readonly rows: number;
}
