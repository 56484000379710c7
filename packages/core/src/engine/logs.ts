/**
 * The call log tables of a run (`pstn_calls`, `direct_routing_calls`), on the main thread, at
 * commit: workers validate, flatten, redact and encode log rows like records (batch.ts), and each
 * row is placed here in input order. A row whose id was placed before (the same row in two inputs:
 * overlapping fetch windows) is a duplicate: its CSV bytes are not written and its Parquet row is
 * dropped when the table is finished; the first copy counts (log rows have no version to choose by,
 * and Graph's copies of a row are the same). Decided in input order, so the same for every worker count.
 *
 * A table is opened on its first row, so a run that saw no log row writes no log file. The log
 * rollups (rollup/logs.ts) are aggregated here, from the rows kept.
 *
 * Memory: one Set entry per distinct row id (a GUID, ~90 bytes), plus the rollups' groups.
 */
import type { OutputDir } from '../io/index.js';
import { addLogRow, emptyLogPartial, finalizeLogRollups } from '../rollup/logs.js';
import type { LogRollupPartial } from '../rollup/logs.js';
import type { ColumnBatch } from '../table/schema.js';
import type { LogTableName } from '../table/logs.js';
import type { OutputFormat } from './options.js';
import type { Executor } from './pool.js';
import type { LogOutcome, LogTableResult } from './protocol.js';
import type { RunCounts } from './result.js';
import { finishTable, openTableSink } from './sinks.js';
import type { TableSink } from './sinks.js';

const COUNT: Readonly<Record<LogTableName, 'pstnCalls' | 'directRoutingCalls'>> = { pstn_calls: 'pstnCalls', direct_routing_calls: 'directRoutingCalls' };

interface LogSink {
  readonly sink: TableSink;
  readonly seen: Set<string>;
  /** Parquet rows of duplicates, [start, end), in order. */
  readonly drops: Array<[number, number]>;
}

/** Where a batch's log CSV bytes have been read to, per table. */
export type LogCursor = Map<LogTableName, { readonly csv: Uint8Array; at: number }>;

export class LogTables {
  private readonly sinks = new Map<LogTableName, LogSink>();
  private readonly partial: LogRollupPartial;

  constructor(
    /** Null: no table files (validate, summary, a run without an output folder); rows are still counted and rolled up. */
    private readonly output: OutputDir | null,
    private readonly formats: readonly OutputFormat[],
    private readonly partRows: number,
    tz: string,
  ) {
    this.partial = emptyLogPartial(tz);
  }

  /** A cursor over a batch's log CSV bytes, for place(). */
  static cursor(tables: readonly LogTableResult[]): LogCursor {
    return new Map(tables.map((t) => [t.table, { csv: t.csv, at: 0 }]));
  }

  /** Places one log row, in input order: counted and written, or a duplicate (`loser`: the ledger judged it one). */
  async place(log: LogOutcome, cursor: LogCursor, counts: RunCounts, loser: boolean): Promise<void> {
    const table = await this.open(log.table);
    const csv = cursor.get(log.table)!;
    const bytes = csv.csv.subarray(csv.at, csv.at + log.csvBytes);
    csv.at += log.csvBytes;
    const row = table.sink.rows++;
    if (loser || table.seen.has(log.id)) {
      counts.duplicate++;
      const last = table.drops.at(-1);
      if (last !== undefined && last[1] === row) last[1] = row + 1;
      else table.drops.push([row, row + 1]);
      return;
    }
    table.seen.add(log.id);
    counts[COUNT[log.table]]++;
    if (table.sink.csv !== null && bytes.byteLength > 0) await table.sink.csv.write(bytes);
    table.sink.csvBytes += bytes.byteLength;
    addLogRow(this.partial, log.table, log.values);
  }

  /** Spools a batch's Parquet rows of the log tables (after its rows were placed). */
  async spool(tables: readonly LogTableResult[]): Promise<void> {
    for (const { table, ipc, rows } of tables) {
      const sink = this.sinks.get(table)?.sink;
      if (ipc !== null && sink?.parts) await sink.parts.append(ipc, rows);
    }
  }

  /** Closes the tables the run opened (spools of a failed run too). */
  async close(): Promise<void> {
    for (const { sink } of this.sinks.values()) await sink.parts?.close();
  }

  /** Finishes the tables opened (CSV closed, Parquet encoded without the duplicates); names them in `outputs`. */
  async finish(executor: Executor, outputs: string[]): Promise<void> {
    if (this.output === null) return;
    for (const [table, { sink, drops }] of [...this.sinks].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await finishTable(this.output, table, sink, [], drops, executor, outputs);
    }
  }

  /** The log rollups of the tables that saw rows. */
  rollups(): Array<{ name: string; batch: ColumnBatch }> {
    return finalizeLogRollups(this.partial, new Set(this.sinks.keys()));
  }

  private async open(table: LogTableName): Promise<LogSink> {
    let entry = this.sinks.get(table);
    if (entry === undefined) {
      entry = { sink: await openTableSink(this.output, table, this.formats, this.partRows), seen: new Set(), drops: [] };
      this.sinks.set(table, entry);
    }
    return entry;
  }
}
