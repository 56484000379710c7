/**
 * writeDataset: generate records straight to disk in any export shape, as a stream. Memory stays
 * bounded (one record plus a ~1 MiB batch), so multi-gigabyte files are fine.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzip as gzipCallback } from 'node:zlib';
import { promisify } from 'node:util';
import { ErrorCode, fail, isCallauditError } from '../../packages/core/src/errors.js';
import type { FileFormat, Limit, Progress } from './encode.js';
import { encodeDataset, encodeRecordFile, newProgress } from './encode.js';
import type { GenerateOptions } from './settings.js';
import { resolveSettings } from './settings.js';
import type { GraphRecord } from './generate.js';
import { _generateRecords } from './generate.js';

export type DatasetFormat = FileFormat | 'record-files';
export const FORMATS: readonly DatasetFormat[] = ['array', 'page', 'ndjson', 'record-files'];

export interface WriteOptions extends Omit<GenerateOptions, 'records'> {
  /** Stop after this many records. */
  readonly records?: number;
  /** Stop once about this many bytes of JSON text are out (measured before gzip). */
  readonly bytes?: number;
  readonly format: DatasetFormat;
  readonly gzip?: boolean;
  readonly pretty?: boolean;
  /** Records per collection page ('page'; default 100). */
  readonly pageSize?: number;
  /** Start each file with a UTF-8 byte order mark. */
  readonly bom?: boolean;
}

export interface WriteResult {
  /** The file or folder written. */
  readonly path: string;
  readonly records: number;
  /** Bytes on disk (after gzip). */
  readonly bytes: number;
  /** Bytes of JSON text (before gzip). */
  readonly textBytes: number;
}

/** Batches pieces of text into ~1 MiB strings: few, large writes. */
const BATCH = 1 << 20;
const gzipAsync = promisify(gzipCallback);

function usage(message: string): Error {
  return fail(ErrorCode.Usage, message);
}

export async function writeDataset(path: string, options: WriteOptions): Promise<WriteResult> {
  if (typeof path !== 'string' || path === '') throw usage('path must be a non-empty string');
  if (!FORMATS.includes(options.format)) throw usage(`options.format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(options.format)}`);
  const { records, bytes } = options;
  if (records === undefined && bytes === undefined) throw usage('give options.records or options.bytes (or both): the generator never stops by itself');
  if (bytes !== undefined && !(Number.isFinite(bytes) && bytes > 0)) throw usage(`options.bytes must be a number > 0, got ${String(bytes)}`);
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw usage(`options.pageSize must be an integer >= 1, got ${String(pageSize)}`);
  if (options.pretty === true && options.format === 'ndjson') throw usage('options.pretty does not apply to ndjson: one record per line');
  const settings = resolveSettings({ ...options, records: records ?? Infinity });
  const limit: Limit = { records: settings.records, bytes: bytes ?? Infinity };
  const source = _generateRecords(settings);
  const progress = newProgress();
  const flags = { pretty: options.pretty === true, gzip: options.gzip === true, bom: options.bom === true };
  try {
    if (options.format === 'record-files') {
      const onDisk = await writeRecordFiles(path, source, limit, progress, flags);
      return { path, records: progress.records, bytes: onDisk, textBytes: progress.bytes };
    }
    await mkdir(dirname(path), { recursive: true });
    const text = encodeDataset(source, { format: options.format, pretty: flags.pretty, pageSize, bom: flags.bom }, limit, progress);
    const input = Readable.from(batches(text), { objectMode: false, highWaterMark: BATCH });
    const output = createWriteStream(path);
    await (flags.gzip ? pipeline(input, createGzip(), output) : pipeline(input, output));
    return { path, records: progress.records, bytes: (await stat(path)).size, textBytes: progress.bytes };
  } catch (error) {
    if (isCallauditError(error)) throw error;
    throw fail(ErrorCode.Output, `cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error, file: path });
  }
}

function* batches(pieces: Iterable<string>): Generator<string> {
  let batch = '';
  for (const piece of pieces) {
    batch += piece;
    if (batch.length >= BATCH) {
      yield batch;
      batch = '';
    }
  }
  if (batch !== '') yield batch;
}

/** The name of record `n` (1-based) in a record-files folder. */
export function recordFileName(n: number, gzip: boolean): string {
  return `callrecord-${String(n).padStart(6, '0')}.json${gzip ? '.gz' : ''}`;
}

async function writeRecordFiles(
  folder: string,
  source: Iterator<GraphRecord>,
  limit: Limit,
  progress: Progress,
  flags: { pretty: boolean; gzip: boolean; bom: boolean },
): Promise<number> {
  await mkdir(folder, { recursive: true });
  const existing = await readdir(folder);
  if (existing.length > 0)
    throw fail(ErrorCode.Output, `${folder} is not empty (${existing.length} entries): record-files writes into an empty or new folder`, { file: folder });
  let onDisk = 0;
  while (progress.records < limit.records && progress.bytes < limit.bytes) {
    const next = source.next();
    if (next.done === true) break;
    progress.records++;
    const text = encodeRecordFile(next.value, flags.pretty, flags.bom);
    const body = flags.gzip ? await gzipAsync(text) : text;
    progress.bytes += Buffer.byteLength(text);
    onDisk += Buffer.byteLength(body);
    await writeFile(join(folder, recordFileName(progress.records, flags.gzip)), body);
  }
  return onDisk;
}
