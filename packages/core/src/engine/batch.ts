/**
 * What a worker does with one batch: parse, validate, filter, flatten, score, redact, aggregate and
 * encode. The same function runs inline (`workers: 0`) and in the pool, so both give the same bytes.
 */
import { Buffer, isUtf8 } from 'node:buffer';
import { validateCallRecord } from '../schema/validate.js';
import { recognizeDocument, rejectReason } from '../schema/document.js';
import { firstInvalidUtf8 } from '../schema/utf8.js';
import { NOT_PROJECTED, parseProjected } from '../schema/project.js';
import { flattenRecord } from '../flatten/index.js';
import { ColumnBuilder, columnIndex } from '../table/schema.js';
import type { ColumnBatch } from '../table/schema.js';
import { CALLS, STREAMS } from '../table/tables.js';
import { LOG_TABLES } from '../table/logs.js';
import type { LogTableName } from '../table/logs.js';
import { validateLogRow } from '../schema/logs.js';
import type { LogRowKind } from '../schema/logs.js';
import { flattenLogRow } from '../flatten/logs.js';
// Direct module imports, not the folder indexes: a worker loads neither arquero (rollup
// finalization) nor parquet-wasm (Parquet encoding) unless it needs them (~0.4 s CPU per start).
import { RollupAccumulator } from '../rollup/accumulator.js';
import { packPartial } from '../rollup/packed.js';
import { batchToIPC } from '../io/arrow.js';
import { encodeCsv } from '../io/csv.js';
import type { RejectEntry } from '../io/rejects.js';
import { pseudonym, redactBatch } from './redact.js';
import { SiteLookup } from '../sites/lookup.js';
import type { BatchContext, BatchResult, BatchTask, LogTableResult, RangeFraming, RecordOutcome } from './protocol.js';

const SNIPPET_BYTES = 200;
/** Encodes into a Uint8Array of its own (never a slice of Buffer's shared pool): safe to transfer. */
const UTF8 = new TextEncoder();
const STREAM_MODALITY = columnIndex(STREAMS, 'modality');
const CALL_START = columnIndex(CALLS, 'call_start');
const CALL_TRUNCATED = columnIndex(CALLS, 'sessions_truncated');
const CALL_SESSIONS_MISSING = columnIndex(CALLS, 'sessions_missing');
const CALL_PARTICIPANTS_TRUNCATED = columnIndex(CALLS, 'participants_truncated');
/** call_start is at the same place in both log tables. */
const LOG_START = columnIndex(LOG_TABLES.pstn_calls, 'call_start');

export function rejectFor(
  record: { readonly file: string; readonly offset: number; readonly index: number },
  kind: string,
  reason: string,
  id: string | null,
  snippet: string,
): RejectEntry {
  return { file: record.file, offset: record.offset, index: record.index, id, kind, reason, snippet };
}

function snippetOf(text: string, redact: boolean): string {
  if (redact) return '<redacted>';
  return Buffer.from(text.slice(0, SNIPPET_BYTES), 'utf8').subarray(0, SNIPPET_BYTES).toString('utf8');
}

function idOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' ? id : null;
}

/**
 * Under --redact a reject's reason must not quote the input either: JSON.parse's excerpt of the text
 * around the error, and the offending string values the schema quotes in parentheses, are withheld.
 */
function reasonOf(reason: string, redact: boolean): string {
  if (!redact) return reason;
  return reason
    .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, ' (excerpt <redacted>) is not valid JSON')
    .replace(/\("(?:[^"\\]|\\.)*"\)/g, '(<redacted>)');
}

/**
 * The redaction cache, one per run context (a run inline, or a worker's life), so that two runs with
 * different keys in one process never share pseudonyms.
 */
const redactCaches = new WeakMap<BatchContext, Map<string, string>>();

/** The site lookup, built once per run context from its plain data (a worker gets the data as workerData). */
const siteLookups = new WeakMap<BatchContext, SiteLookup | null>();

function siteLookupFor(ctx: BatchContext): SiteLookup | null {
  let lookup = siteLookups.get(ctx);
  if (lookup === undefined) {
    lookup = ctx.sites === null ? null : new SiteLookup(ctx.sites);
    siteLookups.set(ctx, lookup);
  }
  return lookup;
}

function redactCacheFor(ctx: BatchContext): Map<string, string> {
  let cache = redactCaches.get(ctx);
  if (cache === undefined) {
    cache = new Map();
    redactCaches.set(ctx, cache);
  }
  return cache;
}

/** One record to process: its provenance and its JSON text as buffer[start, end). */
export interface RecordInput {
  readonly ordinal: number;
  readonly file: string;
  readonly offset: number;
  readonly index: number;
  /** The `@odata.context` of the page the record came from; null when none. */
  readonly context: string | null;
  readonly buffer: Buffer;
  readonly start: number;
  readonly end: number;
}

/** A records task: the records are ranges of one buffer the main thread filled. */
export function processBatch(task: BatchTask, ctx: BatchContext): BatchResult {
  const buffer = Buffer.from(task.buffer.buffer, task.buffer.byteOffset, task.buffer.byteLength);
  const inputs = task.records.map((record): RecordInput => ({ ...record, context: record.context ?? null, buffer }));
  return processRecords(task.seq, inputs, task.sign, ctx, null);
}

