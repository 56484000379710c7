/**
 * The text of each export shape, as a lazy sequence of pieces (framing, then one record's text at a
 * time). The streaming writer and the in-memory sample builder both run on these, so they cannot
 * drift apart. Pretty output is exactly JSON.stringify(whole, null, 2).
 */
import type { GraphRecord } from './generate.js';
import type { JsonObject } from './json.js';
import { mix32 } from './random.js';
import { COLLECTION_CONTEXT, GRAPH } from './vocab.js';

/** The single-file shapes; 'record-files' (a folder) is the writer's business. */
export type FileFormat = 'array' | 'page' | 'ndjson';

export interface EncodeOptions {
  readonly format: FileFormat;
  readonly pretty: boolean;
  /** Records per collection page ('page' only). */
  readonly pageSize: number;
  /** Start with a UTF-8 byte order mark. */
  readonly bom: boolean;
}

/** Where to stop: after this many records, or once the text reached this many bytes (whichever first). */
export interface Limit {
  readonly records: number;
  readonly bytes: number;
}

/** Filled in while encoding: how much has gone out so far. */
export interface Progress {
  records: number;
  bytes: number;
}

const BOM = '\uFEFF';

export function newProgress(): Progress {
  return { records: 0, bytes: 0 };
}

/** One record as a file of its own (a single GET response). */
export function encodeRecordFile(record: GraphRecord, pretty: boolean, bom: boolean): string {
  return `${bom ? BOM : ''}${JSON.stringify(record, null, pretty ? 2 : undefined)}\n`;
}

export function* encodeDataset(records: Iterator<GraphRecord>, options: EncodeOptions, limit: Limit, progress: Progress): Generator<string> {
  const take = (): GraphRecord | undefined => {
    if (progress.records >= limit.records || progress.bytes >= limit.bytes) return undefined;
    const next = records.next();
    if (next.done === true) return undefined;
    progress.records++;
    return next.value;
  };
  const emit = (text: string): string => {
    progress.bytes += Buffer.byteLength(text);
    return text;
  };
  if (options.bom) yield emit(BOM);
  switch (options.format) {
    case 'ndjson':
      for (let record = take(); record !== undefined; record = take()) yield emit(`${JSON.stringify(record)}\n`);
      return;
    case 'array':
      yield* framed(take, emit, options.pretty, '[', ']', 1, (r) => r);
      yield emit('\n');
      return;
    case 'page':
      yield* pages(take, emit, options);
      return;
  }
}

/**
 * `open`, the items separated by commas (pretty: one per line, indented by `depth` levels), `close`.
 * Pulls one record ahead so the caller knows whether more follow.
 */
function* framed(
  take: () => GraphRecord | undefined,
  emit: (text: string) => string,
  pretty: boolean,
  open: string,
  close: string,
  depth: number,
  shape: (record: GraphRecord) => JsonObject,
  first: GraphRecord | undefined = take(),
  count: number = Infinity,
): Generator<string, GraphRecord | undefined> {
  const indent = pretty ? `\n${'  '.repeat(depth)}` : '';
  if (first === undefined) {
    yield emit(`${open}${close}`);
    return undefined;
  }
  yield emit(open);
  let record: GraphRecord | undefined = first;
  for (let n = 0; record !== undefined && n < count; n++) {
    const text = pretty ? JSON.stringify(shape(record), null, 2).replaceAll('\n', indent) : JSON.stringify(shape(record));
    yield emit(`${n === 0 ? '' : ','}${indent}${text}`);
    record = n + 1 < count ? take() : undefined;
  }
  yield emit(`${pretty ? `\n${'  '.repeat(depth - 1)}` : ''}${close}`);
  return count === Infinity ? undefined : take();
}

/** Records inside a collection carry no @odata.context of their own. */
function inCollection(record: GraphRecord): JsonObject {
  const { '@odata.context': _context, ...rest } = record;
  return rest;
}

/** Collection pages one after another, each `{"@odata.context", "value": [...], "@odata.nextLink"}`. */
function* pages(take: () => GraphRecord | undefined, emit: (text: string) => string, options: EncodeOptions): Generator<string> {
  const { pretty, pageSize } = options;
  const nl = pretty ? '\n  ' : '';
  const colon = pretty ? ': ' : ':';
  let next = take();
  for (let page = 1; ; page++) {
    yield emit(`{${nl}"@odata.context"${colon}${JSON.stringify(COLLECTION_CONTEXT)},${nl}"value"${colon}`);
    next = yield* framed(take, emit, pretty, '[', ']', 2, inCollection, next, pageSize);
    const link = next === undefined ? '' : `,${nl}"@odata.nextLink"${colon}${JSON.stringify(nextLink(page))}`;
    yield emit(`${link}${pretty ? '\n' : ''}}\n`);
    if (next === undefined) return;
  }
}

function nextLink(page: number): string {
  const token =
    mix32(page).toString(16).padStart(8, '0') +
    mix32(page ^ 0x5f3759df)
      .toString(16)
      .padStart(8, '0');
  return `${GRAPH}/communications/callRecords?$expand=sessions($expand=segments)&$skiptoken=${token}`;
}
