/**
 * @callaudit/core: the public API. One explicit list; internals stay out.
 */
export { CallauditError, ErrorCode, fail, isCallauditError } from './errors.js';
export type { ColumnType, ColumnDef, TableSchema, ColumnBatch, CellValue } from './table/schema.js';
export { STREAMS, CALLS } from './table/tables.js';
