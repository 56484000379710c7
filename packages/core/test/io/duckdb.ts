/** DuckDB as the independent reader of the writers' files (one in-memory instance per test file). */
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnType } from '../../src/table/schema.js';

let connection: Promise<DuckDBConnection> | null = null;

function connect(): Promise<DuckDBConnection> {
  connection ??= DuckDBInstance.create(':memory:').then((instance) => instance.connect());
  return connection;
}

/** Rows of a query, as JS values; BIGINTs become numbers (the tables hold safe integers only). */
export async function duckdbRows(sql: string): Promise<unknown[][]> {
  const reader = await (await connect()).runAndReadAll(sql);
  return reader.getRowsJS().map((row) => row.map((value) => (typeof value === 'bigint' ? Number(value) : value)));
}

/** Column name -> DuckDB type name, as DuckDB describes the query's result. */
export async function duckdbTypes(sql: string): Promise<Record<string, string>> {
  const reader = await (await connect()).runAndReadAll(`DESCRIBE ${sql}`);
  return Object.fromEntries(reader.getRowsJS().map((row) => [String(row[0]), String(row[1])]));
}

/** The DuckDB type a column of this type should read as. */
export function duckdbType(type: ColumnType): string {
  return { string: 'VARCHAR', int: 'BIGINT', float: 'DOUBLE', bool: 'BOOLEAN', timestamp: 'TIMESTAMP WITH TIME ZONE' }[type];
}
