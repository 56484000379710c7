import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { utf8Length } from '../../src/io/arrow.js';
import { batchToIPC, encodeParquet, encodeParquetBatches, joinIPCStreams, MAX_PARQUET_IPC_BYTES } from '../../src/io/parquet.js';
import type { ParquetOptions } from '../../src/io/parquet.js';
import type { CellValue, ColumnBatch, TableSchema } from '../../src/table/schema.js';
import { CALLS, STREAMS } from '../../src/table/tables.js';
import { duckdbRows, duckdbType, duckdbTypes } from './duckdb.js';
import { batchOf, MIXED, streamsLikeBatch } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'callaudit-parquet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function save(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

/** The batch's values row by row, as a reader should give them back. */
function rowsOf(batch: ColumnBatch): CellValue[][] {
  return Array.from({ length: batch.length }, (_, i) => batch.columns.map((column) => column[i]!));
}

/** DuckDB's rows, timestamps as epoch milliseconds. */
function duckdbSelect(schema: TableSchema, from: string): Promise<unknown[][]> {
  const select = schema.columns.map((column) => (column.type === 'timestamp' ? `epoch_ms("${column.name}")` : `"${column.name}"`)).join(', ');
  return duckdbRows(`SELECT ${select} FROM ${from}`);
}

/** hyparquet's rows (it reads snappy and uncompressed files, not zstd), int64 and timestamps as numbers. */
async function hyparquetRows(bytes: Uint8Array, schema: TableSchema): Promise<unknown[][]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = await parquetReadObjects({ file, rowFormat: 'object', parsers: { timestampFromMilliseconds: (ms: bigint | number) => Number(ms) } });
  return rows.map((row) =>
    schema.columns.map((column) => {
      const value: unknown = row[column.name];
      return typeof value === 'bigint' ? Number(value) : (value ?? null);
    }),
  );
}

const EDGE = batchOf(MIXED, [
  ['a,b "c"\r\nd', 42, 0.1, true, Date.UTC(2026, 0, 2, 3, 4, 5, 678)],
  [null, null, null, null, null],
  ['', -9007199254740991, -1e-7, false, 0],
  ['Mikrofon – Büro 会议室 😀', 9007199254740991, 1.7976931348623157e308, null, -86_400_001],
  ['=x', 0, -0, true, 253402300799999],
]);

describe('encodeParquet types', () => {
  it('declares every column with its type, nullable, as DuckDB reads it', async () => {
    for (const schema of [STREAMS, CALLS, MIXED]) {
      const path = save(`types-${schema.name}.parquet`, encodeParquetBatches([streamsLikeBatch(50, 2, schema)]));
      const types = await duckdbTypes(`'${path}'`);
      expect(types).toEqual(Object.fromEntries(schema.columns.map((column) => [column.name, duckdbType(column.type)])));
    }
  });

  it('writes Parquet physical and logical types, zstd by default', () => {
    const metadata = parquetMetadata(encodeParquetBatches([EDGE]));
    const fields = parquetSchema(metadata).children.map(({ element }) => [
      element.name,
      element.type,
      element.repetition_type,
      element.logical_type?.type ?? null,
      element.logical_type?.type === 'TIMESTAMP' ? `${element.logical_type.unit} utc=${String(element.logical_type.isAdjustedToUTC)}` : null,
    ]);
    expect(fields).toEqual([
      ['name', 'BYTE_ARRAY', 'OPTIONAL', 'STRING', null],
      ['count', 'INT64', 'OPTIONAL', null, null],
      ['ratio', 'DOUBLE', 'OPTIONAL', null, null],
      ['flag', 'BOOLEAN', 'OPTIONAL', null, null],
      ['at', 'INT64', 'OPTIONAL', 'TIMESTAMP', 'MILLIS utc=true'],
    ]);
    const codecs = new Set(metadata.row_groups.flatMap((group) => group.columns.map((column) => column.meta_data?.codec)));
    expect([...codecs]).toEqual(['ZSTD']);
    const snappy = parquetMetadata(encodeParquetBatches([EDGE], { compression: 'snappy' }));
    expect(snappy.row_groups[0]!.columns[0]!.meta_data?.codec).toBe('SNAPPY');
  });
});

