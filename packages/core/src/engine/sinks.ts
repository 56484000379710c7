/**
 * The streams and calls tables of a run's output: CSV appended as results are committed, Arrow IPC
 * spooled into parts, and at the end the superseded records' rows cut out and the parts encoded
 * to Parquet by the workers.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { csvHeader, encodeParquetBatches } from '../io/index.js';
import type { AppendFile, OutputDir } from '../io/index.js';
import type { ColumnBatch, TableSchema } from '../table/schema.js';
import { CALLS, STREAMS } from '../table/tables.js';
import { LOG_TABLES } from '../table/logs.js';
import type { LogTableName } from '../table/logs.js';
import type { OutputFormat, TableName } from './options.js';
import { PartSpooler } from './parts.js';
import type { Executor } from './pool.js';
import { dropRanges } from './reread.js';

export interface TableSink {
  readonly csv: AppendFile | null;
  readonly parts: PartSpooler | null;
  /** CSV bytes and rows written so far (after the header). */
  csvBytes: number;
  rows: number;
}

/** The tables written row by row as results are committed. */
export type SinkTable = 'streams' | 'calls' | LogTableName;

const SCHEMAS: Readonly<Record<SinkTable, TableSchema>> = { streams: STREAMS, calls: CALLS, ...LOG_TABLES };

/** Opens a table's CSV file and Parquet spool, as far as the run writes them. */
export async function openSink(
  output: OutputDir | null,
  table: 'streams' | 'calls',
  tables: readonly TableName[],
  formats: readonly OutputFormat[],
  partRows: number,
): Promise<TableSink> {
  return openTableSink(output !== null && tables.includes(table) ? output : null, table, formats, partRows);
}

/** Opens a table's CSV file and Parquet spool in `output` (none when null), as far as `formats` ask. */
export async function openTableSink(output: OutputDir | null, table: SinkTable, formats: readonly OutputFormat[], partRows: number): Promise<TableSink> {
  const wanted = output !== null;
  const schema = SCHEMAS[table];
  const csv = wanted && formats.includes('csv') ? await output.openAppend(`${table}.csv`) : null;
  if (csv !== null) await csv.write(csvHeader(schema));
  let parts: PartSpooler | null = null;
  if (wanted && formats.includes('parquet')) {
    await mkdir(output.path(`.spool/${table}`), { recursive: true });
    parts = new PartSpooler(table, (i) => output.path(`.spool/${table}/part-${String(i).padStart(5, '0')}.arrows`), partRows);
  }
  return { csv, parts, csvBytes: 0, rows: 0 };
}

/** Closes a table: cuts the dropped CSV byte ranges, encodes the Parquet parts without the dropped rows. */
export async function finishTable(
  output: OutputDir,
  table: SinkTable,
  sink: TableSink,
  csvDrop: ReadonlyArray<readonly [number, number]>,
  rowDrop: ReadonlyArray<readonly [number, number]>,
  executor: Executor,
  outputs: string[],
): Promise<void> {
  if (sink.csv) {
    await sink.csv.close();
    if (csvDrop.length > 0) await dropRanges(output.path(`${table}.csv`), csvDrop, Buffer.byteLength(csvHeader(SCHEMAS[table])));
    outputs.push(`${table}.csv`);
  }
  if (sink.parts) {
    await sink.parts.close();
    await mkdir(output.path(table), { recursive: true });
    const target = (i: number): string => output.path(join(table, `part-${String(i).padStart(5, '0')}.parquet`));
    const tasks = sink.parts.tasks(target, rowDrop);
    await runBounded(tasks, Math.max(1, executor.workers), (task) => executor.runPart(task));
    // An empty table is still a readable dataset: one part with the schema and no rows.
    if (tasks.length === 0) await output.writeFile(join(table, 'part-00000.parquet'), encodeParquetBatches([emptyBatch(SCHEMAS[table])]));
    outputs.push(`${table}/`);
  }
}

function emptyBatch(schema: TableSchema): ColumnBatch {
  return { schema, length: 0, columns: schema.columns.map(() => []) };
}

/** Runs `fn` over `items` with at most `limit` at a time (never a Promise.all over everything). */
async function runBounded<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}
