/**
 * Baseline D: the same job in DuckDB through @duckdb/node-api (duckdb-sql.ts): stream rows to a
 * CSV file with 2 threads. It publishes the stream rows it wrote; its record count is not one
 * figure of the query (the test checks it against callaudit instead), so it publishes none.
 */
import { rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { duckdbJob } from './duckdb-sql.js';
import type { DuckFormat } from './duckdb-sql.js';
import { childArgs, publish } from './walk.js';

const { file, format } = childArgs();
const csv = `${process.env.CALLAUDIT_BENCH_OUT ?? file}.duckdb.csv`;
const db = await DuckDBInstance.create(':memory:');
const connection = await db.connect();
let rows = 0;
try {
  for (const statement of duckdbJob(file, format as DuckFormat, csv, 2)) {
    const result = await connection.run(statement);
    rows = Number(result.rowsChanged);
  }
} finally {
  rmSync(csv, { force: true });
}
publish({ records: null, streams: rows });
