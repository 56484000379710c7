/**
 * Parquet part files. While a run reads, each table's Arrow IPC batches are appended, in input
 * order, to spool files (one per part). When reading ends and superseded duplicates are known,
 * each part is encoded to Parquet on a worker, leaving out the superseded rows.
 */
import { open, readFile, rm, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tableFromIPC } from '@uwdata/flechette';
import { batchToIPC, beforeWrite, encodeParquet, writeFailed } from '../io/index.js';
import { ColumnBuilder } from '../table/schema.js';
import type { CellValue, ColumnBatch, TableSchema } from '../table/schema.js';
import { CALLS, STREAMS } from '../table/tables.js';
import { LOG_TABLES } from '../table/logs.js';
import type { PartTask } from './protocol.js';

const TABLES: Record<string, TableSchema> = { streams: STREAMS, calls: CALLS, ...LOG_TABLES };

export function splitSpool(bytes: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at < bytes.byteLength) {
    const length = view.getUint32(at, true);
    // A copy: Arrow readers need 8-byte aligned buffers, and the 4-byte prefixes shift them.
    // (new Uint8Array(view) copies; Buffer#slice would not.)
    parts.push(new Uint8Array(bytes.subarray(at + 4, at + 4 + length)));
    at += 4 + length;
  }
  return parts;
}

export function ipcToBatch(ipc: Uint8Array, schema: TableSchema): ColumnBatch {
  const table = tableFromIPC(ipc, { useDate: false, useBigInt: false });
  const columns = schema.columns.map((column) => Array.from(table.getChild(column.name).toArray() as ArrayLike<CellValue>, (v) => v ?? null));
  return { schema, length: table.numRows, columns };
}

/** Keeps the rows outside the drop ranges; one pass over rows and ranges (a log table may drop many single rows). */
function dropRows(batches: ColumnBatch[], schema: TableSchema, drop: PartTask['drop']): ColumnBatch {
  const builder = new ColumnBuilder(schema);
  const ranges = [...drop].sort((a, b) => a[0] - b[0]);
  let next = 0;
  let base = 0;
  for (const batch of batches) {
    const offset = base;
    builder.append(batch, (row) => {
      const at = offset + row;
      while (next < ranges.length && ranges[next]![1] <= at) next++;
      return !(next < ranges.length && ranges[next]![0] <= at);
    });
    base += batch.length;
  }
  return builder.finish();
}

/** Encodes one part; returns the rows written. */
export async function encodePart(task: PartTask): Promise<number> {
  const ipcs = splitSpool(await readFile(task.spool));
  let parts = ipcs;
  let rows = task.rows;
  if (task.drop.length > 0) {
    const schema = TABLES[task.table];
    if (schema === undefined) throw new Error(`unknown table ${task.table}`);
    const kept = dropRows(
      ipcs.map((ipc) => ipcToBatch(ipc, schema)),
      schema,
      task.drop,
    );
    parts = [batchToIPC(kept)];
    rows = kept.length;
  }
  const parquet = encodeParquet(parts);
  try {
    beforeWrite(task.target);
    await writeFile(task.target, parquet);
  } catch (cause) {
    throw writeFailed(task.target, cause);
  }
  await rm(task.spool, { force: true });
  return rows;
}

/** Appends one table's IPC batches into spool files of about `partRows` rows each. */
export class PartSpooler {
  readonly parts: Array<{ spool: string; rowStart: number; rows: number }> = [];
  private handle: FileHandle | null = null;
  private rowsWritten = 0;

  constructor(
    private readonly table: string,
    private readonly spoolPath: (part: number) => string,
    private readonly partRows: number,
  ) {}

  get totalRows(): number {
    return this.rowsWritten;
  }

  async append(ipc: Uint8Array, rows: number): Promise<void> {
    try {
      await this.write(ipc, rows);
    } catch (cause) {
      throw writeFailed(this.parts.at(-1)?.spool ?? this.spoolPath(0), cause);
    }
  }

  private async write(ipc: Uint8Array, rows: number): Promise<void> {
    let current = this.parts[this.parts.length - 1];
    if (current === undefined || current.rows >= this.partRows) {
      await this.handle?.close();
      current = { spool: this.spoolPath(this.parts.length), rowStart: this.rowsWritten, rows: 0 };
      this.parts.push(current);
      this.handle = await open(current.spool, 'w');
    }
    const prefix = new Uint8Array(4);
    new DataView(prefix.buffer).setUint32(0, ipc.byteLength, true);
    beforeWrite(current.spool);
    await this.handle!.write(prefix);
    await this.handle!.write(ipc);
    current.rows += rows;
    this.rowsWritten += rows;
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = null;
  }

  /** The part tasks, with each part's rows to leave out (global row ranges made part-relative). */
  tasks(target: (part: number) => string, drop: ReadonlyArray<readonly [number, number]>): PartTask[] {
    return this.parts.map((part, i) => ({
      spool: part.spool,
      target: target(i),
      table: this.table,
      rows: part.rows,
      drop: drop
        .filter(([start, end]) => end > part.rowStart && start < part.rowStart + part.rows)
        .map(([start, end]) => [Math.max(0, start - part.rowStart), Math.min(part.rows, end - part.rowStart)] as const),
    }));
  }
}
