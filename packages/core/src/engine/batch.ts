/**
 * What a worker does with one batch: parse, validate, filter, flatten, score, redact, aggregate and
 * encode. The same function runs inline (`workers: 0`) and in the pool, so both give the same bytes.
 */
import { Buffer, isUtf8 } from 'node:buffer';
import { validateCallRecord, validateSession } from '../schema/validate.js';
import { callIdFromContext, recognizeDocument, rejectReason } from '../schema/document.js';
import type { DocumentKind } from '../schema/document.js';
import { ErrorCode, fail } from '../errors.js';
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
import type { BatchContext, BatchRecord, BatchResult, BatchTask, LogTableResult, RangeFraming, RecordOutcome, StitchTask, StitchVerdict } from './protocol.js';

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

/** What a task's records add up to: rows, CSV text, the rollup partial. */
interface Collector {
  readonly streams: ColumnBuilder;
  readonly calls: ColumnBuilder;
  readonly streamsCsv: string[];
  readonly callsCsv: string[];
  // Records are aggregated one by one, so a batch's rows are kept only for its Arrow IPC (Parquet):
  // a CSV run's memory does not grow with the batch. (It also keeps apart two copies of one call in
  // a batch, which the accumulator, joining streams to calls by id and version, must not see together.)
  readonly accumulator: RollupAccumulator;
  /** The batch's PSTN and Direct Routing rows. */
  readonly logs: LogRows;
  readonly sign: 1 | -1;
  readonly encode: boolean;
  readonly wantIpc: boolean;
}

function collector(ctx: BatchContext, sign: 1 | -1): Collector {
  const encode = sign === 1;
  return {
    streams: new ColumnBuilder(STREAMS),
    calls: new ColumnBuilder(CALLS),
    streamsCsv: [],
    callsCsv: [],
    accumulator: new RollupAccumulator(ctx.rollup),
    logs: new LogRows(ctx, encode && ctx.ipc),
    sign,
    encode,
    wantIpc: encode && ctx.ipc,
  };
}

