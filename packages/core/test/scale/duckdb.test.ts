/**
 * "Scale beyond one machine": the SQL of the README's section of that name, read out of the README
 * and run in DuckDB over callaudit's Parquet, gives exactly callaudit's own rollups, for one run and
 * for two runs (shards) queried together with one glob. Also the column types as DuckDB reads them.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset } from '@callaudit/datasets';
import { CALLS, runReport, STREAMS } from '../../src/index.js';
import { rollupSchemas } from '../../src/rollup/index.js';
import type { TableSchema } from '../../src/index.js';
import { duckdbType } from '../io/duckdb.js';

const README = resolve(import.meta.dirname, '../../../../README.md');
const ROLLUPS = ['day', 'modality', 'platform'] as const;
const KEYS: Record<(typeof ROLLUPS)[number], string[]> = { day: ['day'], modality: ['modality'], platform: ['platform', 'product'] };
const COUNTS = ['streams', 'classified', 'poor', 'calls', 'classified_calls', 'poor_calls'];
const MEASURES = ['streams', 'classified', 'poor', 'poor_pct', 'calls', 'classified_calls', 'poor_calls', 'poor_call_pct'];

/** The SQL between `<!-- scale-sql:<name>:begin -->` and its end marker, without the code fence. */
function readmeSql(readme: string, name: string): string {
  const match = new RegExp(`<!-- scale-sql:${name}:begin -->\\n\`\`\`sql\\n([\\s\\S]*?)\`\`\`\\n<!-- scale-sql:${name}:end -->`).exec(readme);
  if (!match) throw new Error(`README.md has no scale-sql:${name} block`);
  return match[1]!;
}

/** Statements split the way the README's PySpark snippet splits them. */
const statements = (sql: string): string[] => sql.split(';').filter((s) => s.trim() !== '');

type Row = Record<string, unknown>;

let dir: string;
let db: DuckDBInstance;
let setupSql: string;
let rollupSql: Map<string, string>;
let factsSql: string;
/** One run over both shards, and one run per shard. */
let whole: string;
let sharded: string;
/** One run with --tz Pacific/Auckland (UTC+13 in March: afternoon calls move to the next day). */
let zoned: string;
/** One run over an input with repeated ids, and two runs over its halves (copies of a call in both). */
let dedupWhole: string;
let dedupSplit: string;
const ZONE = 'Pacific/Auckland';

async function rows(connection: DuckDBConnection, sql: string): Promise<Row[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
}

/** A fresh connection with the README's views over `<root>/audits/*` (its own TEMP views and time zone). */
async function connectTo(root: string, tz = 'UTC'): Promise<DuckDBConnection> {
  const connection = await db.connect();
  const setup = setupSql.replaceAll("'audits/", `'${root}/audits/`).replace("TimeZone = 'UTC'", `TimeZone = '${tz}'`);
  for (const statement of statements(setup)) await connection.run(statement);
  await connection.run(factsSql);
  return connection;
}

