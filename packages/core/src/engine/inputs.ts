/**
 * Input reading: the run's inputs, one at a time, in order. A plain NDJSON file is read by the
 * workers themselves, a byte range each (range.ts), while the main thread hashes it; any other
 * input (JSON, pages, gzip, stdin) is framed on the main thread (ingest.readRecords) and its
 * records go to the batcher.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { DEFAULT_MAX_RECORD_BYTES, probeInput, readRecords } from '../ingest/index.js';
import type { ReadOptions } from '../ingest/index.js';
import { writeFailed } from '../io/index.js';
import type { OutputDir } from '../io/index.js';
import { throwIfAborted } from './abort.js';
import type { Batcher } from './batcher.js';
import type { CommitQueue } from './commit.js';
import type { ReportOptions } from './options.js';
import type { ProgressMeter } from './progress.js';
import type { RangeTask } from './protocol.js';
import { teeStdin } from './reread.js';
import type { SessionBook } from './sessions.js';
import type { InputReport } from './result.js';

/** What reading the inputs needs. */
export interface InputReader {
  readonly files: readonly string[];
  readonly options: ReportOptions;
  readonly batchBytes: number;
  readonly batcher: Batcher;
  readonly queue: CommitQueue;
  readonly progress: ProgressMeter;
  /** Filled in as inputs are read, in input order. */
  readonly inputs: Map<string, InputReport>;
  /** Where the sessions pages' ends are noted (stitch.ts). */
  readonly sessions: SessionBook;
  /** Standard input (teed: see `keepStdin`), when a run reads it. */
  readonly stdin: NodeJS.ReadableStream | undefined;
}

/**
 * Standard input cannot be read twice, and a superseded copy read from it may have to be read
 * again at the end: keeps a copy (in the output's spool, or a temp folder without output).
 * Returns the stream to read, and the copy's path once it is complete.
 */
export async function keepStdin(
  stdin: NodeJS.ReadableStream,
  output: OutputDir | null,
  cleanup: Array<() => Promise<void>>,
): Promise<{ stream: Readable; copy: () => Promise<string> }> {
  const folder = output !== null ? output.path('.spool') : await mkdtemp(join(tmpdir(), 'callaudit-stdin-'));
  if (output === null) cleanup.push(() => rm(folder, { recursive: true, force: true }));
  await mkdir(folder, { recursive: true });
  const path = join(folder, 'stdin');
  const tee = teeStdin(stdin, path);
  tee.copied.catch(() => {}); // a failed copy matters only to a retraction, which awaits it
  return {
    stream: tee.stream,
    copy: async () => {
      await tee.copied.catch((cause: unknown) => {
        throw writeFailed(path, cause);
      });
      return path;
    },
  };
}

/** Reads every input, handing its work to the batcher or (ranges) the commit queue. */
export async function readInputs(reader: InputReader): Promise<void> {
  const { options } = reader;
  const readOptions: ReadOptions = {
    ...(options.inputFormat === undefined ? {} : { format: options.inputFormat }),
    ...(options.maxRecordBytes === undefined ? {} : { maxRecordBytes: options.maxRecordBytes }),
    hash: true,
    pageEnds: true,
    ...(reader.stdin === undefined ? {} : { stdin: reader.stdin }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  for (const file of reader.files) {
    const path = file === '-' ? null : resolve(options.cwd ?? process.cwd(), file);
    if (path !== null && options.workerReads !== false) {
      const info = await probeInput(file, readOptions);
      if (!info.compressed && info.format === 'ndjson' && info.bytes !== null && info.bytes > 0) {
        await readInRanges(reader, file, path, info.bytes);
        continue;
      }
    }
    await readFramed(reader, file, readOptions);
  }
}

/**
 * A plain NDJSON file is read by the workers themselves, a byte range each (see range.ts): the
 * batch being filled goes first, so that results stay in input order.
 */
async function readInRanges(reader: InputReader, label: string, path: string, size: number): Promise<void> {
  const { options, queue, progress, inputs, batchBytes } = reader;
  await reader.batcher.dispatch();
  inputs.set(label, { path: label, bytes: size, sha256: null, records: 0, format: 'ndjson', compressed: false });
  queue.startRangeFile(label, progress.bytesDone);
  progress.report(label, true);
  // The file's hash is taken on the main thread while the workers read: it is otherwise idle.
  const hash = sha256Of(path, options.signal);
  hash.catch(() => {});
  const pages = options.inputFormat !== 'ndjson';
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  for (let start = 0; start < size; start += batchBytes) {
    throwIfAborted(options.signal);
    const task: RangeTask = { kind: 'range', seq: queue.nextSeq(), path, file: label, start, end: Math.min(size, start + batchBytes), pages, maxRecordBytes };
    const last = task.end === size;
    const after = async (): Promise<void> => {
      inputs.set(label, { ...inputs.get(label)!, sha256: await hash, records: queue.rangeRecords(label) });
      progress.report(label, true);
    };
    await queue.dispatchRange(task, last ? after : undefined);
  }
  progress.bytesDone += size;
  progress.jsonBytes += size;
}

/** Any other input: framed on the main thread (readRecords), its records judged and batched by the batcher. */
async function readFramed(reader: InputReader, file: string, readOptions: ReadOptions): Promise<void> {
  const { options, batcher, progress, inputs } = reader;
  for await (const event of readRecords([file], readOptions)) {
    throwIfAborted(options.signal);
    switch (event.type) {
      case 'record':
        await batcher.addRecord(event.record);
        break;
      case 'problem':
        batcher.addProblem(event.problem);
        break;
      case 'page-end':
        reader.sessions.pageEnded(event.page);
        break;
      case 'file-start':
        inputs.set(event.info.file, {
          path: event.info.file,
          bytes: event.info.bytes,
          sha256: null,
          records: 0,
          format: event.info.format,
          compressed: event.info.compressed,
        });
        progress.report(event.info.file, true);
        break;
      case 'progress':
        progress.bytesRead = progress.bytesDone + event.bytesRead;
        progress.report(event.file);
        break;
      case 'file-end': {
        progress.bytesDone += event.bytesRead;
        progress.jsonBytes += event.jsonBytes;
        progress.bytesRead = progress.bytesDone;
        const started = inputs.get(event.file);
        if (started) inputs.set(event.file, { ...started, sha256: event.sha256, records: event.records, bytes: started.bytes ?? event.bytesRead });
        progress.report(event.file, true);
        break;
      }
    }
  }
}

/**
 * The sha256 of a file's bytes, read on its own into one reused buffer (a stream's fresh buffer per
 * chunk made the main thread collect garbage for hundreds of ms per GB).
 */
async function sha256Of(path: string, signal: AbortSignal | undefined): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let position = 0; ; ) {
      throwIfAborted(signal); // else an interrupted run would wait for the whole file to be read
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}