export function processRecords(seq: number, inputs: readonly RecordInput[], sign: 1 | -1, ctx: BatchContext, framing: RangeFraming | null): BatchResult {
  const streams = new ColumnBuilder(STREAMS);
  const calls = new ColumnBuilder(CALLS);
  const outcomes: RecordOutcome[] = [];
  const encode = sign === 1;
  const redact = ctx.redactKey !== null;
  const streamsCsv: string[] = [];
  const callsCsv: string[] = [];
  // Records are aggregated one by one, so a batch's rows are kept only for its Arrow IPC (Parquet):
  // a CSV run's memory does not grow with the batch. (It also keeps apart two copies of one call in
  // a batch, which the accumulator, joining streams to calls by id and version, must not see together.)
  const accumulator = new RollupAccumulator(ctx.rollup);
  const wantIpc = encode && ctx.ipc;
  const logs = new LogRows(ctx, wantIpc);

  for (const record of inputs) {
    const textOf = (): string => record.buffer.toString('utf8', record.start, record.end);
    // Graph writes valid UTF-8: invalid bytes mean a damaged file, not text to decode with U+FFFD.
    if (!isUtf8(record.buffer.subarray(record.start, record.end))) {
      outcomes.push(emptyOutcome(record.ordinal, false, invalidUtf8(record, redact, textOf())));
      continue;
    }
    // The projecting parser builds only what the analysis reads; JSON.parse decides what it cannot.
    let value: unknown = parseProjected(record.buffer, record.start, record.end);
    if (value === NOT_PROJECTED) {
      try {
        value = JSON.parse(textOf());
      } catch (error) {
        const reject = rejectFor(record, 'invalid_json', reasonOf((error as Error).message, redact), null, snippetOf(textOf(), redact));
        outcomes.push(emptyOutcome(record.ordinal, false, reject));
        continue;
      }
    }
    // Only a callRecord counts as a call: a session, a log row, ... is a reject of its own kind,
    // but for PSTN and Direct Routing log rows, which have tables of their own.
    const kind = recognizeDocument(value, record.context);
    if ((kind === 'pstn_call' || kind === 'direct_routing_call') && encode) {
      outcomes.push(logs.add(record, kind, textOf()));
      continue;
    }
    if (kind !== 'call_record') {
      // Not a call: its id may be a person's (a participant's id is a user id), so --redact hides it.
      const id = idOf(value);
      const shownId = id !== null && ctx.redactKey !== null ? pseudonym(ctx.redactKey, 'id', id) : id;
      const reject = rejectFor(record, kind, rejectReason(kind), shownId, snippetOf(textOf(), redact));
      outcomes.push(emptyOutcome(record.ordinal, false, reject));
      continue;
    }
    // The schema reads only the declared properties, so a projected record gets the same verdict and reason.
    const checked = validateCallRecord(value);
    if (!checked.ok) {
      const reject = rejectFor(record, 'schema', reasonOf(checked.reason, redact), idOf(value), snippetOf(textOf(), redact));
      outcomes.push(emptyOutcome(record.ordinal, false, reject));
      continue;
    }
    const own = { streams: new ColumnBuilder(STREAMS), calls: new ColumnBuilder(CALLS) };
    flattenRecord(checked.record, ctx.rules, own, siteLookupFor(ctx));
    const recordCalls = own.calls.finish();
    const start = recordCalls.columns[CALL_START]![0];
    if (!inWindow(typeof start === 'number' ? start : null, ctx)) {
      outcomes.push(emptyOutcome(record.ordinal, true, null));
      continue;
    }
    let recordStreams = own.streams.finish();
    if (ctx.modalities !== null) recordStreams = keepModalities(recordStreams, ctx.modalities);
    if (redact) {
      redactBatch(recordStreams, ctx.redactKey, redactCacheFor(ctx));
      redactBatch(recordCalls, ctx.redactKey, redactCacheFor(ctx));
    }
    accumulator.add(recordStreams, recordCalls, sign);
    if (wantIpc) {
      streams.append(recordStreams);
      calls.append(recordCalls);
    }
    let streamCsvBytes = 0;
    let callCsvBytes = 0;
    if (encode && ctx.csv) {
      const s = encodeCsv(recordStreams, { raw: ctx.csvRaw });
      const c = encodeCsv(recordCalls, { raw: ctx.csvRaw });
      streamsCsv.push(s);
      callsCsv.push(c);
      streamCsvBytes = Buffer.byteLength(s, 'utf8');
      callCsvBytes = Buffer.byteLength(c, 'utf8');
    }
    outcomes.push({
      ordinal: record.ordinal,
      accepted: true,
      filtered: false,
      streamRows: recordStreams.length,
      callRows: recordCalls.length,
      streamCsvBytes,
      callCsvBytes,
      sessionsTruncated: recordCalls.columns[CALL_TRUNCATED]![0] === true,
      sessionsMissing: recordCalls.columns[CALL_SESSIONS_MISSING]![0] === true,
      participantsTruncated: recordCalls.columns[CALL_PARTICIPANTS_TRUNCATED]![0] === true,
      reject: null,
      log: null,
    });
  }

  const streamsBatch = streams.finish();
  const callsBatch = calls.finish();
  return {
    seq,
    streamsCsv: UTF8.encode(streamsCsv.join('')),
    callsCsv: UTF8.encode(callsCsv.join('')),
    streamsIpc: wantIpc && streamsBatch.length > 0 ? batchToIPC(streamsBatch) : null,
    callsIpc: wantIpc && callsBatch.length > 0 ? batchToIPC(callsBatch) : null,
    outcomes,
    logTables: logs.finish(),
    partial: packPartial(accumulator.takePartial()),
    framing,
  };
}

