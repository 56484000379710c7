import { resolveRules } from '../../src/quality/index.js';
import { validateCallRecord } from '../../src/schema/index.js';
import type { CallRecord } from '../../src/schema/index.js';
import type { CellValue, ColumnBatch } from '../../src/table/schema.js';

export const CQD = resolveRules('cqd');

export function parsed(value: unknown): CallRecord {
  const result = validateCallRecord(value);
  if (!result.ok) throw new Error(`fixture is not a valid record: ${result.reason}`);
  return result.record;
}

/** The rows of a batch as objects keyed by column name (tests only: tables travel as columns). */
export function rows(batch: ColumnBatch): Record<string, CellValue>[] {
  return Array.from({ length: batch.length }, (_, row) =>
    Object.fromEntries(batch.schema.columns.map((column, i) => [column.name, batch.columns[i]![row] ?? null])),
  );
}
