/**
 * Reads some records' bytes again by provenance (decompressed offset and length), to retract a
 * superseded duplicate at the end of a run. Plain files are read at their offsets; gzip files are
 * decompressed again from the start (once per file, all its ranges in one pass). Standard input
 * cannot be read twice, so a run that reads it keeps a copy (see `teeStdin`).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { beforeWrite, writeFailed } from '../io/index.js';

export interface Range {
  readonly offset: number;
  readonly length: number;
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** Returns the bytes of each range, in the order given. */
export async function readRanges(path: string, ranges: readonly Range[]): Promise<Uint8Array[]> {
  if (!(await isGzip(path))) {
    const handle = await open(path, 'r');
    try {
      const out: Uint8Array[] = [];
      for (const range of ranges) {
        const bytes = Buffer.alloc(range.length);
        await handle.read(bytes, 0, range.length, range.offset);
        out.push(bytes);
      }
      return out;
    } finally {
      await handle.close();
    }
  }
  const order = ranges.map((range, i) => ({ range, i })).sort((a, b) => a.range.offset - b.range.offset);
  const out: Uint8Array[] = new Array(ranges.length);
  let position = 0;
  let next = 0;
  const pending = new Map<number, { bytes: Buffer; filled: number; offset: number }>();
  for await (const chunk of createReadStream(path).pipe(createGunzip()) as AsyncIterable<Buffer>) {
    const chunkEnd = position + chunk.length;
    while (next < order.length && order[next]!.range.offset < chunkEnd) {
      const { range, i } = order[next]!;
      pending.set(i, { bytes: Buffer.alloc(range.length), filled: 0, offset: range.offset });
      next++;
    }
    for (const [i, entry] of pending) {
      const from = Math.max(entry.offset + entry.filled, position);
      const to = Math.min(entry.offset + entry.bytes.length, chunkEnd);
      if (to > from) {
        chunk.copy(entry.bytes, from - entry.offset, from - position, to - position);
        entry.filled = to - entry.offset;
      }
      if (entry.filled === entry.bytes.length) {
        out[i] = entry.bytes;
        pending.delete(i);
      }
    }
    position = chunkEnd;
    if (next === order.length && pending.size === 0) break;
  }
  return out;
}

/** Passes standard input through while keeping a copy in `copyPath` for `readRanges`. */
export function teeStdin(stdin: NodeJS.ReadableStream, copyPath: string): { stream: Readable; copied: Promise<void> } {
  const copy = createWriteStream(copyPath);
  const copied = new Promise<void>((resolve, reject) => {
    copy.on('finish', resolve);
    copy.on('error', reject);
  });
  const through = new PassThrough();
  (stdin as Readable).on('data', (chunk: Buffer) => {
    copy.write(chunk);
    if (!through.write(chunk)) (stdin as Readable).pause();
  });
  through.on('drain', () => (stdin as Readable).resume());
  (stdin as Readable).on('end', () => {
    copy.end();
    through.end();
  });
  (stdin as Readable).on('error', (error) => through.destroy(error));
  return { stream: through, copied };
}

/**
 * Rewrites a file without some byte ranges (sorted, non-overlapping, relative to `base`): how a
 * superseded duplicate's rows leave a CSV table. Streams, so the table can be any size.
 */
export async function dropRanges(path: string, ranges: ReadonlyArray<readonly [number, number]>, base: number): Promise<void> {
  const temp = `${path}.filtered`;
  const out = createWriteStream(temp);
  try {
    await writeWithout(path, out, ranges, base);
  } catch (cause) {
    out.destroy();
    throw writeFailed(temp, cause);
  }
  await rename(temp, path);
}

async function writeWithout(path: string, out: WriteStream, ranges: ReadonlyArray<readonly [number, number]>, base: number): Promise<void> {
  // A write error ends the wait for 'drain' (it would never come) and is thrown from there or at the end.
  let failed: Error | null = null;
  out.on('error', (error) => (failed = error));
  const drained = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const done = (): void => {
        out.off('drain', done);
        out.off('error', done);
        if (failed) reject(failed);
        else resolve();
      };
      out.once('drain', done);
      out.once('error', done);
    });
  let position = 0;
  let next = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let from = 0;
    while (from < chunk.length) {
      const range = ranges[next];
      const absolute = position + from;
      if (range === undefined || absolute < base + range[0]) {
        const until = range === undefined ? chunk.length : Math.min(chunk.length, base + range[0] - position);
        if (failed) throw failed;
        beforeWrite(String(out.path));
        if (!out.write(chunk.subarray(from, until))) await drained();
        from = until;
      } else if (absolute < base + range[1]) {
        from = Math.min(chunk.length, base + range[1] - position);
      } else {
        next++;
      }
    }
    position += chunk.length;
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error || failed ? reject(error ?? failed) : resolve())));
}