/**
 * A batch's log rows: each validated (parsed whole: the projection builds only what a callRecord
 * needs), flattened into its table's row, filtered by --since/--until on its start, redacted, and
 * encoded as CSV (its byte length noted in its outcome) and Arrow IPC. Whether it is a duplicate is
 * decided at commit (engine/logs.ts).
 */
class LogRows {
  private readonly tables = new Map<LogTableName, { builder: ColumnBuilder; csv: string[] }>();

  constructor(
    private readonly ctx: BatchContext,
    private readonly wantIpc: boolean,
  ) {}

  add(record: RecordInput, kind: LogRowKind, text: string): RecordOutcome {
    const { ctx } = this;
    const redact = ctx.redactKey !== null;
    const value: unknown = JSON.parse(text);
    const checked = validateLogRow(kind, value);
    if (!checked.ok) {
      const id = idOf(value);
      const shownId = id !== null && ctx.redactKey !== null ? pseudonym(ctx.redactKey, 'id', id) : id;
      return emptyOutcome(record.ordinal, false, rejectFor(record, 'schema', reasonOf(checked.reason, redact), shownId, snippetOf(text, redact)));
    }
    const { table, values } = flattenLogRow(checked);
    const start = values[LOG_START];
    if (!inWindow(typeof start === 'number' ? start : null, ctx)) return emptyOutcome(record.ordinal, true, null);
    const own = new ColumnBuilder(LOG_TABLES[table]);
    own.push(values);
    const row = own.finish();
    if (ctx.redactKey !== null) redactBatch(row, ctx.redactKey, redactCacheFor(ctx));
    let entry = this.tables.get(table);
    if (entry === undefined) {
      entry = { builder: new ColumnBuilder(LOG_TABLES[table]), csv: [] };
      this.tables.set(table, entry);
    }
    if (this.wantIpc) entry.builder.append(row);
    let csvBytes = 0;
    if (ctx.csv) {
      const csv = encodeCsv(row, { raw: ctx.csvRaw });
      entry.csv.push(csv);
      csvBytes = Buffer.byteLength(csv, 'utf8');
    }
    return {
      ...emptyOutcome(record.ordinal, false, null),
      log: { table, id: checked.row.id, csvBytes, values: row.columns.map((column) => column[0] ?? null) },
    };
  }

  finish(): LogTableResult[] {
    return [...this.tables].map(([table, { builder, csv }]) => {
      const batch = builder.finish();
      return { table, csv: UTF8.encode(csv.join('')), ipc: this.wantIpc && batch.length > 0 ? batchToIPC(batch) : null, rows: batch.length };
    });
  }
}

function invalidUtf8(record: RecordInput, redact: boolean, text: string): RejectEntry {
  const at = firstInvalidUtf8(record.buffer, record.start, record.end);
  const bad = Array.from(
    record.buffer.subarray(record.start + at, Math.min(record.end, record.start + at + 4)),
    (b) => `0x${b.toString(16).padStart(2, '0')}`,
  ).join(' ');
  const reason = `invalid UTF-8 at byte ${record.offset + at} of the file (byte ${at} of the record: ${bad}); Graph writes valid UTF-8, so the file is damaged`;
  return rejectFor(record, 'invalid_utf8', reason, null, snippetOf(text, redact));
}

/** A record that produced no rows: rejected (with its reject) or filtered out. */
export function emptyOutcome(ordinal: number, filtered: boolean, reject: RejectEntry | null): RecordOutcome {
  return {
    ordinal,
    accepted: false,
    filtered,
    streamRows: 0,
    callRows: 0,
    streamCsvBytes: 0,
    callCsvBytes: 0,
    sessionsTruncated: false,
    sessionsMissing: false,
    participantsTruncated: false,
    reject,
    log: null,
  };
}

function inWindow(start: number | null, ctx: BatchContext): boolean {
  if (ctx.since === null && ctx.until === null) return true;
  if (start === null) return false;
  if (ctx.since !== null && start < ctx.since) return false;
  if (ctx.until !== null && start >= ctx.until) return false;
  return true;
}

function keepModalities(batch: ColumnBatch, modalities: readonly string[]): ColumnBatch {
  const builder = new ColumnBuilder(batch.schema);
  const column = batch.columns[STREAM_MODALITY]!;
  builder.append(batch, (row) => modalities.includes(String(column[row])));
  return builder.finish();
}
