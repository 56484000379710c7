/**
 * The hand-made documents in the shapes of the Graph documentation's examples
 * (datasets/sample/graph-docs/), end to end: what counts as a call, what is rejected with which
 * kind, and that the counts add up, for every worker count.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReport } from '../../src/engine/run.js';
import type { ReportResult } from '../../src/engine/run.js';
import { buildSummary, renderSummaryText } from '../../src/engine/summary.js';

const DOCS = resolve(import.meta.dirname, '../../../../datasets/sample/graph-docs');
const CALL_A = 'c0ffee00-1a2b-4c3d-8e9f-00000000000a';

let dir: string;
let runs = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-graph-docs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Reject {
  file: string;
  offset: number;
  id: string | null;
  kind: string;
  reason: string;
}

async function report(files: readonly string[], workers = 0): Promise<{ result: ReportResult; rejects: Reject[]; calls: string; streams: string }> {
  const out = join(dir, `run-${runs++}`);
  const result = await runReport({ inputs: files.map((f) => (f.startsWith('/') ? f : join(DOCS, f))), out, workers, formats: ['csv'] });
  const c = result.counts;
  expect(c.read).toBe(c.accepted + c.pstnCalls + c.directRoutingCalls + c.rejected + c.duplicate + c.filtered + c.sessionsStitched);
  const text = await readFile(join(out, 'rejects.jsonl'), 'utf8');
  const rejects =
    text === ''
      ? []
      : text
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as Reject);
  return { result, rejects, calls: await readFile(join(out, 'calls.csv'), 'utf8'), streams: await readFile(join(out, 'streams.csv'), 'utf8') };
}

const kinds = (rejects: readonly Reject[]): string[] => rejects.map((r) => r.kind);

describe('Graph documentation shapes', () => {
  it('a GET with $expand is one call, its sessions cut by paging', async () => {
    const { result, rejects } = await report(['v1-get-expanded.json']);
    expect(result.counts).toMatchObject({
      read: 1,
      accepted: 1,
      rejected: 0,
      duplicate: 0,
      sessionsTruncated: 1,
      sessionsMissing: 0,
      participantsTruncated: 0,
      streams: 2,
      calls: 1,
    });
    expect(rejects).toEqual([]);
  });

  it('an SDK/CLI export without @odata.type: the bare endpoint is a service whose role is unknown', async () => {
    const { result, streams } = await report(['sdk-export.ndjson']);
    expect(result.counts).toMatchObject({ read: 1, accepted: 1, streams: 2 });
    const [header, ...rows] = streams
      .trimEnd()
      .split('\r\n')
      .map((line) => line.split(','));
    const cell = (row: string[], name: string): string => row[header!.indexOf(name)]!;
    for (const row of rows) {
      expect([cell(row, 'caller_platform'), cell(row, 'caller_product'), cell(row, 'caller_role')]).toEqual(['windows', 'teams', '']);
      expect([cell(row, 'callee_platform'), cell(row, 'callee_user_id'), cell(row, 'callee_role')]).toEqual(['', '', 'unknown']);
    }
  });

  it('enum spellings: the streams table keeps "Windows", the rollups group it with "windows"', async () => {
    const { result, streams } = await report(['beta-get-expanded.json', 'v1-get-expanded.json']);
    expect(streams).toContain(',Windows,Teams,');
    expect(streams).toContain(',windows,teams,');
    const platform = result.rollups.find((r) => r.name === 'rollup_platform')!.batch;
    const keys = Array.from({ length: platform.length }, (_, row) => `${String(platform.columns[0]![row])}/${String(platform.columns[1]![row])}`);
    expect(keys).toContain('windows/teams');
    expect(keys).not.toContain('Windows/Teams');
    const connection = result.rollups.find((r) => r.name === 'rollup_connection')!.batch;
    expect(connection.columns[0]).not.toContain('Wifi');
  });

  it('a beta GET whose participants_v2 were cut by paging: flagged on the call, counted', async () => {
    const { result, calls } = await report(['beta-get-expanded.json']);
    expect(result.counts).toMatchObject({ read: 1, accepted: 1, participantsTruncated: 1, sessionsTruncated: 0 });
    const [header, row] = calls.split('\r\n').map((line) => line.split(','));
    expect(row![header!.indexOf('participants_truncated')]).toBe('true');
    expect(row![header!.indexOf('participant_count')]).toBe('2');
    const summary = buildSummary(result);
    expect(summary.counts.participants_truncated).toBe(1);
    expect(renderSummaryText(summary)).toMatch(/1 with truncated participants/);
  });

  it('its sessions pages are stitched into it, in any order, for any worker count: complete once its last page is saved', async () => {
    const seen = new Set<string>();
    for (const [order, workers] of [
      [['v1-get-expanded.json', 'v1-sessions-page-1.json', 'v1-sessions-page-2.json'], 0],
      [['v1-sessions-page-1.json', 'v1-get-expanded.json', 'v1-sessions-page-2.json'], 0],
      [['v1-sessions-page-2.json', 'v1-sessions-page-1.json', 'v1-get-expanded.json'], 2],
    ] as const) {
      const { result, rejects, calls, streams } = await report(order, workers);
      // page 1's session is the one the record holds (same session id): a duplicate; page 2's is new
      expect(result.counts).toMatchObject({ read: 3, accepted: 1, rejected: 0, duplicate: 1, sessionsStitched: 1, sessionsTruncated: 0, calls: 1, streams: 4 });
      expect(rejects).toEqual([]);
      const [header, row] = calls.split('\r\n').map((line) => line.split(','));
      expect(row![0]).toBe(CALL_A);
      expect(row![header!.indexOf('sessions_truncated')]).toBe('false');
      expect(buildSummary(result).counts.sessions_stitched).toBe(1);
      expect(renderSummaryText(buildSummary(result))).toMatch(/, 1 sessions stitched/);
      seen.add(calls + streams);
    }
    // the same rows whatever the order of the inputs
    expect(seen.size).toBe(1);
  });

  it('a saved page 1 whose nextLink page is not saved: still truncated', async () => {
    const { result, calls } = await report(['v1-sessions-page-1.json', 'v1-get-expanded.json']);
    expect(result.counts).toMatchObject({ read: 2, accepted: 1, duplicate: 1, sessionsStitched: 0, sessionsTruncated: 1, streams: 2 });
    const [header, row] = calls.split('\r\n').map((line) => line.split(','));
    expect(row![header!.indexOf('sessions_truncated')]).toBe('true');
  });

  it('sessions pages whose call is not in the inputs: one reject per session, naming the call and what to do', async () => {
    const { result, rejects } = await report(['v1-sessions-page-1.json', 'v1-sessions-page-2.json']);
    expect(result.counts).toMatchObject({ read: 2, accepted: 0, rejected: 2, sessionsStitched: 0, calls: 0 });
    expect(kinds(rejects)).toEqual(['session', 'session']);
    expect(rejects.map((r) => r.offset)).toEqual([173, 145].map((_, i) => rejects[i]!.offset));
    expect(rejects.every((r) => r.offset > 0)).toBe(true);
    expect(rejects[0]!.file).toMatch(/v1-sessions-page-1\.json$/);
    expect(rejects[1]!.file).toMatch(/v1-sessions-page-2\.json$/);
    for (const reject of rejects) {
      expect(reject.reason).toContain(`call ${CALL_A}, whose record is not in the inputs`);
      expect(reject.reason).toMatch(/callaudit fetch/);
    }
  });

  it('a list page without sessions: calls kept, counted apart, one warning naming the fix', async () => {
    const { result, rejects, calls } = await report(['v1-list-page.json']);
    expect(result.counts).toMatchObject({ read: 2, accepted: 2, rejected: 0, sessionsMissing: 2, streams: 0, calls: 2 });
    expect(rejects).toEqual([]);
    const warnings = result.warnings.filter((w) => /without \$expand/.test(w));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^2 record\(s\) carry no sessions/);
    expect(warnings[0]).toMatch(/\$expand=sessions\(\$expand=segments\)/);
    const summary = buildSummary(result);
    expect(summary.counts.sessions_missing).toBe(2);
    expect(renderSummaryText(summary)).toMatch(/2 without sessions/);
    const header = calls.split('\r\n')[0]!.split(',');
    const rows = calls
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(','));
    expect(rows.map((row) => row[header.indexOf('sessions_missing')])).toEqual(['true', 'true']);
  });

  it.each([
    ['v1-participants-page.json', ['participant', 'participant']],
    ['beta-sms-log.json', ['sms_log']],
  ])('%s: every row a reject of its own kind', async (file, expected) => {
    const { result, rejects } = await report([file]);
    expect(result.counts).toMatchObject({ read: expected.length, accepted: 0, rejected: expected.length, duplicate: 0, calls: 0 });
    expect(kinds(rejects)).toEqual(expected);
    expect(rejects.every((r) => r.offset > 0)).toBe(true);
  });

  it.each([
    ['v1-pstn-calls.json', { pstnCalls: 2, directRoutingCalls: 0 }],
    ['v1-direct-routing-calls.json', { pstnCalls: 0, directRoutingCalls: 1 }],
  ])('%s: every row kept in its log table, none a call or a reject', async (file, expected) => {
    const { result, rejects } = await report([file]);
    expect(result.counts).toMatchObject({
      read: expected.pstnCalls + expected.directRoutingCalls,
      accepted: 0,
      rejected: 0,
      duplicate: 0,
      calls: 0,
      ...expected,
    });
    expect(rejects).toEqual([]);
  });

  it('the whole folder: counts add up, every kind accounted for, the same for every worker count', async () => {
    const seen: string[] = [];
    for (const workers of [0, 2]) {
      const { result, rejects } = await report([DOCS], workers);
      const c = result.counts;
      expect(c).toMatchObject({
        read: 13,
        accepted: 5,
        pstnCalls: 2,
        directRoutingCalls: 1,
        rejected: 3,
        duplicate: 1,
        filtered: 0,
        sessionsStitched: 1,
        sessionsTruncated: 0,
        sessionsMissing: 2,
        participantsTruncated: 1,
      });
      expect([...new Set(kinds(rejects))].sort()).toEqual(['participant', 'sms_log']);
      seen.push(JSON.stringify(rejects));
    }
    expect(new Set(seen).size).toBe(1);
  });

  it('things that are not call records at all', async () => {
    const path = join(dir, 'others.ndjson');
    const user = {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
      id: 'aa000001-0000-4000-8000-000000000001',
      displayName: 'Ada Example',
      userPrincipalName: 'ada@example.com',
    };
    await writeFile(path, `${[JSON.stringify({ id: 'x' }), JSON.stringify(user), JSON.stringify({ id: 'y', version: 1, type: 'peerToPeer' })].join('\n')}\n`);
    const { result, rejects } = await report([path]);
    expect(result.counts).toMatchObject({ read: 3, accepted: 1, rejected: 2 });
    expect(kinds(rejects)).toEqual(['not_a_call_record', 'not_a_call_record']);
    expect(rejects[0]!.reason).toMatch(/string id and an integer version/);
  });

  it('a callRecord without its version is a schema reject that names it, and is never judged a duplicate', async () => {
    const path = join(dir, 'versionless.ndjson');
    const record = { id: 'z', type: 'peerToPeer', startDateTime: '2026-11-01T00:00:00Z' };
    await writeFile(path, `${JSON.stringify(record)}\n${JSON.stringify(record)}\n`);
    const { result, rejects } = await report([path]);
    expect(result.counts).toMatchObject({ read: 2, accepted: 0, rejected: 2, duplicate: 0 });
    expect(rejects.map((r) => [r.kind, r.reason])).toEqual([
      ['schema', 'version: missing (expected number)'],
      ['schema', 'version: missing (expected number)'],
    ]);
  });

  it('invalid UTF-8 is a reject of its own, at the file offset of the first bad byte, whatever the framing', async () => {
    const good = (await readFile(join(DOCS, 'sdk-export.ndjson'))).subarray(0, -1);
    const text = good.toString('utf8');
    const other = Buffer.from(text.replaceAll('c0ffee00-1a2b-4c3d-8e9f-00000000000d', 'c0ffee00-1a2b-4c3d-8e9f-0000000000ff'));
    // Latin-1 "ü" (0xfc) inside a device name: a file re-encoded by a tool that was not told it was UTF-8
    const at = other.indexOf('Headset Microphone');
    const damaged = Buffer.concat([other.subarray(0, at), Buffer.from([0x4a, 0xfc]), other.subarray(at)]);
    const ndjson = Buffer.concat([good, Buffer.from('\n'), damaged, Buffer.from('\n')]);
    const array = Buffer.concat([Buffer.from('[\n'), good, Buffer.from(',\n'), damaged, Buffer.from('\n]\n')]);
    const recordStart = (file: Buffer): number => file.indexOf(damaged.subarray(0, 60));
    for (const [name, data, start] of [
      ['utf8.ndjson', ndjson, recordStart(ndjson)],
      ['utf8.json', array, recordStart(array)],
      ['utf8.ndjson.gz', gzipSync(ndjson), recordStart(ndjson)],
    ] as const) {
      const path = join(dir, name);
      await writeFile(path, data);
      // a worker reads the plain NDJSON itself (range.ts); the others are framed on the main thread
      for (const workers of name === 'utf8.ndjson' ? [0, 1] : [0]) {
        const { result, rejects } = await report([path], workers);
        expect(result.counts).toMatchObject({ read: 2, accepted: 1, rejected: 1 });
        expect(rejects).toHaveLength(1);
        expect(rejects[0]).toMatchObject({ kind: 'invalid_utf8', offset: start });
        const bad = start + at + 1;
        expect(rejects[0]!.reason).toBe(
          `invalid UTF-8 at byte ${bad} of the file (byte ${at + 1} of the record: 0xfc 0x48 0x65 0x61); Graph writes valid UTF-8, so the file is damaged`,
        );
      }
    }
  });
});
