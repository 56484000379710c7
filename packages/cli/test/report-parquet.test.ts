/**
 * The Parquet tables hold the same values as the CSV tables, cell by cell, read back by an
 * independent reader (DuckDB), with the declared types.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLS, STREAMS } from '@callaudit/core';
import type { TableSchema } from '@callaudit/core';
import { duckdbQuery, readCsv, runCli } from './helpers.js';

const SAMPLE = resolve(import.meta.dirname, '../../../datasets/sample');
let out: string;

beforeAll(async () => {
  out = join(await mkdtemp(join(tmpdir(), 'callaudit-parquet-')), 'report');
  const run = await runCli(['report', SAMPLE, '--out', out, '--workers', '0', '--quiet']);
  expect(run.code).toBe(0);
});
afterAll(async () => {
  await rm(resolve(out, '..'), { recursive: true, force: true });
});

/** A Parquet value as the CSV writes it (neutralized text keeps its leading apostrophe). */
function asCsv(value: unknown, type: string): string {
  if (value === null || value === undefined) return '';
  if (type === 'timestamp') return new Date(Number(value)).toISOString();
  if (type === 'string') return /^[=+\-@\t\r]/.test(String(value)) ? `'${String(value)}` : String(value);
  return String(value);
}

async function compare(schema: TableSchema, folder: string): Promise<number> {
  const select = schema.columns.map((c) => (c.type === 'timestamp' ? `epoch_ms(${c.name}) AS ${c.name}` : c.name)).join(', ');
  const parquet = await duckdbQuery(`SELECT ${select} FROM read_parquet('${join(out, folder)}/*.parquet', filename = true) ORDER BY filename, file_row_number`);
  const csv = await readCsv(join(out, `${schema.name}.csv`));
  expect(parquet.length).toBe(csv.length);
  csv.forEach((row, i) => {
    for (const column of schema.columns) {
      expect(asCsv(parquet[i]![column.name], column.type), `${schema.name} row ${i} ${column.name}`).toBe(row[column.name]);
    }
  });
  return csv.length;
}

describe('Parquet and CSV agree', () => {
  it('streams: every cell', async () => {
    expect(await compare(STREAMS, 'streams')).toBeGreaterThan(100);
  });

  it('calls: every cell', async () => {
    expect(await compare(CALLS, 'calls')).toBeGreaterThan(10);
  });

  it('declares the types of the table contracts', async () => {
    const types = await duckdbQuery(`DESCRIBE SELECT * FROM read_parquet('${join(out, 'streams')}/*.parquet')`);
    const byName = new Map(types.map((t) => [t.column_name, t.column_type]));
    const expected = { string: 'VARCHAR', int: 'BIGINT', float: 'DOUBLE', bool: 'BOOLEAN', timestamp: 'TIMESTAMP WITH TIME ZONE' } as const;
    for (const column of STREAMS.columns) expect(byName.get(column.name), column.name).toBe(expected[column.type]);
  });
});