/** callaudit's own rollup rows (the README's measure columns), from the Parquet files of these runs. */
async function callauditRollup(connection: DuckDBConnection, glob: string, name: string): Promise<Row[]> {
  const columns = [...KEYS[name as (typeof ROLLUPS)[number]], ...MEASURES].join(', ');
  return rows(connection, `SELECT ${columns} FROM read_parquet('${glob}/rollup_${name}.parquet')`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-scale-'));
  const readme = await readFile(README, 'utf8');
  setupSql = readmeSql(readme, 'duckdb');
  const [facts, ...queries] = statements(readmeSql(readme, 'rollups'));
  factsSql = facts!;
  rollupSql = new Map(queries.map((query) => [/-- rollup_(\w+):/.exec(query)?.[1] ?? '?', query]));

  // Two shards of input with different calls, over overlapping days (03-03..04 and 03-04..05), so
  // that groups of the two runs meet in the glob (the same day, the same platforms). More setup
  // failures than usual, for calls without streams.
  const small = { groupMedianSessions: 2, maxSessions: 8, days: 2, setupFailureShare: 0.15 };
  const shards = [
    await writeDataset(join(dir, 'shard-1.ndjson'), { ...small, records: 40, seed: 31, start: '2025-03-03T00:00:00Z', format: 'ndjson' }),
    await writeDataset(join(dir, 'shard-2.json'), { ...small, records: 30, seed: 32, start: '2025-03-04T00:00:00Z', format: 'page', pageSize: 7 }),
  ].map((shard) => shard.path);
  whole = join(dir, 'whole');
  sharded = join(dir, 'sharded');
  await runReport({ inputs: shards, out: join(whole, 'audits', 'all'), formats: ['parquet'], workers: 0, partRows: 100 });
  await runReport({ inputs: [shards[0]!], out: join(sharded, 'audits', 'shard-1'), formats: ['parquet'], workers: 0 });
  await runReport({ inputs: [shards[1]!], out: join(sharded, 'audits', 'shard-2'), formats: ['parquet'], workers: 0 });
  zoned = join(dir, 'zoned');
  await runReport({ inputs: [shards[0]!], out: join(zoned, 'audits', 'nz'), formats: ['parquet'], workers: 0, tz: ZONE });
  // Repeated ids (identical copies and higher versions) dealt alternately to two files, so that
  // copies of a call land in both runs.
  const repeated = await writeDataset(join(dir, 'repeated.ndjson'), { ...small, records: 80, seed: 33, format: 'ndjson', duplicateShare: 0.4 });
  const lines = (await readFile(repeated.path, 'utf8')).split('\n').filter((line) => line !== '');
  const halves = [0, 1].map((half) => join(dir, `half-${half}.ndjson`));
  for (const [half, file] of halves.entries())
    await writeFile(
      file,
      lines
        .filter((_, i) => i % 2 === half)
        .map((line) => `${line}\n`)
        .join(''),
    );
  dedupWhole = join(dir, 'dedup-whole');
  dedupSplit = join(dir, 'dedup-split');
  await runReport({ inputs: halves, out: join(dedupWhole, 'audits', 'all'), formats: ['parquet'], workers: 0 });
  await runReport({ inputs: [halves[0]!], out: join(dedupSplit, 'audits', 'run-a'), formats: ['parquet'], workers: 0 });
  await runReport({ inputs: [halves[1]!], out: join(dedupSplit, 'audits', 'run-b'), formats: ['parquet'], workers: 0 });
  db = await DuckDBInstance.create(':memory:');
}, 120_000); // seven small reports: seconds alone, more on a loaded machine
afterAll(async () => {
  db?.closeSync();
  await rm(dir, { recursive: true, force: true });
});