function resultOf(seq: number, out: Collector, outcomes: RecordOutcome[], framing: RangeFraming | null): BatchResult {
  const streamsBatch = out.streams.finish();
  const callsBatch = out.calls.finish();
  return {
    seq,
    streamsCsv: UTF8.encode(out.streamsCsv.join('')),
    callsCsv: UTF8.encode(out.callsCsv.join('')),
    streamsIpc: out.wantIpc && streamsBatch.length > 0 ? batchToIPC(streamsBatch) : null,
    callsIpc: out.wantIpc && callsBatch.length > 0 ? batchToIPC(callsBatch) : null,
    outcomes,
    logTables: out.logs.finish(),
    partial: packPartial(out.accumulator.takePartial()),
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
      return emptyOutcome(record.ordinal, false, rejectFor(record, 'schema', reasonOf(checked.reason, redact), shownId(value, ctx), snippetOf(text, redact)));
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

/** Parses a record's bytes: the projecting parser, or JSON.parse when it cannot decide; a reject when neither can. */
function parseRecord(record: RecordInput, redact: boolean, textOf: () => string): { value: unknown } | { reject: RejectEntry } {
  // Graph writes valid UTF-8: invalid bytes mean a damaged file, not text to decode with U+FFFD.
  if (!isUtf8(record.buffer.subarray(record.start, record.end))) return { reject: invalidUtf8(record, redact, textOf()) };
  // The projecting parser builds only what the analysis reads; JSON.parse decides what it cannot.
  const value: unknown = parseProjected(record.buffer, record.start, record.end);
  if (value !== NOT_PROJECTED) return { value };
  try {
    return { value: JSON.parse(textOf()) };
  } catch (error) {
    return { reject: rejectFor(record, 'invalid_json', reasonOf((error as Error).message, redact), null, snippetOf(textOf(), redact)) };
  }
}

export function processRecords(seq: number, inputs: readonly RecordInput[], sign: 1 | -1, ctx: BatchContext, framing: RangeFraming | null): BatchResult {
  const out = collector(ctx, sign);
  const outcomes: RecordOutcome[] = [];
  const redact = ctx.redactKey !== null;
  for (const record of inputs) {
    const textOf = (): string => record.buffer.toString('utf8', record.start, record.end);
    const parsed = parseRecord(record, redact, textOf);
    if ('reject' in parsed) {
      outcomes.push(emptyOutcome(record.ordinal, false, parsed.reject));
      continue;
    }
    const value = parsed.value;
    // Only a callRecord counts as a call; a session waits to be stitched into its call, a PSTN or
    // Direct Routing row goes to its table, anything else is a reject of its own kind.
    const kind = recognizeDocument(value, record.context);
    if (kind === 'session') {
      outcomes.push(sessionOutcome(record, value, textOf, ctx));
    } else if ((kind === 'pstn_call' || kind === 'direct_routing_call') && out.encode) {
      // PSTN and Direct Routing log rows have tables of their own.
      outcomes.push(out.logs.add(record, kind, textOf()));
    } else if (kind !== 'call_record') {
      outcomes.push(emptyOutcome(record.ordinal, false, documentReject(record, kind, value, textOf, ctx)));
    } else {
      outcomes.push(processCall(record, value, textOf, ctx, out));
    }
  }
  return resultOf(seq, out, outcomes, framing);
}

/** A document that is not a callRecord, rejected by its kind. */
function documentReject(record: RecordInput, kind: Exclude<DocumentKind, 'call_record'>, value: unknown, textOf: () => string, ctx: BatchContext): RejectEntry {
  return rejectFor(record, kind, rejectReason(kind), shownId(value, ctx), snippetOf(textOf(), ctx.redactKey !== null));
}

/** Not a call: its id may be a person's (a participant's id is a user id), so --redact hides it. */
function shownId(value: unknown, ctx: BatchContext): string | null {
  const id = idOf(value);
  return id !== null && ctx.redactKey !== null ? pseudonym(ctx.redactKey, 'id', id) : id;
}

/**
 * A session: when its own or its page's @odata.context names its call and it is a valid session, it
 * waits to be stitched into that call's record at the end of the run (stitch.ts); else a reject.
 */
function sessionOutcome(record: RecordInput, value: unknown, textOf: () => string, ctx: BatchContext): RecordOutcome {
  const own = (value as Readonly<Record<string, unknown>>)['@odata.context'];
  const callId = callIdFromContext(typeof own === 'string' ? own : record.context);
  if (callId === null) return emptyOutcome(record.ordinal, false, documentReject(record, 'session', value, textOf, ctx));
  // The projection keeps a callRecord's top-level properties: a session is checked whole.
  const checked = validateSession(JSON.parse(textOf()));
  if (!checked.ok) {
    const redact = ctx.redactKey !== null;
    const reason = `a session of call ${callId}: ${reasonOf(checked.reason, redact)}`;
    return emptyOutcome(record.ordinal, false, rejectFor(record, 'schema', reason, shownId(value, ctx), snippetOf(textOf(), redact)));
  }
  return { ...emptyOutcome(record.ordinal, false, null), sessionOf: callId };
}

/** A parsed callRecord: validate, flatten, filter, redact, aggregate, encode. */
function processCall(record: RecordInput, value: unknown, textOf: () => string, ctx: BatchContext, out: Collector): RecordOutcome {
  const redact = ctx.redactKey !== null;
  // The schema reads only the declared properties, so a projected record gets the same verdict and reason.
  const checked = validateCallRecord(value);
  if (!checked.ok) {
    const reject = rejectFor(record, 'schema', reasonOf(checked.reason, redact), idOf(value), snippetOf(textOf(), redact));
    return emptyOutcome(record.ordinal, false, reject);
  }
  const own = { streams: new ColumnBuilder(STREAMS), calls: new ColumnBuilder(CALLS) };
  flattenRecord(checked.record, ctx.rules, own, siteLookupFor(ctx));
  const recordCalls = own.calls.finish();
  const start = recordCalls.columns[CALL_START]![0];
  if (!inWindow(typeof start === 'number' ? start : null, ctx)) return emptyOutcome(record.ordinal, true, null);
  let recordStreams = own.streams.finish();
  if (ctx.modalities !== null) recordStreams = keepModalities(recordStreams, ctx.modalities);
  if (redact) {
    redactBatch(recordStreams, ctx.redactKey, redactCacheFor(ctx));
    redactBatch(recordCalls, ctx.redactKey, redactCacheFor(ctx));
  }
  out.accumulator.add(recordStreams, recordCalls, out.sign);
  if (out.wantIpc) {
    out.streams.append(recordStreams);
    out.calls.append(recordCalls);
  }
  let streamCsvBytes = 0;
  let callCsvBytes = 0;
  if (out.encode && ctx.csv) {
    const s = encodeCsv(recordStreams, { raw: ctx.csvRaw });
    const c = encodeCsv(recordCalls, { raw: ctx.csvRaw });
    out.streamsCsv.push(s);
    out.callsCsv.push(c);
    streamCsvBytes = Buffer.byteLength(s, 'utf8');
    callCsvBytes = Buffer.byteLength(c, 'utf8');
  }
  return {
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
    sessionOf: null,
    log: null,
  };
}

/**
 * What `sessions@odata.nextLink` holds in a stitched record whose saved sessions pages end with a
 * nextLink (none of them is the last page) and whose own sessions did not say so: it is still
 * truncated (flatten reads any non-empty value as a link).
 */
const SAVED_PAGES_CUT = 'callaudit: the saved sessions pages end with @odata.nextLink';

/**
 * A stitch task: each call's record with its saved sessions merged in (sessions the record holds
 * already, or an earlier page held, count once, by session id), processed as any record; or, for
 * a call without an accepted record, its sessions as rejects. Sessions are complete when the
 * record's own were (present, no nextLink) or the call's last sessions page was saved.
 */
export function processStitch(task: StitchTask, ctx: BatchContext): BatchResult {
  const buffer = Buffer.from(task.buffer.buffer, task.buffer.byteOffset, task.buffer.byteLength);
  const out = collector(ctx, 1);
  const outcomes: RecordOutcome[] = [];
  const verdicts: StitchVerdict[] = [];
  const inputOf = (record: BatchRecord): RecordInput => ({ ...record, buffer });
  const textOf = (record: RecordInput) => (): string => record.buffer.toString('utf8', record.start, record.end);
  for (const call of task.calls) {
    const sessions = call.sessions.map(inputOf);
    if (call.record === null) {
      for (const session of sessions) {
        const text = textOf(session)();
        const reject = rejectFor(session, 'session', call.orphanReason ?? '', shownId(JSON.parse(text), ctx), snippetOf(text, ctx.redactKey !== null));
        outcomes.push(emptyOutcome(session.ordinal, false, reject));
      }
      verdicts.push({ merged: 0, duplicate: 0, rejected: sessions.length });
      continue;
    }
    const record = inputOf(call.record);
    const parsed = parseRecord(record, false, textOf(record));
    if ('reject' in parsed)
      throw fail(ErrorCode.Internal, `the record of call ${call.callId} was accepted, but cannot be parsed again to stitch its sessions`, {
        file: record.file,
        offset: record.offset,
      });
    const value = parsed.value as Record<string, unknown>;
    const own = Array.isArray(value.sessions) ? (value.sessions as unknown[]) : null;
    const merged: unknown[] = [...(own ?? [])];
    const seen = new Set<string>();
    for (const session of merged) {
      const id = idOf(session);
      if (id !== null) seen.add(id);
    }
    let duplicate = 0;
    for (const input of sessions) {
      const session: unknown = JSON.parse(textOf(input)());
      const id = idOf(session);
      if (id !== null && seen.has(id)) {
        duplicate++;
        continue;
      }
      if (id !== null) seen.add(id);
      merged.push(session);
    }
    const stitched: Record<string, unknown> = { ...value, sessions: merged };
    const link = value['sessions@odata.nextLink'];
    const complete = (own !== null && (typeof link !== 'string' || link === '')) || call.lastPage;
    if (complete) delete stitched['sessions@odata.nextLink'];
    else if (typeof link !== 'string' || link === '') stitched['sessions@odata.nextLink'] = SAVED_PAGES_CUT;
    outcomes.push(processCall(record, stitched, textOf(record), ctx, out));
    verdicts.push({ merged: merged.length - (own?.length ?? 0), duplicate, rejected: 0 });
  }
  return { ...resultOf(task.seq, out, outcomes, null), stitching: verdicts };
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
    sessionOf: null,
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
