import type { ColumnBatch } from '../table/schema.js';

/** A batch as JSON Lines: one object per row, keys in schema order; timestamps as ISO-8601 UTC. */
export function encodeJsonLines(batch: ColumnBatch): string {
  const { columns } = batch.schema;
  let out = '';
  for (let row = 0; row < batch.length; row++) {
    const object: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      const value = batch.columns[i]![row] ?? null;
      object[column.name] = column.type === 'timestamp' && typeof value === 'number' ? new Date(value).toISOString() : value;
    });
    out += `${JSON.stringify(object)}\n`;
  }
  return out;
}