describe('encodeParquet values', () => {
  // -0 is written as 0 (as CSV writes it): the one value that does not read back as given
  const written = (batch: ColumnBatch): CellValue[][] => rowsOf(batch).map((row) => row.map((value) => (Object.is(value, -0) ? 0 : value)));

  it('reads back every value, null and empty string with DuckDB (zstd)', async () => {
    const path = save('edge.parquet', encodeParquetBatches([EDGE]));
    const rows = await duckdbSelect(MIXED, `'${path}'`);
    expect(rows).toEqual(written(EDGE));
    expect(Object.is(rows[4]![2], 0)).toBe(true);
  });

  it('reads back every value with hyparquet (snappy and uncompressed)', async () => {
    for (const compression of ['snappy', 'none'] as const) {
      const rows = await hyparquetRows(encodeParquetBatches([EDGE], { compression }), MIXED);
      expect(rows).toEqual(written(EDGE));
      expect(Object.is(rows[4]![2], 0)).toBe(true);
    }
  });

  it('reads back 4,000 STREAMS-like rows from three batches, in order, with both readers', async () => {
    const batches = [streamsLikeBatch(1_800, 1), streamsLikeBatch(1, 2), streamsLikeBatch(2_199, 3)];
    const expected = batches.flatMap(rowsOf);
    const path = save('streams.parquet', encodeParquetBatches(batches));
    expect(await duckdbSelect(STREAMS, `'${path}'`)).toEqual(expected);
    expect(await hyparquetRows(encodeParquetBatches(batches, { compression: 'snappy' }), STREAMS)).toEqual(expected);
  });

  it('writes any text as its UTF-8 (lone surrogates as U+FFFD, as TextEncoder does)', async () => {
    // Halves of one pair in neighbouring cells stay two lone surrogates, not one joined character.
    const halves = batchOf(MIXED, [
      ['x\ud83d', null, null, null, null],
      ['\ude00y', null, null, null, null],
      ['€', null, null, null, null],
    ]);
    expect((await hyparquetRows(encodeParquetBatches([halves], { compression: 'none' }), MIXED)).map((row) => row[0])).toEqual(['x\ufffd', '\ufffdy', '€']);
    const unit = fc.constantFrom('a', 'é', '€', '😀', '\ud83d', '\ude00', ',', '"', '\n');
    const text = fc.oneof(fc.string({ unit, maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }), fc.constant(null));
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 20 }), async (values) => {
        const batch = batchOf(
          MIXED,
          values.map((value) => [value, null, null, null, null]),
        );
        const read = (await hyparquetRows(encodeParquetBatches([batch], { compression: 'none' }), MIXED)).map((row) => row[0]);
        expect(read).toEqual(values.map((value) => (value === null ? null : Buffer.from(value, 'utf8').toString('utf8'))));
        for (const value of values) if (value !== null) expect(utf8Length(value)).toBe(Buffer.byteLength(value, 'utf8'));
      }),
      { numRuns: 25 },
    );
  });

  it('writes an all-null column and an empty table', async () => {
    const nulls = batchOf(MIXED, [
      [null, null, null, null, null],
      [null, null, null, null, null],
    ]);
    expect(await duckdbSelect(MIXED, `'${save('nulls.parquet', encodeParquetBatches([nulls]))}'`)).toEqual(rowsOf(nulls));
    const empty = save('empty.parquet', encodeParquetBatches([batchOf(STREAMS, [])]));
    expect(await duckdbRows(`SELECT count(*) FROM '${empty}'`)).toEqual([[0]]);
    expect(Object.keys(await duckdbTypes(`'${empty}'`))).toEqual(STREAMS.columns.map((column) => column.name));
  });

  it('cuts row groups of rowGroupRows rows', () => {
    const batch = streamsLikeBatch(2_500, 5);
    const groups = (options: ParquetOptions): number[] =>
      parquetMetadata(encodeParquetBatches([batch], options)).row_groups.map((group) => Number(group.num_rows));
    expect(groups({ rowGroupRows: 1_000 })).toEqual([1_000, 1_000, 500]);
    expect(groups({})).toEqual([2_500]);
  });

  it('gives byte-identical files for the same batches', () => {
    const a = encodeParquetBatches([streamsLikeBatch(3_000, 9), streamsLikeBatch(10, 10)]);
    const b = encodeParquetBatches([streamsLikeBatch(3_000, 9), streamsLikeBatch(10, 10)]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(encodeParquetBatches([streamsLikeBatch(3_000, 9), streamsLikeBatch(10, 11)])))).toBe(false);
  });
});

