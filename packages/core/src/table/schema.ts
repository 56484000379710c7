/**
 * Tables are described once, as data: the writers (CSV, Parquet), the README and the tests all read
 * these definitions. Values travel as columns (one plain array per column), never as row objects.
 *
 * Value conventions, per column type:
 * - string:    string | null
 * - int:       number (a safe integer) | null
 * - float:     number (finite) | null
 * - bool:      boolean | null
 * - timestamp: number, milliseconds since the Unix epoch, UTC | null
 */
export type ColumnType = 'string' | 'int' | 'float' | 'bool' | 'timestamp';

export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  /** One line for the README's column reference. */
  readonly doc: string;
}

export interface TableSchema {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
}

export type CellValue = string | number | boolean | null;

/** A batch of rows in columnar form: columns[i] holds the values of schema.columns[i]. */
export interface ColumnBatch {
  readonly schema: TableSchema;
  readonly length: number;
  readonly columns: CellValue[][];
}

export function columnIndex(schema: TableSchema, name: string): number {
  const index = schema.columns.findIndex((column) => column.name === name);
  if (index < 0) throw new Error(`table ${schema.name} has no column ${name}`);
  return index;
}

/** Collects rows column by column. `push` takes the values in schema order. */
export class ColumnBuilder {
  readonly schema: TableSchema;
  private readonly columns: CellValue[][];
  private rows = 0;

  constructor(schema: TableSchema) {
    this.schema = schema;
    this.columns = schema.columns.map(() => []);
  }

  get length(): number {
    return this.rows;
  }

  /** Appends one row; `values` must have one entry per column, in schema order. */
  push(values: readonly CellValue[]): void {
    const columns = this.columns;
    for (let i = 0; i < columns.length; i++) columns[i]!.push(values[i] ?? null);
    this.rows++;
  }

  /** Appends rows of a batch of the same schema: all of them, or those `keep` accepts. */
  append(batch: ColumnBatch, keep?: (row: number) => boolean): number {
    let added = 0;
    for (let row = 0; row < batch.length; row++) {
      if (keep !== undefined && !keep(row)) continue;
      for (let i = 0; i < this.columns.length; i++) this.columns[i]!.push(batch.columns[i]![row] ?? null);
      added++;
    }
    this.rows += added;
    return added;
  }

  finish(): ColumnBatch {
    return { schema: this.schema, length: this.rows, columns: this.columns };
  }
}
