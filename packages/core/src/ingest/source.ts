/**
 * Opens one input for reading: the raw bytes (counted, optionally hashed), gunzipped when they
 * start with the gzip magic bytes, and the format sniffed from the first decompressed bytes.
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ErrorCode, fail, isCallauditError } from '../errors.js';
import { concatBytes } from './bytes.js';
import { SNIFF_LIMIT, formatHint, isGzip, sniffFormat } from './detect.js';
import type { InputInfo, ReadOptions } from './types.js';

const DEFAULT_HIGH_WATER_MARK = 1 << 20;

export interface OpenedInput {
  readonly info: InputInfo;
  /**
   * The decompressed bytes in chunks, starting with those read to sniff the format. Ends early,
   * without throwing, when gzip data is corrupt: see gzipError(). Read failures throw E_INPUT.
   */
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Raw (on-disk) bytes read so far. */
  rawBytes(): number;
  sha256(): string | null;
  /** Why the gzip stream stopped early, or null. */
  gzipError(): string | null;
  /** Releases the underlying stream (safe to call more than once). */
  close(): void;
}

/** What an input is (gzip, format, size) from its first bytes, without reading on; not for stdin. */
export async function probeInput(file: string, options: ReadOptions): Promise<InputInfo> {
  const input = await openInput(file, options);
  input.close();
  return input.info;
}

/** The name an input carries in events. */
export function inputLabel(file: string): string {
  return file === '-' ? '<stdin>' : file;
}

export async function openInput(file: string, options: ReadOptions): Promise<OpenedInput> {
  const label = inputLabel(file);
  let size: number | null = null;
  let stream: NodeJS.ReadableStream;
  if (file === '-') {
    stream = options.stdin ?? process.stdin;
  } else {
    const path = resolve(options.cwd ?? process.cwd(), file);
    try {
      const stats = await stat(path);
      if (stats.isDirectory()) throw fail(ErrorCode.Input, `input ${file} is a folder, not a file`, { file });
      if (stats.isFile()) size = stats.size;
    } catch (error) {
      if (isCallauditError(error)) throw error;
      throw fail(ErrorCode.Input, `cannot read input ${file}: ${errorText(error)}`, { cause: error, file });
    }
    stream = createReadStream(path, { highWaterMark: options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK });
  }
  const raw = new RawSource(stream, label, options);
  try {
    const head: Uint8Array[] = [];
    let headBytes = 0;
    for (let chunk: Uint8Array | null; headBytes < 2 && (chunk = await raw.next()) !== null; headBytes += chunk.length) head.push(chunk);
    const compressed = isGzip(concatBytes(head, headBytes));
    const gzip = { error: null as string | null };
    const decompressed = compressed ? gunzip(raw, head, gzip) : plain(raw, head);
    const { format, sniffed } = await sniff(decompressed, options, file === '-' ? null : formatHint(file));
    return {
      info: { file: label, bytes: size, compressed, format },
      chunks: prepend(sniffed, decompressed),
      rawBytes: () => raw.bytes,
      sha256: () => raw.digest(),
      gzipError: () => gzip.error,
      close: () => raw.close(),
    };
  } catch (error) {
    raw.close();
    throw error;
  }
}

/**
 * Reads decompressed chunks until the format is known; an explicit format needs none. `hint`: what
 * the name says (see formatHint), taken when the first line is longer than SNIFF_LIMIT.
 */
async function sniff(
  chunks: AsyncIterator<Uint8Array>,
  options: ReadOptions,
  hint: 'ndjson' | null,
): Promise<{ format: 'json' | 'ndjson'; sniffed: Uint8Array[] }> {
  const sniffed: Uint8Array[] = [];
  if (options.format === 'json' || options.format === 'ndjson') return { format: options.format, sniffed };
  let total = 0;
  let lastSniff = 0;
  for (;;) {
    const next = await chunks.next();
    if (!next.done) {
      sniffed.push(next.value);
      total += next.value.length;
    }
    // Sniffing again only once the head has doubled keeps this linear with tiny chunks.
    if (next.done || total >= 2 * lastSniff || total >= SNIFF_LIMIT) {
      lastSniff = total;
      const format = sniffFormat(concatBytes(sniffed, total), next.done === true, hint);
      if (format !== null) return { format, sniffed };
    }
    if (total >= SNIFF_LIMIT) return { format: hint ?? 'json', sniffed };
  }
}

async function* prepend(head: readonly Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* head;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

async function* plain(raw: RawSource, head: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* head;
  for (let chunk: Uint8Array | null; (chunk = await raw.next()) !== null; ) yield chunk;
}

/** Gunzip (all members); a zlib error ends the stream and is kept in `state`, a read error throws. */
async function* gunzip(raw: RawSource, head: readonly Uint8Array[], state: { error: string | null }): AsyncGenerator<Uint8Array> {
  const source = Readable.from(plain(raw, head), { objectMode: false });
  const inflate = createGunzip();
  pipeline(source, inflate, () => {});
  try {
    for await (const chunk of inflate) yield chunk as Buffer;
  } catch (error) {
    if (isCallauditError(error)) throw error;
    state.error = `gzip data is corrupt: ${errorText(error)}`;
  }
}

/** The raw byte stream of one input: counted, hashed, errors turned into E_INPUT. */
class RawSource {
  bytes = 0;
  private readonly stream: NodeJS.ReadableStream;
  private readonly iterator: AsyncIterator<unknown>;
  private readonly hash: Hash | null;
  private readonly label: string;
  private readonly signal: AbortSignal | undefined;
  private closed = false;

  constructor(stream: NodeJS.ReadableStream, label: string, options: ReadOptions) {
    this.stream = stream;
    this.iterator = stream[Symbol.asyncIterator]();
    this.hash = options.hash === true ? createHash('sha256') : null;
    this.label = label;
    this.signal = options.signal;
  }

  async next(): Promise<Uint8Array | null> {
    let next: IteratorResult<unknown>;
    try {
      next = await this.iterator.next();
    } catch (error) {
      if (this.signal?.aborted) throw fail(ErrorCode.Interrupted, 'reading inputs was interrupted', { cause: error, file: this.label });
      throw fail(ErrorCode.Input, `cannot read input ${this.label}: ${errorText(error)}`, { cause: error, file: this.label });
    }
    if (next.done) return null;
    const value = next.value;
    const chunk = typeof value === 'string' ? Buffer.from(value) : (value as Uint8Array);
    this.bytes += chunk.length;
    this.hash?.update(chunk);
    return chunk;
  }

  digest(): string | null {
    return this.hash === null ? null : this.hash.copy().digest('hex');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const destroy = (this.stream as { destroy?: () => void }).destroy;
    if (this.stream !== process.stdin && typeof destroy === 'function') destroy.call(this.stream);
  }
}

function errorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code !== undefined && !message.includes(code) ? `${code} ${message}` : message;
}
