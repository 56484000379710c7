/**
 * readRecords: every input, in order, framed into record slices with provenance.
 */
import { ErrorCode, fail } from '../errors.js';
import { RecordFramer } from './framer.js';
import type { FramerSink } from './framer.js';
import { expandInputs } from './inputs.js';
import { openInput } from './source.js';
import type { IngestEvent, InputInfo, ReadOptions } from './types.js';

const DEFAULT_PROGRESS_BYTES = 4 << 20;

/** What turns one input's decompressed chunks into events: the framer, or the reference. */
export interface Framing {
  push(chunk: Uint8Array): void | Promise<void>;
  /** `cause`: why the input stopped early (corrupt gzip). */
  end(cause?: string): void | Promise<void>;
  readonly records: number;
}
export type MakeFraming = (info: InputInfo, sink: FramerSink, options: ReadOptions) => Framing;

/**
 * Reads inputs (files, folders, globs, '-'; see expandInputs) and yields, per file: file-start,
 * records and problems in input order, progress every `progressBytes` raw bytes, file-end. A record's
 * bytes may be a view of a read chunk: copy them before asking for the event after next.
 * Throws E_INPUT for an unreadable input, E_INTERRUPTED when `signal` aborts, E_USAGE for bad options.
 */
export function readRecords(inputs: readonly string[], options: ReadOptions = {}): AsyncIterable<IngestEvent> {
  return readWith(
    inputs,
    options,
    (info, sink, opts) =>
      new RecordFramer(sink, {
        file: info.file,
        pages: opts.format !== 'ndjson',
        lines: info.format === 'ndjson',
        ...(opts.maxRecordBytes === undefined ? {} : { maxRecordBytes: opts.maxRecordBytes }),
      }),
  );
}

/** The driver both readers share: inputs, opening, events, progress. */
export async function* readWith(inputs: readonly string[], options: ReadOptions, makeFraming: MakeFraming): AsyncGenerator<IngestEvent> {
  checkOptions(options);
  const files = await expandInputs(inputs, options.cwd === undefined ? {} : { cwd: options.cwd });
  for (const file of files) yield* readOne(file, options, makeFraming);
}

async function* readOne(file: string, options: ReadOptions, makeFraming: MakeFraming): AsyncGenerator<IngestEvent> {
  checkAbort(options.signal);
  const input = await openInput(file, options);
  try {
    const label = input.info.file;
    yield { type: 'file-start', info: input.info };
    const events: IngestEvent[] = [];
    const sink: FramerSink = {
      record: (record) => events.push({ type: 'record', record }),
      problem: (problem) => events.push({ type: 'problem', problem }),
      ...(options.pageEnds === true ? { pageEnd: (page) => events.push({ type: 'page-end', page }) } : {}),
    };
    const framing = makeFraming(input.info, sink, options);
    const step = options.progressBytes ?? DEFAULT_PROGRESS_BYTES;
    let reported = 0;
    let jsonBytes = 0;
    for await (const chunk of input.chunks) {
      checkAbort(options.signal);
      jsonBytes += chunk.length;
      const pending = framing.push(chunk);
      if (pending) await pending;
      if (events.length > 0) {
        yield* events;
        events.length = 0;
      }
      if (input.rawBytes() - reported >= step) {
        reported = input.rawBytes();
        yield { type: 'progress', file: label, bytesRead: reported };
      }
    }
    const gzipError = input.gzipError();
    const pending = gzipError === null ? framing.end() : framing.end(gzipError);
    if (pending) await pending;
    yield* events;
    yield { type: 'file-end', file: label, bytesRead: input.rawBytes(), jsonBytes, records: framing.records, sha256: input.sha256() };
  } finally {
    input.close();
  }
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw fail(ErrorCode.Interrupted, 'reading inputs was interrupted');
}

function checkOptions(options: ReadOptions): void {
  const positive = (name: keyof ReadOptions): void => {
    const value = options[name];
    if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) > 0)) {
      throw fail(ErrorCode.Usage, `options.${name} must be a positive integer, got ${String(value)}`);
    }
  };
  positive('maxRecordBytes');
  positive('highWaterMark');
  positive('progressBytes');
  if (options.format !== undefined && !['auto', 'json', 'ndjson'].includes(options.format)) {
    throw fail(ErrorCode.Usage, `options.format must be auto, json or ndjson, got ${String(options.format)}`);
  }
}