describe('the README SQL in DuckDB over callaudit Parquet', () => {
  it('has a query for each of the main rollups', () => {
    expect([...rollupSql.keys()]).toEqual([...ROLLUPS]);
    expect(statements(setupSql)).toHaveLength(6);
  });

  it('gives the same rows, counts and percentages as callaudit’s rollups (one run, several part files)', async () => {
    const connection = await connectTo(whole);
    const [parts] = await rows(connection, `SELECT count(DISTINCT filename) AS n FROM read_parquet('${whole}/audits/*/streams/*.parquet', filename = true)`);
    expect(parts!.n).toBeGreaterThan(1); // the glob really reads a dataset of part files
    for (const name of ROLLUPS) {
      const expected = await callauditRollup(connection, `${whole}/audits/all`, name);
      const actual = await rows(connection, rollupSql.get(name)!);
      expect(expected.length, name).toBeGreaterThan(1);
      expect(actual, name).toEqual(expected);
    }
    // Something to compare: poor streams, poor calls, and calls without streams (counted by rollup_day only).
    const [modality] = await rows(
      connection,
      `SELECT sum(poor) AS poor, sum(poor_calls) AS poor_calls FROM read_parquet('${whole}/audits/all/rollup_modality.parquet')`,
    );
    expect(modality!.poor).toBeGreaterThan(0);
    expect(modality!.poor_calls).toBeGreaterThan(0);
    const [silent] = await rows(connection, 'SELECT count(*) AS n FROM calls WHERE stream_count = 0');
    expect(silent!.n).toBeGreaterThan(0);
    connection.closeSync();
  });

  it('over two runs with one glob gives the rollups of one run over both inputs, and the sums of the two runs’ rollups', async () => {
    const connection = await connectTo(sharded);
    const [shared] = await rows(connection, `SELECT count(*) AS n FROM read_parquet('${sharded}/audits/*/rollup_day.parquet') WHERE day = '2025-03-04'`);
    expect(shared!.n, 'both runs have calls on 2025-03-04').toBe(2);
    for (const name of ROLLUPS) {
      const actual = await rows(connection, rollupSql.get(name)!);
      expect(actual, name).toEqual(await callauditRollup(connection, `${whole}/audits/all`, name));

      const keys = KEYS[name].join(', ');
      const sums = await rows(
        connection,
        `SELECT ${keys}, ${COUNTS.map((c) => `CAST(sum(${c}) AS BIGINT) AS ${c}`).join(', ')}
         FROM read_parquet('${sharded}/audits/*/rollup_${name}.parquet') GROUP BY ALL ORDER BY ALL NULLS FIRST`,
      );
      const pick = (row: Row, columns: string[]): Row => Object.fromEntries(columns.map((c) => [c, row[c]]));
      expect(
        actual.map((row) => pick(row, [...KEYS[name], ...COUNTS])),
        name,
      ).toEqual(sums);
      for (const row of actual) {
        const classified = row.classified as number;
        expect(row.poor_pct).toBe(classified > 0 ? (100 * (row.poor as number)) / classified : null);
      }
    }
    connection.closeSync();
  });

  it('removes duplicate calls across runs: two runs over the halves of an input give the rollups of one run over it', async () => {
    const connection = await connectTo(dedupSplit);
    // The test means something: some ids are in both runs, some of them with another version.
    const [overlap] = await rows(
      connection,
      `SELECT count(*) AS ids, count(*) FILTER (WHERE versions > 1) AS versioned FROM (
         SELECT call_id, count(DISTINCT run) AS runs, count(DISTINCT call_version) AS versions FROM all_calls GROUP BY call_id) WHERE runs > 1`,
    );
    expect(overlap!.ids).toBeGreaterThan(2);
    expect(overlap!.versioned).toBeGreaterThan(0);
    const [counts] = await rows(connection, 'SELECT (SELECT count(*) FROM calls) AS calls, (SELECT count(*) FROM streams) AS streams');
    const [whole] = await rows(
      connection,
      `SELECT (SELECT count(*) FROM read_parquet('${dedupWhole}/audits/all/calls/*.parquet')) AS calls, (SELECT count(*) FROM read_parquet('${dedupWhole}/audits/all/streams/*.parquet')) AS streams`,
    );
    expect(counts).toEqual(whole);
    // The kept copies are the whole run's, row for row.
    const [differ] = await rows(
      connection,
      `SELECT count(*) AS n FROM (
         (SELECT call_id, call_version, stream_id, segment_id, cqd_class FROM streams
          EXCEPT ALL SELECT call_id, call_version, stream_id, segment_id, cqd_class FROM read_parquet('${dedupWhole}/audits/all/streams/*.parquet'))
         UNION ALL
         (SELECT call_id, call_version, stream_id, segment_id, cqd_class FROM read_parquet('${dedupWhole}/audits/all/streams/*.parquet')
          EXCEPT ALL SELECT call_id, call_version, stream_id, segment_id, cqd_class FROM streams))`,
    );
    expect(differ!.n).toBe(0);
    for (const name of ROLLUPS)
      expect(await rows(connection, rollupSql.get(name)!), name).toEqual(await callauditRollup(connection, `${dedupWhole}/audits/all`, name));
    // Without the window, the calls found in both runs would count twice.
    const [raw] = await rows(connection, 'SELECT count(*) AS n FROM all_calls');
    expect(raw!.n).toBeGreaterThan(whole!.calls as number);
    connection.closeSync();
  });

  it('gives the day rollup of a run with --tz when the session time zone is that zone', async () => {
    const connection = await connectTo(zoned, ZONE);
    const expected = await callauditRollup(connection, `${zoned}/audits/nz`, 'day');
    expect(await rows(connection, rollupSql.get('day')!)).toEqual(expected);
    // The zone matters: in UTC the same calls fall on other days.
    const utc = await connectTo(zoned);
    expect((await rows(utc, rollupSql.get('day')!)).map((r) => r.day)).not.toEqual(expected.map((r) => r.day));
    connection.closeSync();
    utc.closeSync();
  });

  it('reads every column with its declared type', async () => {
    const connection = await db.connect();
    const typesOf = async (from: string): Promise<Array<[string, string]>> =>
      (await rows(connection, `DESCRIBE SELECT * FROM ${from}`)).map((row) => [String(row.column_name), String(row.column_type)]);
    const declared = (schema: TableSchema): Array<[string, string]> => schema.columns.map((c) => [c.name, duckdbType(c.type)]);
    const run = `${whole}/audits/all`;
    expect(await typesOf(`read_parquet('${run}/streams/*.parquet')`)).toEqual(declared(STREAMS));
    expect(await typesOf(`read_parquet('${run}/calls/*.parquet')`)).toEqual(declared(CALLS));
    for (const schema of rollupSchemas({ groupBy: [] })) {
      expect(await typesOf(`read_parquet('${run}/${schema.name}.parquet')`), schema.name).toEqual(declared(schema));
    }
    // The five kinds are all there, as DuckDB names them.
    const kinds = new Set((await typesOf(`read_parquet('${run}/streams/*.parquet')`)).map(([, type]) => type));
    expect(kinds).toEqual(new Set(['VARCHAR', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'TIMESTAMP WITH TIME ZONE']));
    connection.closeSync();
  });
});
