/**
 * The ingest contract: what the readers hand to the engine. Everything here is plain data.
 */

/** How to frame an input: 'auto' sniffs the start of each file; an explicit format overrides it. */
export type InputFormat = 'auto' | 'json' | 'ndjson';

/** A record's top-level scalars, read while framing (null when absent or not of the JSON type). */
export interface RecordKey {
  /** Top-level "id" when it is a JSON string. */
  id: string | null;
  /** Top-level "version" when it is a JSON number. */
  version: number | null;
  /** Top-level "lastModifiedDateTime" when it is a JSON string (kept raw). */
  lastModified: string | null;
  /**
   * How complete the record is, counted while framing (duplicates with the same version and
   * lastModifiedDateTime keep the most complete): objects in the top-level "sessions" array (null
   * when it is absent or not an array; the last "sessions" key counts, as in JSON.parse), objects in
   * arrays that are members of those sessions (segments), and objects in arrays that are members of
   * objects in arrays that are members of those segments (segment.media[].streams[]).
   */
  sessions: number | null;
  segments: number;
  streams: number;
}

export interface RecordSlice {
  /** Exactly the record's JSON text, byte for byte as in the input (after decompression). */
  bytes: Uint8Array;
  /** The input path as given; stdin is shown as '<stdin>'. */
  file: string;
  /** Byte offset of the record's first byte in the file's (decompressed) byte stream. */
  offset: number;
  /** 0-based ordinal of the record slot within its file (problems in record position use one too). */
  index: number;
  key: RecordKey;
  /**
   * The `@odata.context` of the Graph collection page the record is an element of, when the page
   * gives it (a string) before its "value" array; else null (also for a record that is not in a page).
   */
  context: string | null;
}

/** A Graph collection page that closed: what stitching sessions pages needs to know of it. */
export interface PageEnd {
  file: string;
  /** Byte offset just after the page's closing brace. */
  offset: number;
  /** The page's @odata.context (see RecordSlice.context). */
  context: string | null;
  /** The page has an "@odata.nextLink" member (before or after its "value"): it is not its collection's last page. */
  nextLink: boolean;
}

/**
 * - malformed: bytes that are not JSON values between records, or (line mode) a line that ends inside a value.
 * - truncated: the input ends inside a record or a container (or its gzip stream is corrupt).
 * - oversized: a record longer than maxRecordBytes; skipped without being buffered.
 * - empty: the file holds nothing but whitespace (and perhaps a BOM).
 * - not_a_record: a value in record position that is not an object (a scalar, a nested array).
 */
export type ProblemKind = 'malformed' | 'truncated' | 'oversized' | 'empty' | 'not_a_record';

export interface IngestProblem {
  kind: ProblemKind;
  file: string;
  /** Byte offset (decompressed stream) where the problem begins. */
  offset: number;
  /** The record slot's ordinal when the problem takes a record's place, else null. */
  index: number | null;
  reason: string;
  /** Up to 200 bytes of the offending text from `offset` (utf8), never past the problem's own extent. */
  snippet: string;
}

export interface InputInfo {
  file: string;
  /** On-disk size in bytes; null for stdin. */
  bytes: number | null;
  /** True when the input is gzip (detected by its magic bytes, not its name). */
  compressed: boolean;
  format: 'json' | 'ndjson';
}

export type IngestEvent =
  | { type: 'file-start'; info: InputInfo }
  | { type: 'record'; record: RecordSlice }
  | { type: 'problem'; problem: IngestProblem }
  | { type: 'progress'; file: string; bytesRead: number }
  /** Only when ReadOptions.pageEnds asks for them. */
  | { type: 'page-end'; page: PageEnd }
  /** bytesRead: raw (on-disk) bytes; jsonBytes: the text after gunzip (equal for a plain file). */
  | { type: 'file-end'; file: string; bytesRead: number; jsonBytes: number; records: number; sha256: string | null };

export interface ReadOptions {
  format?: InputFormat;
  /** Longest record accepted, in bytes; default 256 MiB. */
  maxRecordBytes?: number;
  /** Compute the sha256 of each file's raw (on-disk) bytes, given in file-end. */
  hash?: boolean;
  /** What '-' reads; default process.stdin. */
  stdin?: NodeJS.ReadableStream;
  /** Base for relative inputs; default process.cwd(). */
  cwd?: string;
  signal?: AbortSignal;
  /** Read chunk size in bytes (fs.createReadStream highWaterMark); default 1 MiB. */
  highWaterMark?: number;
  /** Yield a 'page-end' event when a Graph collection page closes (default false). */
  pageEnds?: boolean;
  /** Raw bytes between two progress events of one file; default 4 MiB. */
  progressBytes?: number;
}

export const DEFAULT_MAX_RECORD_BYTES = 256 * 1024 * 1024;

/**
 * What a run read from one input, as summary.json lists it (the engine fills it in; the page reads
 * it back): the path as given, its size on disk and sha256 (null for standard input), the records
 * found, the format recognized and whether it was gzip.
 */
export interface InputReport {
  readonly path: string;
  readonly bytes: number | null;
  readonly sha256: string | null;
  readonly records: number;
  readonly format: string | null;
  readonly compressed: boolean;
}