describe('encodeParquet datasets', () => {
  it('writes part files that DuckDB reads as one table', async () => {
    const parts = [streamsLikeBatch(700, 21), streamsLikeBatch(0, 22), streamsLikeBatch(1_300, 23)];
    parts.forEach((part, p) => {
      save(`dataset/streams/part-${String(p).padStart(5, '0')}.parquet`, encodeParquet([batchToIPC(part)]));
    });
    const from = `read_parquet('${join(dir, 'dataset/streams/*.parquet')}', filename = true)`;
    const rows = await duckdbRows(`SELECT count(*), count(DISTINCT filename) FROM ${from}`);
    expect(rows).toEqual([[2_000, 2]]);
    const select = await duckdbSelect(
      STREAMS,
      `read_parquet('${join(dir, 'dataset/streams/*.parquet')}', file_row_number = true, filename = true) ORDER BY filename, file_row_number`,
    );
    expect(select).toEqual(parts.flatMap(rowsOf));
  });

  it('encodes in a worker thread the same bytes as in the main thread', async () => {
    const batch = streamsLikeBatch(2_000, 31);
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      import('tsx/esm/api').then(({ tsImport }) => tsImport(workerData.module, workerData.module)).then(({ batchToIPC, encodeParquet }) => {
        const ipc = batchToIPC(workerData.batch);
        const bytes = encodeParquet([ipc, ipc]);
        parentPort.postMessage(bytes, [bytes.buffer]);
      }, (error) => parentPort.postMessage(String(error)));`;
    const module = new URL('../../src/io/parquet.ts', import.meta.url).href;
    const worker = new Worker(source, { eval: true, workerData: { module, batch } });
    try {
      const bytes = await new Promise<unknown>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(bytes).toBeInstanceOf(Uint8Array);
      const ipc = batchToIPC(batch);
      expect(Buffer.from(bytes as Uint8Array).equals(Buffer.from(encodeParquet([ipc, ipc])))).toBe(true);
    } finally {
      await worker.terminate();
    }
  });
});

describe('encodeParquet bad input', () => {
  it('fails E_INTERNAL on a value its column type does not allow, naming column and row', () => {
    const cases: [number, CellValue][] = [
      [0, 7],
      [1, 1.5],
      [1, 2 ** 60],
      [2, Number.NaN],
      [2, '1'],
      [3, 1],
      [4, 1.5],
      [4, '2026-01-02'],
    ];
    for (const [column, value] of cases) {
      const row: CellValue[] = ['ok', 1, 0.5, true, 0];
      row[column] = value;
      const name = MIXED.columns[column]!.name;
      expect(() => batchToIPC(batchOf(MIXED, [['ok', 1, 0.5, true, 0], row]))).toThrow(
        expect.objectContaining({ code: 'E_INTERNAL', message: expect.stringContaining(`column ${name} `) }),
      );
    }
  });

  it('fails E_INTERNAL on streams of two schemas, a truncated stream, garbage and no streams', () => {
    const streams = batchToIPC(streamsLikeBatch(10, 1));
    const calls = batchToIPC(streamsLikeBatch(10, 1, CALLS));
    const internal = expect.objectContaining({ code: 'E_INTERNAL' });
    expect(() => encodeParquet([streams, calls])).toThrow(
      expect.objectContaining({ code: 'E_INTERNAL', message: expect.stringContaining('stream 1 has another schema') }),
    );
    expect(() => encodeParquet([streams.subarray(0, streams.length - 100)])).toThrow(internal);
    expect(() => encodeParquet([streams, streams.subarray(0, 12)])).toThrow(internal);
    expect(() => encodeParquet([new Uint8Array(64)])).toThrow(internal);
    expect(() => encodeParquet([])).toThrow(internal);
    expect(() => encodeParquetBatches([])).toThrow(internal);
  });

  it('fails E_INTERNAL when a stream body is cut but its framing looks whole', () => {
    const streams = batchToIPC(streamsLikeBatch(10, 1));
    const cut = new Uint8Array(streams.length - 64);
    cut.set(streams.subarray(0, cut.length - 8));
    cut.set(streams.subarray(streams.length - 8), cut.length - 8);
    expect(() => encodeParquet([cut])).toThrow(expect.objectContaining({ code: 'E_INTERNAL' }));
    const garbled = streams.slice();
    garbled.fill(7, 300, 600);
    expect(() => encodeParquet([garbled])).toThrow(expect.objectContaining({ code: 'E_INTERNAL' }));
    // The wasm writer is still usable after its errors.
    expect(parquetMetadata(encodeParquet([streams])).num_rows).toBe(10n);
  });

  it('fails E_INTERNAL, before touching the bytes, on more IPC than one file can take', () => {
    // Zero-filled and never read: the pages are not touched.
    const huge = new Uint8Array(MAX_PARQUET_IPC_BYTES);
    expect(() => encodeParquet([batchToIPC(EDGE), huge])).toThrow(
      expect.objectContaining({ code: 'E_INTERNAL', message: expect.stringContaining('part files of fewer rows') }),
    );
  });

  it('fails E_USAGE on bad options', () => {
    const ipc = batchToIPC(EDGE);
    expect(() => encodeParquet([ipc], { rowGroupRows: 0 })).toThrow(
      expect.objectContaining({ code: 'E_USAGE', message: expect.stringContaining('options.rowGroupRows') }),
    );
    expect(() => encodeParquet([ipc], { compression: 'lz4' as 'zstd' })).toThrow(
      expect.objectContaining({ code: 'E_USAGE', message: expect.stringContaining('options.compression') }),
    );
  });

  it('joins streams byte-exactly: one schema, all batches, one end marker', () => {
    const a = batchToIPC(streamsLikeBatch(3, 1));
    const b = batchToIPC(streamsLikeBatch(4, 2));
    const joined = joinIPCStreams([a, b]);
    expect(joinIPCStreams([a])).toBe(a);
    expect(Buffer.from(joined.subarray(0, a.length - 8)).equals(Buffer.from(a.subarray(0, a.length - 8)))).toBe(true);
    expect(Buffer.from(joined.subarray(joined.length - 8)).toString('hex')).toBe('ffffffff00000000');
  });
});
