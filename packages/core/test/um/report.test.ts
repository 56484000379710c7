import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetSchema } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUmReport } from '../../src/um/report.js';
import { UM_CALLS } from '../../src/um/tables.js';
import { callInfoResponse, faultResponse } from './fixtures.js';

let dir = '';
let logs = '';

/**
 * Three calls. A (JSON Lines): Connecting 0 s, Alerted 3 s, Connected 7 s, Disconnected: answered.
 * B (JSON Lines, one line repeated): Connecting, Disconnected/UserBusy 2 s later: busy.
 * C (saved responses; CallId "Qy9D+w==" is "Qy9D-w" in the name): Alerted, Disconnected/NoAnswer
 * 25 s later, then a fault: no_answer. One line of garbage: a reject.
 */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-um-report-'));
  logs = join(dir, 'logs');
  await mkdir(join(logs, 'saved'), { recursive: true });
  const line = (time: string, callId: string, callState: string, eventCause: string): string => `${JSON.stringify({ time, callId, callState, eventCause })}\n`;
  await writeFile(
    join(logs, 'polls.jsonl'),
    line('2026-03-14T09:00:00Z', 'QQ==', 'Connecting', 'None') +
      line('2026-03-14T09:00:03Z', 'QQ==', 'Alerted', 'None') +
      line('2026-03-14T09:00:07Z', 'QQ==', 'Connected', 'None') +
      line('2026-03-14T09:02:00Z', 'QQ==', 'Disconnected', 'None') +
      line('2026-03-14T11:00:00Z', 'Qg==', 'Connecting', 'None') +
      line('2026-03-14T11:00:02Z', 'Qg==', 'Disconnected', 'UserBusy') +
      line('2026-03-14T11:00:02Z', 'Qg==', 'Disconnected', 'UserBusy') +
      '=HYPERLINK("http://evil")\n',
  );
  await writeFile(join(logs, 'saved', '20260315T080000Z_Qy9D-w.xml'), callInfoResponse('Alerted', 'None'));
  await writeFile(join(logs, 'saved', '20260315T080025Z_Qy9D-w.xml'), callInfoResponse('Disconnected', 'NoAnswer'));
  await writeFile(join(logs, 'saved', '20260315T080027Z_Qy9D-w.xml'), faultResponse());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runUmReport', () => {
  it('writes the three tables as CSV and Parquet, rejects.jsonl and summary.json', async () => {
    const out = join(dir, 'out');
    const result = await runUmReport({ inputs: [logs], out });
    expect((await readdir(out)).sort()).toEqual([
      '.callaudit-report',
      'rejects.jsonl',
      'summary.json',
      'um_calls.csv',
      'um_calls.parquet',
      'um_causes.csv',
      'um_causes.parquet',
      'um_daily.csv',
      'um_daily.parquet',
    ]);

    const calls = (await readFile(join(out, 'um_calls.csv'), 'utf8')).split('\r\n');
    expect(calls[0]).toBe(UM_CALLS.columns.map((column) => column.name).join(','));
    expect(calls.slice(1)).toEqual([
      'QQ==,2026-03-14T09:00:00.000Z,2026-03-14T09:02:00.000Z,4,0,Disconnected,None,None,Connecting;Alerted;Connected;Disconnected,3,7,true,answered,',
      'Qg==,2026-03-14T11:00:00.000Z,2026-03-14T11:00:02.000Z,2,0,Disconnected,UserBusy,UserBusy,Connecting;Disconnected,,,false,busy,',
      'Qy9D+w==,2026-03-15T08:00:00.000Z,2026-03-15T08:00:27.000Z,3,1,Disconnected,NoAnswer,NoAnswer,Alerted;Disconnected,0,,false,no_answer,',
      '',
    ]);
    const daily = (await readFile(join(out, 'um_daily.csv'), 'utf8')).split('\r\n');
    expect(daily.slice(1)).toEqual(['2026-03-14,2,1,1,0,0,0,0,0,0.5,3,7', '2026-03-15,1,0,0,1,0,0,0,0,0,0,', '']);

    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary).toEqual({
      command: 'um report',
      inputs: [logs],
      files: 4,
      observations: 10,
      duplicates: 1,
      rejected: 1,
      calls: 3,
      outcomes: { answered: 1, busy: 1, no_answer: 1, other: 0, unavailable: 0, unknown: 0, in_progress: 0 },
      answerRate: 1 / 3,
      firstSeen: '2026-03-14T09:00:00.000Z',
      lastSeen: '2026-03-15T08:00:27.000Z',
      tables: { um_calls: 3, um_daily: 2, um_causes: 3 },
      outputs: ['um_calls.csv', 'um_calls.parquet', 'um_daily.csv', 'um_daily.parquet', 'um_causes.csv', 'um_causes.parquet', 'rejects.jsonl', 'summary.json'],
    });
    expect(result.summary).toEqual(summary);

    const rejects = (await readFile(join(out, 'rejects.jsonl'), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(rejects).toEqual([{ file: join(logs, 'polls.jsonl'), line: 8, reason: expect.stringMatching(/^not JSON/) }]);

    const parquet = await readFile(join(out, 'um_calls.parquet'));
    const metadata = parquetMetadata(parquet.buffer.slice(parquet.byteOffset, parquet.byteOffset + parquet.byteLength));
    expect(Number(metadata.num_rows)).toBe(3);
    expect(parquetSchema(metadata).children.map((child) => child.element.name)).toEqual(UM_CALLS.columns.map((column) => column.name));
  });

  it('writes only the formats asked for, and empty tables from empty logs', async () => {
    const empty = join(dir, 'empty.jsonl');
    await writeFile(empty, '');
    const out = join(dir, 'csv-only');
    const result = await runUmReport({ inputs: [empty], out, formats: ['csv'] });
    expect((await readdir(out)).sort()).toEqual(['.callaudit-report', 'rejects.jsonl', 'summary.json', 'um_calls.csv', 'um_causes.csv', 'um_daily.csv']);
    expect(await readFile(join(out, 'um_calls.csv'), 'utf8')).toBe(`${UM_CALLS.columns.map((column) => column.name).join(',')}\r\n`);
    expect(result.summary).toMatchObject({ calls: 0, answerRate: null, firstSeen: null });
  });

  it('never overwrites without force, and leaves nothing behind when the run fails', async () => {
    const out = join(dir, 'once');
    await runUmReport({ inputs: [logs], out, formats: ['csv'] });
    await expect(runUmReport({ inputs: [logs], out })).rejects.toMatchObject({ code: 'E_OUTPUT' });
    await runUmReport({ inputs: [join(logs, 'polls.jsonl')], out, force: true, formats: ['csv'] });
    expect(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'))).toMatchObject({ calls: 2 });

    const failed = join(dir, 'failed');
    await expect(runUmReport({ inputs: [join(dir, 'missing')], out: failed })).rejects.toMatchObject({ code: 'E_INPUT' });
    await expect(readdir(failed)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await readdir(dir)).filter((name) => name.includes('failed'))).toEqual([]);
  });
});
