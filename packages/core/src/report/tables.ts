/**
 * Reading the finalized rollup tables by name and column: the page shows what is there and grows
 * when a table or a column appears (a table that is not there yet is simply left out).
 */
import type { InputReport } from '../ingest/types.js';
import type { RejectEntry } from '../io/rejects.js';
import type { CellValue, ColumnBatch } from '../table/schema.js';

/**
 * What the page reads of summary.json (engine/summary.ts's RunSummary has all of it). Declared
 * here, not imported, so that report/ does not depend on engine/, which loads report/; the inputs
 * are ingest's InputReport, the type the engine fills in.
 */
export interface PageSummary {
  readonly tool: { readonly version: string };
  readonly started_at: string;
  readonly run_time_s: number;
  readonly workers: number;
  readonly rules: { readonly name: string };
  readonly inputs: readonly InputReport[];
  readonly counts: Record<'read' | 'accepted' | 'rejected' | 'duplicate' | 'filtered' | 'streams' | 'calls', number> & {
    /** Sessions saved on their own, stitched into their record (see README). */
    readonly sessions_stitched?: number;
  };
  readonly headline: {
    readonly by_modality: ReadonlyArray<{ readonly modality: string; readonly classified: number; readonly poor: number; readonly poor_pct: number | null }>;
    readonly calls: { readonly classified: number; readonly poor: number; readonly poor_call_pct: number | null };
  };
}

/** What a page is made of, given to renderReportPage and handed on to renderPage. */
export interface PageData {
  readonly summary: PageSummary;
  readonly rollups: readonly NamedRollup[];
  /** The first rejects, in input order (REJECTS_SHOWN of them are shown). */
  readonly rejects: readonly RejectEntry[];
  /** The run pseudonymized its keys (--redact). */
  readonly redacted: boolean;
}

export interface NamedRollup {
  readonly name: string;
  readonly batch: ColumnBatch;
}

export function findTable(rollups: readonly NamedRollup[], name: string): ColumnBatch | undefined {
  return rollups.find((r) => r.name === `rollup_${name}`)?.batch;
}

export function hasColumn(batch: ColumnBatch, name: string): boolean {
  return batch.schema.columns.some((c) => c.name === name);
}

/** A column's cells, or undefined when the table has no such column. */
export function cells(batch: ColumnBatch, name: string): readonly CellValue[] | undefined {
  const index = batch.schema.columns.findIndex((c) => c.name === name);
  return index < 0 ? undefined : batch.columns[index];
}

export function num(value: CellValue | undefined): number {
  return typeof value === 'number' ? value : 0;
}

/** Sum of a numeric column over all rows; null when the column is absent. */
export function columnSum(batch: ColumnBatch, name: string): number | null {
  const column = cells(batch, name);
  if (column === undefined) return null;
  let sum = 0;
  for (const v of column) sum += num(v);
  return sum;
}

/**
 * The key columns of a rollup: the columns before its first measure (`streams`, or `calls`), which
 * covers the label columns too (`upn` beside `user_id`).
 */
export function keyColumns(batch: ColumnBatch): string[] {
  const names = batch.schema.columns.map((c) => c.name);
  // the log rollups (rollup_pstn_*, rollup_dr_*) have no streams: their first measure is calls
  const first = names.findIndex((name) => name === 'streams' || name === 'calls');
  return names.slice(0, first < 0 ? names.length : first);
}

/** A group's label: its key values joined with ' / ', '(none)' for an empty key. */
export function groupLabel(batch: ColumnBatch, row: number, keys: readonly string[] = keyColumns(batch)): string {
  const parts = keys
    .map((k) => cells(batch, k)![row])
    .filter((v) => v !== null && v !== '')
    .map(String);
  return parts.length === 0 ? '(none)' : parts.join(' / ');
}
