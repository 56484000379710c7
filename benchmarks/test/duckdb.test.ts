/**
 * Baseline D does callaudit's job: on small generated files of every shape (with duplicate ids,
 * other versions among them, and metrics exactly on the thresholds), DuckDB's query writes as many
 * stream rows as callaudit's report, of the same calls, flags as many audio streams poor as
 * callaudit classifies poor, and converts the durations to the same milliseconds. Then the child
 * script runs through the real transpile + spawn + hook path.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDataset } from '@callaudit/datasets';
import { runReport } from '@callaudit/core';
import { duckdbJob } from '../child/duckdb-sql.js';
import type { DuckFormat } from '../child/duckdb-sql.js';
import { compileChildren } from '../src/compile.js';
import { runProcess, toSample } from '../src/measure.js';

const FORMATS: readonly DuckFormat[] = ['ndjson', 'array', 'page'];
const childDir = join(import.meta.dirname, '..', '.bench', `test-duckdb-${process.pid}`);
let dir = '';
let db: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-bench-duckdb-'));
  db = await DuckDBInstance.create(':memory:');
  connection = await db.connect();
});
afterAll(async () => {
  connection?.closeSync();
  await rm(dir, { recursive: true, force: true });
  await rm(childDir, { recursive: true, force: true });
});

async function one(sql: string): Promise<Record<string, unknown>> {
  const reader = await connection.runAndReadAll(sql);
  const row = reader.getRowObjectsJS()[0]!;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
}

async function runDuckdb(file: string, format: DuckFormat, csv: string): Promise<number> {
  let rows = -1;
  for (const statement of duckdbJob(file, format, csv, 2)) rows = Number((await connection.run(statement)).rowsChanged);
  return rows;
}

describe('baseline D (DuckDB) against callaudit', () => {
  it.each(FORMATS)('%s: the same rows, calls, audio poor count and durations', async (format) => {
    const file = join(dir, `calls-${format}.json`);
    // Duplicates (identical copies and other versions), many poor streams, small group calls.
    await writeDataset(file, {
      records: 120,
      seed: 11,
      format,
      duplicateShare: 0.15,
      groupMedianSessions: 3,
      maxSessions: 12,
      poor: { jitter: 0.1, rtt: 0.1, packet_loss: 0.1 },
      pageSize: 25,
    });
    const out = join(dir, `report-${format}`);
    const report = await runReport({ inputs: [file], out, formats: ['csv'], workers: 0 });
    expect(report.counts.duplicate).toBeGreaterThan(0);
    const csv = join(dir, `duckdb-${format}.csv`);
    const rows = await runDuckdb(file, format, csv);
    expect(rows).toBe(report.counts.streams);

    const theirs = await one(`SELECT count(*) AS rows, count(DISTINCT call_id) AS calls, count(*) FILTER (WHERE audio_poor) AS poor FROM read_csv('${csv}')`);
    const ours = await one(
      `SELECT count(*) AS rows, count(DISTINCT call_id) AS calls, count(*) FILTER (WHERE modality = 'audio' AND cqd_class = 'poor') AS poor FROM read_csv('${join(out, 'streams.csv')}')`,
    );
    expect(theirs).toEqual(ours);
    expect(theirs.poor).toBeGreaterThan(5);

    // Stream by stream (call, version, stream id, direction, segment): the same durations, kind and flag.
    const differ = await one(`
      WITH d AS (SELECT * FROM read_csv('${csv}')), c AS (SELECT * FROM read_csv('${join(out, 'streams.csv')}'))
      SELECT count(*) AS n FROM d FULL JOIN c USING (call_id, call_version, segment_id, stream_id, stream_direction, media_label)
      WHERE d.jitter_avg_ms IS DISTINCT FROM c.jitter_avg_ms OR d.rtt_avg_ms IS DISTINCT FROM c.rtt_avg_ms
         OR d.jitter_max_ms IS DISTINCT FROM c.jitter_max_ms OR d.rtt_max_ms IS DISTINCT FROM c.rtt_max_ms
         OR d.modality IS DISTINCT FROM c.modality OR d.audio_poor IS DISTINCT FROM (c.modality = 'audio' AND c.cqd_class = 'poor')
         OR d.caller_user_id IS DISTINCT FROM c.caller_user_id OR d.callee_subnet IS DISTINCT FROM c.callee_subnet`);
    expect(differ.n).toBe(0);
  });

  it('the duration macro is exact at the thresholds and reads minutes and hours', async () => {
    await runDuckdb(join(dir, 'calls-ndjson.json'), 'ndjson', join(dir, 'again.csv'));
    const row = await one(
      "SELECT iso_ms('PT0.03S') AS a, iso_ms('PT0.5S') AS b, iso_ms('PT1M5.25S') AS c, iso_ms('PT1H2M3S') AS d, iso_ms(NULL) AS e, iso_ms('PT0S') AS f",
    );
    expect(row).toEqual({ a: 30, b: 500, c: 65250, d: 3723000, e: null, f: 0 });
  });

  it('the child script publishes the rows it wrote, and no record count', async () => {
    await compileChildren(join(import.meta.dirname, '..', 'child'), childDir);
    const file = join(dir, 'calls-ndjson.json');
    const run = await runProcess(['--import', join(childDir, 'hook.js'), join(childDir, 'duckdb.js'), file, 'ndjson'], join(dir, 'duckdb.hook.json'), dir);
    const sample = toSample(run, 'duckdb', null);
    const expected = await runDuckdb(file, 'ndjson', join(dir, 'third.csv'));
    expect(sample).toMatchObject({ ok: true, records: null, streams: expected });
  });
});
