/**
 * Parquet encoding: column batches become Arrow IPC streams (@uwdata/flechette, built from the
 * column arrays, never from row objects), IPC streams become a Parquet file (parquet-wasm, which
 * loads its wasm synchronously on import in Node, so this module works in worker threads too).
 *
 * Declared types, all nullable:
 * | TableSchema | Arrow                  | Parquet                                  | DuckDB reads          |
 * |-------------|------------------------|------------------------------------------|-----------------------|
 * | string      | Utf8                   | BYTE_ARRAY, STRING                       | VARCHAR               |
 * | int         | Int64                  | INT64                                    | BIGINT                |
 * | float       | Float64                | DOUBLE                                   | DOUBLE                |
 * | bool        | Bool                   | BOOLEAN                                  | BOOLEAN               |
 * | timestamp   | Timestamp(ms, "UTC")   | INT64, TIMESTAMP(MILLIS, adjusted to UTC) | TIMESTAMP WITH TIME ZONE |
 *
 * A file is encoded whole in wasm memory, which is at most 4 GiB and never shrinks. Measured: one
 * file of 1M STREAMS rows (950 MB of IPC) grew it to 2.4 GB, a second such file to 3.3 GB. So a
 * file takes at most MAX_PARQUET_IPC_BYTES of IPC, and large tables are written as datasets of part
 * files of bounded size (~250k STREAMS rows is ~240 MB of IPC), each encoded by a worker.
 * The same batches give byte-identical files.
 */
import { createRequire } from 'node:module';
import type * as ParquetWasm from 'parquet-wasm';
import { ErrorCode, fail } from '../errors.js';
import type { ColumnBatch } from '../table/schema.js';
import { batchToIPC } from './arrow.js';

export { batchToIPC };

export type ParquetCompression = 'zstd' | 'snappy' | 'none';

export interface ParquetOptions {
  /** Default zstd: the smallest files measured here, read by DuckDB, Spark, pandas (pyarrow), polars. */
  readonly compression?: ParquetCompression;
  /** Rows per row group. Default 122,880 (DuckDB's own row group size: readers parallelize per group). */
  readonly rowGroupRows?: number;
}

export const DEFAULT_ROW_GROUP_ROWS = 122_880;

/** The most Arrow IPC one Parquet file is encoded from (see the memory note above). */
export const MAX_PARQUET_IPC_BYTES = 1 << 30;

const COMPRESSIONS: readonly ParquetCompression[] = ['zstd', 'snappy', 'none'];

let wasm: typeof ParquetWasm | null = null;
/**
 * parquet-wasm, loaded on first use (its Node build is CommonJS and instantiates synchronously):
 * a worker that never writes Parquet does not pay ~0.15 s CPU and its wasm memory.
 */
function parquetWasm(): typeof ParquetWasm {
  wasm ??= createRequire(import.meta.url)('parquet-wasm') as typeof ParquetWasm;
  return wasm;
}

/**
 * One Parquet file from IPC streams of one schema (as batchToIPC makes them), rows in the order
 * given. Row groups hold `rowGroupRows` rows.
 */
export function encodeParquet(parts: readonly Uint8Array[], options: ParquetOptions = {}): Uint8Array {
  const compression = options.compression ?? 'zstd';
  const rowGroupRows = options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
  if (!COMPRESSIONS.includes(compression)) throw fail(ErrorCode.Usage, `options.compression must be zstd, snappy or none, not ${String(compression)}`);
  if (!Number.isSafeInteger(rowGroupRows) || rowGroupRows < 1)
    throw fail(ErrorCode.Usage, `options.rowGroupRows must be a positive integer, not ${String(rowGroupRows)}`);
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  if (total > MAX_PARQUET_IPC_BYTES) {
    throw fail(
      ErrorCode.Internal,
      `one Parquet file from ${total} bytes of Arrow IPC is more than the wasm writer takes (${MAX_PARQUET_IPC_BYTES}): write the table as part files of fewer rows`,
    );
  }
  const ipc = joinIPCStreams(parts);
  const { Compression, Table, WriterPropertiesBuilder, writeParquet } = parquetWasm();
  const codec = { zstd: Compression.ZSTD, snappy: Compression.SNAPPY, none: Compression.UNCOMPRESSED }[compression];
  let table: ParquetWasm.Table;
  try {
    table = Table.fromIPCStream(ipc);
  } catch (cause) {
    throw fail(ErrorCode.Internal, `Parquet writer could not read the Arrow IPC stream (${ipc.length} bytes): ${String(cause)}`, { cause });
  }
  const properties = new WriterPropertiesBuilder().setCompression(codec).setMaxRowGroupSize(rowGroupRows).build();
  try {
    // writeParquet takes ownership of (and frees) both wasm objects.
    return writeParquet(table, properties);
  } catch (cause) {
    throw fail(ErrorCode.Internal, `Parquet writer failed: ${String(cause)}`, { cause });
  }
}

/** encodeParquet over column batches of one schema. At least one batch (it carries the schema). */
export function encodeParquetBatches(batches: readonly ColumnBatch[], options: ParquetOptions = {}): Uint8Array {
  if (batches.length === 0) throw fail(ErrorCode.Internal, 'encodeParquetBatches needs at least one batch (an empty one gives an empty table)');
  return encodeParquet(batches.map(batchToIPC), options);
}

const EOS = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);

/**
 * Splices IPC streams into one: the first stream's schema message, every stream's record batch
 * messages, one end-of-stream marker. Each stream must open with the very same schema message
 * (no dictionaries: batchToIPC writes none).
 */
export function joinIPCStreams(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 0) throw fail(ErrorCode.Internal, 'no Arrow IPC streams to write: at least one (it carries the schema) is needed');
  const schema = schemaMessage(parts[0]!, 0);
  if (parts.length === 1) return parts[0]!;
  let size = EOS.length;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    const own = schemaMessage(part, p);
    if (own.length !== schema.length || !own.every((byte, i) => byte === schema[i])) {
      throw fail(ErrorCode.Internal, `Arrow IPC stream ${p} has another schema than stream 0: one Parquet file holds one table`);
    }
    size += part.length - EOS.length - (p === 0 ? 0 : schema.length);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    const body = part.subarray(p === 0 ? 0 : schema.length, part.length - EOS.length);
    out.set(body, at);
    at += body.length;
  }
  out.set(EOS, at);
  return out;
}

/** The schema message opening an IPC stream (continuation marker, length, flatbuffer; no body). */
function schemaMessage(part: Uint8Array, index: number): Uint8Array {
  const view = new DataView(part.buffer, part.byteOffset, part.byteLength);
  const ok = part.length >= 16 && view.getInt32(0, true) === -1 && part.subarray(part.length - EOS.length).every((byte, i) => byte === EOS[i]);
  const length = ok ? 8 + view.getInt32(4, true) : -1;
  if (!ok || length < 8 || length > part.length - EOS.length) {
    throw fail(ErrorCode.Internal, `Arrow IPC stream ${index} (${part.length} bytes) is not a complete stream: no schema message or no end-of-stream marker`);
  }
  return part.subarray(0, length);
}
