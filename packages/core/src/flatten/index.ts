/**
 * Flattening: callRecords to streams and calls table rows.
 */
export { flattenRecord, flattenToBatches } from './record.js';
export type { FlattenOutput } from './record.js';
