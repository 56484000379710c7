/** Checks the writers share: a batch's shape against its schema, and the error for a bad cell. */
import { type CallauditError, ErrorCode, fail } from '../errors.js';
import type { ColumnBatch } from '../table/schema.js';

/** Fails (E_INTERNAL) unless the batch has one column per schema column, each `length` long. */
export function checkShape(batch: ColumnBatch): void {
  const { schema, columns, length } = batch;
  if (columns.length !== schema.columns.length) {
    throw fail(ErrorCode.Internal, `table ${schema.name}: batch has ${columns.length} columns, schema has ${schema.columns.length}`);
  }
  for (let j = 0; j < columns.length; j++) {
    if (columns[j]!.length !== length) {
      throw fail(ErrorCode.Internal, `table ${schema.name}: column ${schema.columns[j]!.name} has ${columns[j]!.length} values, batch length is ${length}`);
    }
  }
}

/** The error for a cell whose value breaks its column type's convention (see table/schema.ts). */
export function badValue(batch: ColumnBatch, column: number, row: number, value: unknown): CallauditError {
  const def = batch.schema.columns[column]!;
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
  return fail(
    ErrorCode.Internal,
    `table ${batch.schema.name}: column ${def.name} (${def.type}) row ${row} holds ${typeof value} ${shown}, not a valid ${def.type} value`,
  );
}
