/**
 * Gzip NDJSON shards, each written under a hidden temporary name and renamed into place when whole,
 * so a shard on disk is always complete; and whole-file atomic writes (temp + rename) for the
 * manifest and its companions. No fsync: atomic against interruption of this process, not against
 * a power cut (as the report folder).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip, gunzipSync } from 'node:zlib';
import type { Gzip } from 'node:zlib';
import { ErrorCode, fail } from '../errors.js';

export interface ShardLimits {
  /** Records (lines) per shard at the most. Default 1000. */
  readonly records?: number;
  /** Uncompressed bytes per shard, about (a shard is cut after the line that passes it). Default 64 MiB. */
  readonly bytes?: number;
}

export interface ShardInfo {
  /** Path relative to the fetch folder, '/'-separated. */
  readonly file: string;
  readonly records: number;
  /** Uncompressed NDJSON bytes. */
  readonly bytes: number;
  /** The ids of its records (call records; empty for log rows). */
  readonly ids: readonly string[];
}

/** `part-00001.ndjson.gz` ... */
export const SHARD_NAME = /^part-(\d{5,})\.ndjson\.gz$/;

export function shardName(number: number): string {
  return `part-${String(number).padStart(5, '0')}.ndjson.gz`;
}

interface OpenShard {
  readonly number: number;
  readonly temp: string;
  readonly gzip: Gzip;
  readonly sink: Writable;
  records: number;
  bytes: number;
  readonly ids: string[];
  /** The first write error of the file or the compressor. */
  error: Error | null;
}

export class ShardWriter {
  private open: OpenShard | null = null;
  private readonly maxRecords: number;
  private readonly maxBytes: number;

  /**
   * @param root the fetch folder; `sub` the shards' folder inside it; `next` the first shard number.
   */
  constructor(
    private readonly root: string,
    private readonly sub: string,
    private next: number,
    limits: ShardLimits = {},
  ) {
    this.maxRecords = Math.max(1, Math.floor(limits.records ?? 1000));
    this.maxBytes = Math.max(1, limits.bytes ?? 64 * 1024 * 1024);
  }

  /** Appends one JSON line; resolves to the shard it completed, if it cut one. */
  async add(json: string, id: string | null): Promise<ShardInfo | null> {
    const shard = this.open ?? this.start();
    if (shard.error !== null) throw this.failed(shard, shard.error);
    const line = `${json}\n`;
    shard.records++;
    shard.bytes += Buffer.byteLength(line);
    if (id !== null) shard.ids.push(id);
    if (!shard.gzip.write(line)) {
      await new Promise<void>((resolve) => {
        shard.gzip.once('drain', resolve);
        shard.sink.once('error', () => resolve());
      });
      if (shard.error !== null) throw this.failed(shard, shard.error);
    }
    return shard.records >= this.maxRecords || shard.bytes >= this.maxBytes ? this.cut() : null;
  }

  /** Finishes the open shard (if any records are in it) and renames it into place. */
  async cut(): Promise<ShardInfo | null> {
    const shard = this.open;
    if (shard === null) return null;
    this.open = null;
    shard.gzip.end();
    const name = shardName(shard.number);
    try {
      await finished(shard.sink);
      if (shard.error !== null) throw shard.error;
      await rename(shard.temp, join(this.root, this.sub, name));
    } catch (cause) {
      await rm(shard.temp, { force: true });
      throw this.failed(shard, cause as Error);
    }
    return { file: `${this.sub}/${name}`, records: shard.records, bytes: shard.bytes, ids: shard.ids };
  }

  /** Drops the open shard (nothing of it reaches its final name). */
  async abandon(): Promise<void> {
    const shard = this.open;
    if (shard === null) return;
    this.open = null;
    shard.gzip.unpipe(shard.sink);
    shard.gzip.destroy();
    shard.sink.destroy();
    await finished(shard.sink).catch(() => undefined);
    await rm(shard.temp, { force: true });
  }

  private failed(shard: OpenShard, cause: Error): Error {
    const file = join(this.root, this.sub, shardName(shard.number));
    return fail(ErrorCode.Output, `cannot write ${file}: ${cause.message}`, { cause, file });
  }

  private start(): OpenShard {
    const number = this.next++;
    const temp = join(this.root, this.sub, tempName(shardName(number)));
    const gzip = createGzip();
    const sink = createWriteStream(temp);
    const shard: OpenShard = { number, temp, gzip, sink, records: 0, bytes: 0, ids: [], error: null };
    const onError = (error: Error): void => void (shard.error ??= error);
    gzip.on('error', onError);
    sink.on('error', onError);
    gzip.pipe(sink);
    this.open = shard;
    return shard;
  }
}

/** Writes a whole file atomically: a hidden temporary beside it, then rename. */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), tempName(basename(path)));
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (cause) {
    await rm(temp, { force: true });
    throw fail(ErrorCode.Output, `cannot write ${path}: ${(cause as Error).message}`, { cause, file: path });
  }
}

/** Hidden, so a folder walk (report's inputs) skips it; names its process. */
export function tempName(name: string): string {
  return `.${name}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

export const TEMP_NAME = /^\..+\.tmp-\d+-[0-9a-f]{8}$/;

/** The `id` of every line of a finished shard (resume adopts shards the manifest did not list yet). */
export async function shardIds(path: string): Promise<{ ids: string[]; bytes: number }> {
  const raw = gunzipSync(await readFile(path));
  const text = raw.toString('utf8');
  const ids: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const id = (JSON.parse(line) as { id?: unknown }).id;
    if (typeof id !== 'string') throw new Error('a line has no id');
    ids.push(id);
  }
  return { ids, bytes: raw.byteLength };
}
