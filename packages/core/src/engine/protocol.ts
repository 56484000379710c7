/**
 * The message protocol between the main thread and the workers, in one place. Everything here
 * crosses a structured clone: plain data and transferable buffers only.
 */
import type { RuleSet } from '../quality/index.js';
import type { PackedPartial, RollupOptions } from '../rollup/index.js';
import type { RejectEntry } from '../io/index.js';
import type { IngestProblem, RecordKey } from '../ingest/index.js';
import type { ErrorCode } from '../errors.js';
import type { SitesData } from '../sites/lookup.js';
import type { CellValue } from '../table/schema.js';
import type { LogTableName } from '../table/logs.js';

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
  /** The building file (--buildings), parsed; null when none was given. */
  readonly sites: SitesData | null;
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
  /** The @odata.context of the page the record came from, or null (see RecordSlice.context): it tells a sessions page from a records page. */
  readonly context: string | null;
}

/** Records framed on the main thread, their bytes copied into one buffer. */
export interface BatchTask {
  readonly kind: 'records';
  readonly seq: number;
  readonly buffer: Uint8Array;
  readonly records: readonly BatchRecord[];
  /** +1: count the records in; -1: take them out again (a superseded duplicate's retraction). */
  readonly sign: 1 | -1;
}

/**
 * A byte range of a plain NDJSON file, read and framed by the worker itself, so that the main
 * thread neither reads nor copies the records. The records are the lines that start in
 * [start, end) (a line starts at 0 or after a newline), so consecutive ranges split a file into
 * the same lines, whatever their size, and a line longer than the range is read to its end.
 */
export interface RangeTask {
  readonly kind: 'range';
  readonly seq: number;
  /** What to open (absolute), and the name events and rejects carry. */
  readonly path: string;
  readonly file: string;
  readonly start: number;
  readonly end: number;
  /** Framer settings for the file (see RecordFramer). */
  readonly pages: boolean;
  readonly maxRecordBytes: number;
}

/**
 * The end of a run: calls whose sessions were saved on their own (sessions pages), each with its
 * record's bytes (null: the call is not among the accepted records, its sessions are rejects) and
 * its sessions' bytes, all in one buffer, in input order (see stitch.ts).
 */
export interface StitchTask {
  readonly kind: 'stitch';
  readonly seq: number;
  readonly buffer: Uint8Array;
  readonly calls: readonly StitchCall[];
}

export interface StitchCall {
  readonly callId: string;
  /** The call's record (its winning copy, accepted), or null. */
  readonly record: BatchRecord | null;
  readonly sessions: readonly BatchRecord[];
  /** A sessions page of this call that ends without @odata.nextLink (its last page) was saved. */
  readonly lastPage: boolean;
  /** Why the sessions are rejected when there is no record. */
  readonly orphanReason: string | null;
}

/** What stitching did with one call's saved sessions. */
export interface StitchVerdict {
  /** Sessions merged into the record. */
  readonly merged: number;
  /** Sessions the record (or an earlier saved page) held already, by session id. */
  readonly duplicate: number;
  /** Session rejects among the outcomes (they follow the record's outcome, if any). */
  readonly rejected: number;
}

export type Task = BatchTask | RangeTask | StitchTask;

/** Per record, what it produced: used to drop a superseded record's rows at the end. */
export interface RecordOutcome {
  /** The ledger's ordinal (records tasks); -1 for a range's records, which get theirs at commit. */
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
  /** Accepted, and its sessions were cut (sessions@odata.nextLink). */
  readonly sessionsTruncated: boolean;
  /** Accepted, and it carried no sessions (exported without $expand). */
  readonly sessionsMissing: boolean;
  /** Accepted, and its participants_v2 were cut (participants_v2@odata.nextLink). */
  readonly participantsTruncated: boolean;
  /** Why it was rejected (invalid JSON, schema), when it was. */
  readonly reject: RejectEntry | null;
  /** A valid session whose context names its call: the call's id (it waits to be stitched), else null. */
  readonly sessionOf: string | null;
  /** A call log row (PSTN, Direct Routing) kept for its table: not `accepted` (not a call); null for anything else. */
  readonly log: LogOutcome | null;
}

/**
 * A log row's one row of its table. Whether it is a duplicate (its id seen before) is decided at
 * commit, in input order: its CSV bytes are then written or skipped, its Parquet row kept or dropped.
 */
export interface LogOutcome {
  readonly table: LogTableName;
  /** The row id: the de-duplication key. */
  readonly id: string;
  /** UTF-8 byte length of its CSV text in the batch's CSV of its table. */
  readonly csvBytes: number;
  /** The row's values (redacted when the run redacts), for the log rollups. */
  readonly values: readonly CellValue[];
}

/** A batch's rows of one log table, in the order of its outcomes. */
export interface LogTableResult {
  readonly table: LogTableName;
  readonly csv: Uint8Array;
  readonly ipc: Uint8Array | null;
  readonly rows: number;
}

/** A record a worker framed from a range: what the main thread needs to judge and place it. */
export interface FramedRecord {
  readonly key: RecordKey;
  readonly offset: number;
  readonly length: number;
  /** Record slot in the range (0-based); the main thread adds the slots of the earlier ranges. */
  readonly index: number;
  /** The @odata.context of the page the record came from, or null (see RecordSlice.context): it tells a sessions page from a records page. */
  readonly context: string | null;
}

/** An ingest problem and how many of its batch's (or range's) records come before it in the input. */
export interface PlacedProblem {
  readonly problem: IngestProblem;
  readonly before: number;
}

/** What framing a range found besides records, and where the range really was. */
export interface RangeFraming {
  /** One per outcome, in the same order. */
  readonly records: readonly FramedRecord[];
  /** Problems in input order. */
  readonly problems: readonly PlacedProblem[];
  /** Record slots the range used (records and problems that take a record's place). */
  readonly slots: number;
  /** The lines read: [start, end) in the file. */
  readonly start: number;
  readonly end: number;
  /** Calls whose sessions page (a line) ended without @odata.nextLink: their last page was saved (see stitch.ts). */
  readonly lastSessionPages: readonly string[];
}

export interface BatchResult {
  readonly seq: number;
  /** The rows as CSV, UTF-8: bytes, so that a worker transfers them rather than the main thread copying and encoding text. */
  readonly streamsCsv: Uint8Array;
  readonly callsCsv: Uint8Array;
  /** Arrow IPC stream of the batch's rows, when the context asks for it. */
  readonly streamsIpc: Uint8Array | null;
  readonly callsIpc: Uint8Array | null;
  readonly outcomes: readonly RecordOutcome[];
  /** The log tables' rows of the batch (empty when it held no log row). */
  readonly logTables: readonly LogTableResult[];
  /** The batch's rollup partial, packed for the trip (rollup/packed.ts). */
  readonly partial: PackedPartial;
  /** For a range task: what the worker framed. */
  readonly framing: RangeFraming | null;
  /** For a stitch task: one per call, in order. */
  readonly stitching?: readonly StitchVerdict[];
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

/**
 * A task that threw in a worker, sent back as data in place of its result (an Error's class and
 * code do not survive the structured clone). A CallauditError keeps its code (an input that cannot
 * be read, a write that failed); any other error has code null: a bug.
 */
export interface TaskFailure {
  readonly failure: {
    readonly code: ErrorCode | null;
    readonly message: string;
    readonly file?: string;
    readonly offset?: number;
    readonly stack: string | null;
  };
}
