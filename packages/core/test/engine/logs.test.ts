/**
 * PSTN (getPstnCalls) and Direct Routing (getDirectRoutingCalls) rows end to end: the tables, the
 * rollups (hand-worked), de-duplication across inputs, hostile rows, --since/--until, --tz,
 * --redact, and byte-identical outputs for 0, 1, 2 and 4 workers whichever way the inputs are read.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRecords } from '@callaudit/datasets';
import { runReport } from '../../src/engine/run.js';
import type { ReportOptions } from '../../src/engine/options.js';
import { pseudonym } from '../../src/engine/redact.js';
import { buildSummary, renderSummaryText } from '../../src/engine/summary.js';
import { addLogRow, emptyLogPartial, finalizeLogRollups, mergeLogPartial } from '../../src/rollup/logs.js';
import { DIRECT_ROUTING_CALLS, PSTN_CALLS } from '../../src/table/logs.js';
import { flattenDirectRoutingRow, flattenPstnRow } from '../../src/flatten/logs.js';
import { duckdbRows } from '../io/duckdb.js';

const DOCS = resolve(import.meta.dirname, '../../../../datasets/sample/graph-docs');
let dir: string;
let runs = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-logs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Row = Record<string, unknown>;

function dr(id: string, over: Row = {}): Row {
  return {
    id,
    correlationId: `corr-${id}`,
    userId: 'u1',
    userPrincipalName: 'ada@example.com',
    userDisplayName: 'Ada Example',
    startDateTime: '2026-11-02T08:00:00Z',
    inviteDateTime: '2026-11-02T07:59:58Z',
    failureDateTime: null,
    endDateTime: '2026-11-02T08:01:00Z',
    duration: 60,
    callType: 'ByotIn',
    successfulCall: true,
    callerNumber: '+1202555xxxx',
    calleeNumber: '+1425555xxxx',
    mediaPathLocation: 'USWE',
    signalingLocation: 'EUNO',
    finalSipCode: 0,
    callEndSubReason: 540000,
    finalSipCodePhrase: 'BYE',
    trunkFullyQualifiedDomainName: 'sbc1.example.com',
    mediaBypassEnabled: false,
    ...over,
  };
}

function pstn(id: string, over: Row = {}): Row {
  return {
    id,
    callId: `1835317186_${id}@198.51.100.10`,
    userId: 'u1',
    userPrincipalName: 'ada@example.com',
    userDisplayName: 'Ada Example',
    startDateTime: '2026-11-01T00:00:08Z',
    endDateTime: '2026-11-01T00:03:47Z',
    duration: 219,
    charge: 0,
    callType: 'user_in',
    currency: 'USD',
    calleeNumber: '+1425555xxxx',
    usageCountryCode: 'US',
    tenantCountryCode: 'US',
    connectionCharge: 0,
    callerNumber: '+1202555xxxx',
    destinationContext: null,
    destinationName: 'United States',
    conferenceId: null,
    licenseCapability: 'MCOPSTNU',
    inventoryType: 'Subscriber',
    operator: 'Microsoft',
    callDurationSource: 'microsoft',
    ...over,
  };
}

const SIP_487 = {
  successfulCall: false,
  duration: 0,
  finalSipCode: 487,
  finalSipCodePhrase: 'Request Terminated',
  callEndSubReason: 487000,
  endDateTime: null,
};

/** Five Direct Routing rows whose rollups are worked out by hand below. */
const DR_ROWS = [
  dr('d1', { startDateTime: '2026-11-01T23:30:00Z' }),
  dr('d2', { ...SIP_487, userId: 'u2', startDateTime: '2026-11-02T08:00:00Z', failureDateTime: '2026-11-02T08:00:05Z' }),
  dr('d3', { duration: 300, trunkFullyQualifiedDomainName: 'sbc2.example.com', startDateTime: '2026-11-02T09:00:00Z' }),
  dr('d4', {
    ...SIP_487,
    userId: null,
    userPrincipalName: null,
    userDisplayName: null,
    callType: 'ByotOutUserForwarding',
    startDateTime: '2026-11-02T10:00:00Z',
  }),
  dr('d5', { duration: 120, userId: 'u3', trunkFullyQualifiedDomainName: 'sbc2.example.com', startDateTime: '2026-11-02T11:00:00Z' }),
];

/** Three PSTN rows: the sample's shape, an outbound one, and an international one that never connected. */
const PSTN_ROWS = [
  pstn('p1'),
  pstn('p2', { callType: 'user_out', duration: 120, charge: 0.02, userId: 'u2', startDateTime: '2026-11-01T01:00:00Z' }),
  pstn('p3', { callType: 'user_out', duration: 0, destinationContext: 'International', destinationName: 'Finland', startDateTime: '2026-11-02T01:00:00Z' }),
];

const ndjson = (rows: readonly Row[]): string => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
const page = (rows: readonly Row[], type: string | null): string =>
  JSON.stringify(
    type === null
      ? { value: rows }
      : { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.callRecords.${type})`, value: rows },
    null,
    2,
  );

async function input(name: string, text: string | Buffer): Promise<string> {
  const path = join(dir, `${runs}-${name}`);
  await writeFile(path, text);
  return path;
}

async function csvRows(out: string, table: string): Promise<Array<Record<string, string>>> {
  const [header, ...lines] = (await readFile(join(out, `${table}.csv`), 'utf8')).trimEnd().split('\r\n');
  // the test values hold no comma, quote or newline: a plain split is exact
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [header!.split(',')[i]!, value])));
}

async function report(inputs: readonly string[], options: Partial<ReportOptions> = {}) {
  const out = join(dir, `out-${runs++}`);
  const result = await runReport({ inputs, out, workers: 0, formats: ['csv'], ...options });
  const c = result.counts;
  expect(c.read).toBe(c.accepted + c.pstnCalls + c.directRoutingCalls + c.rejected + c.duplicate + c.filtered);
  return { result, out };
}

describe('log rows into their tables', () => {
  it('the Graph documentation samples: one row each, every column as exported', async () => {
    const { result, out } = await report([join(DOCS, 'v1-pstn-calls.json'), join(DOCS, 'v1-direct-routing-calls.json')]);
    expect(result.counts).toMatchObject({ read: 3, accepted: 0, pstnCalls: 2, directRoutingCalls: 1, rejected: 0, duplicate: 0, calls: 0 });
    const [row] = await csvRows(out, 'direct_routing_calls');
    expect(row).toEqual({
      row_id: 'd0d00001-0000-4000-8000-000000000001',
      user_id: 'aa000001-0000-4000-8000-000000000001',
      upn: 'ada@example.com',
      user_display_name: 'Ada Example',
      call_type: 'ByotIn',
      call_start: '2026-11-01T00:00:25.105Z',
      call_end: '2026-11-01T00:00:30.105Z',
      duration_s: '5',
      // a leading + is neutralized in CSV like any formula-like text (--csv-raw keeps it)
      caller_number: "'+1202555xxxx",
      callee_number: "'+1425555xxxx",
      other_party_country: '',
      successful: 'true',
      correlation_id: 'c98e1515-0000-4000-8000-0000000000d1',
      invite_time: '2026-11-01T00:00:21.949Z',
      failure_time: '',
      final_sip_code: '0',
      final_sip_code_phrase: 'BYE',
      call_end_sub_reason: '540000',
      trunk_fqdn: 'sbc.example.com',
      media_bypass: 'false',
      media_path_location: 'USWE',
      signaling_location: 'EUNO',
    });
    const pstnRows = await csvRows(out, 'pstn_calls');
    expect(
      pstnRows.map((r) => [r.row_id, r.call_type, r.duration_s, r.successful, r.charge, r.destination_name, r.other_party_country, r.pstn_call_id]),
    ).toEqual([
      ['b0b00001-0000-4000-8000-000000000001', 'user_in', '219', 'true', '0', 'United States', 'us', '1835317186_112562680@198.51.100.10'],
      ['b0b00001-0000-4000-8000-000000000002', 'user_out', '120', 'true', '0.02', 'United States', 'us', '1835317186_112562681@198.51.100.10'],
    ]);
    expect(result.outputs).toEqual(expect.arrayContaining(['pstn_calls.csv', 'direct_routing_calls.csv', 'rollup_dr_sip_code.csv', 'rollup_pstn_day.csv']));
    // summary.json and the terminal summary
    const summary = buildSummary(result);
    expect(summary.counts).toMatchObject({ pstn_calls: 2, direct_routing_calls: 1, accepted: 0 });
    expect(summary.headline.call_logs).toEqual({
      pstn: { calls: 2, successful: 2, success_pct: 100 },
      direct_routing: {
        calls: 1,
        successful: 1,
        success_pct: 100,
        top_sip_codes: [{ final_sip_code: 0, final_sip_code_phrase: 'BYE', call_end_sub_reason: 540000, calls: 1 }],
      },
    });
    const text = renderSummaryText(summary);
    expect(text).toContain('records: 3 read, 0 accepted, 2 PSTN rows, 1 Direct Routing row, 0 rejected, 0 duplicate\n');
    expect(text).toContain('PSTN: 2 calls, 100.0% connected\nDirect Routing: 1 call, 100.0% successful; final SIP codes: 0 BYE (1)\n');
  });

  it('no log file clutters a callRecords-only report', async () => {
    const records = await input('records.ndjson', ndjson([...generateRecords({ records: 3, seed: 5 })] as Row[]));
    const { result, out } = await report([records], { formats: ['csv', 'parquet'] });
    expect(result.counts).toMatchObject({ accepted: 3, pstnCalls: 0, directRoutingCalls: 0 });
    const files = await readdir(out);
    expect(files.filter((f) => /pstn|direct_routing|rollup_dr_/.test(f))).toEqual([]);
    expect(result.logRollups).toEqual([]);
    const summary = buildSummary(result);
    expect(summary.headline.call_logs).toEqual({ pstn: null, direct_routing: null });
    expect(renderSummaryText(summary)).not.toMatch(/PSTN|Direct Routing/);
  });

  it('only the table of the kind seen: a PSTN-only run writes no Direct Routing file', async () => {
    const { out } = await report([await input('p.ndjson', ndjson(PSTN_ROWS))]);
    const files = await readdir(out);
    expect(files.filter((f) => /pstn/.test(f)).sort()).toEqual([
      'pstn_calls.csv',
      'rollup_pstn_call_type.csv',
      'rollup_pstn_day.csv',
      'rollup_pstn_destination.csv',
    ]);
    expect(files.filter((f) => /direct_routing|rollup_dr_/.test(f))).toEqual([]);
  });
});

describe('log rollups, worked by hand', () => {
  it('Direct Routing: by trunk, by SIP code ranked, by day, by location', async () => {
    const { out } = await report([await input('dr.ndjson', ndjson(DR_ROWS))]);
    // sbc1: d1 (60 s, ok), d2 (0, 487), d4 (0, 487, no user); sbc2: d3 (300, ok), d5 (120, ok)
    expect(await csvRows(out, 'rollup_dr_trunk')).toEqual([
      row('trunk_fqdn', 'sbc1.example.com', { calls: 3, successful: 1, success_pct: 100 / 3, total: 60, mean: 20, p50: 0, p90: 60, users: 2 }),
      row('trunk_fqdn', 'sbc2.example.com', { calls: 2, successful: 2, success_pct: 100, total: 420, mean: 210, p50: 120, p90: 300, users: 2 }),
    ]);
    // most calls first: BYE (d1, d3, d5) before 487 (d2, d4)
    const sip = await csvRows(out, 'rollup_dr_sip_code');
    expect(
      sip.map((r) => [r.final_sip_code, r.final_sip_code_phrase, r.call_end_sub_reason, r.calls, r.successful, r.duration_p50_s, r.duration_p90_s, r.users]),
    ).toEqual([
      ['0', 'BYE', '540000', '3', '3', '120', '300', '2'],
      ['487', 'Request Terminated', '487000', '2', '0', '0', '0', '1'],
    ]);
    const days = await csvRows(out, 'rollup_dr_day');
    expect(days.map((r) => [r.day, r.calls, r.successful, r.success_pct])).toEqual([
      ['2026-11-01', '1', '1', '100'],
      ['2026-11-02', '4', '2', '50'],
    ]);
    expect((await csvRows(out, 'rollup_dr_location')).map((r) => [r.media_path_location, r.signaling_location, r.calls])).toEqual([['USWE', 'EUNO', '5']]);
  });

  it('--tz moves a call to its local day', async () => {
    const { out } = await report([await input('dr.ndjson', ndjson(DR_ROWS))], { tz: 'Europe/Helsinki' });
    // d1 started 23:30 UTC on Nov 1: 01:30 on Nov 2 in Helsinki (UTC+2)
    expect((await csvRows(out, 'rollup_dr_day')).map((r) => [r.day, r.calls])).toEqual([['2026-11-02', '5']]);
  });

  it('PSTN: by call type, by destination ranked, by day; success is a connected call', async () => {
    const { out } = await report([await input('p.ndjson', ndjson(PSTN_ROWS))]);
    expect(await csvRows(out, 'rollup_pstn_call_type')).toEqual([
      row('call_type', 'user_in', { calls: 1, successful: 1, success_pct: 100, total: 219, mean: 219, p50: 219, p90: 219, users: 1 }),
      row('call_type', 'user_out', { calls: 2, successful: 1, success_pct: 50, total: 120, mean: 60, p50: 0, p90: 120, users: 2 }),
    ]);
    expect((await csvRows(out, 'rollup_pstn_destination')).map((r) => [r.destination_context, r.destination_name, r.calls])).toEqual([
      ['', 'United States', '2'],
      ['International', 'Finland', '1'],
    ]);
    expect((await csvRows(out, 'rollup_pstn_day')).map((r) => [r.day, r.calls, r.duration_total_s])).toEqual([
      ['2026-11-01', '2', '339'],
      ['2026-11-02', '1', '0'],
    ]);
  });

  it('partials merge exactly: any split of the rows gives the same tables', () => {
    const values = DR_ROWS.map((r) => flattenDirectRoutingRow(r as never));
    const whole = emptyLogPartial('UTC');
    for (const v of values) addLogRow(whole, 'direct_routing_calls', v);
    for (let cut = 0; cut <= values.length; cut++) {
      const a = emptyLogPartial('UTC');
      const b = emptyLogPartial('UTC');
      for (const [i, v] of values.entries()) addLogRow(i < cut ? a : b, 'direct_routing_calls', v);
      mergeLogPartial(b, a);
      expect(finalizeLogRollups(b, new Set(['direct_routing_calls']))).toEqual(finalizeLogRollups(whole, new Set(['direct_routing_calls'])));
    }
    expect(() => mergeLogPartial(emptyLogPartial('UTC'), emptyLogPartial('Europe/Helsinki'))).toThrow(/time zones/);
    expect(flattenPstnRow(PSTN_ROWS[0] as never)).toHaveLength(PSTN_CALLS.columns.length);
    expect(flattenDirectRoutingRow(DR_ROWS[0] as never)).toHaveLength(DIRECT_ROUTING_CALLS.columns.length);
  });
});

/** A log rollup row as the CSV spells it. */
function row(
  key: string,
  value: string,
  m: { calls: number; successful: number; success_pct: number; total: number; mean: number; p50: number; p90: number; users: number },
) {
  return {
    [key]: value,
    calls: String(m.calls),
    successful: String(m.successful),
    success_pct: String(m.success_pct),
    duration_total_s: String(m.total),
    duration_mean_s: String(m.mean),
    duration_p50_s: String(m.p50),
    duration_p90_s: String(m.p90),
    users: String(m.users),
  };
}

describe('duplicates, hostile rows, filters', () => {
  it('the same rows in overlapping fetch windows count once, as duplicates', async () => {
    // two fetch outputs (gzip NDJSON) whose windows overlap on d3 and p2; a third input repeats d1 as a page
    const a = await input('a.ndjson.gz', gzipSync(ndjson([...DR_ROWS.slice(0, 3), ...PSTN_ROWS.slice(0, 2)])));
    const b = await input('b.ndjson.gz', gzipSync(ndjson([...DR_ROWS.slice(2), ...PSTN_ROWS.slice(1)])));
    const c = await input('c.json', page([DR_ROWS[0]!], 'directRoutingLogRow'));
    const { result, out } = await report([a, b, c], { formats: ['csv', 'parquet'] });
    expect(result.counts).toMatchObject({ read: 11, pstnCalls: 3, directRoutingCalls: 5, duplicate: 3, rejected: 0 });
    expect((await csvRows(out, 'direct_routing_calls')).map((r) => r.row_id)).toEqual(['d1', 'd2', 'd3', 'd4', 'd5']);
    expect((await csvRows(out, 'pstn_calls')).map((r) => r.row_id)).toEqual(['p1', 'p2', 'p3']);
    expect((await csvRows(out, 'rollup_dr_trunk')).map((r) => r.calls)).toEqual(['3', '2']);
    // the Parquet rows of the duplicates are left out too
    const parquet = await duckdbRows(
      `SELECT row_id, duration_s, successful, final_sip_code, trunk_fqdn FROM read_parquet('${join(out, 'direct_routing_calls')}/*.parquet')`,
    );
    expect(parquet).toEqual([
      ['d1', 60, true, 0, 'sbc1.example.com'],
      ['d2', 0, false, 487, 'sbc1.example.com'],
      ['d3', 300, true, 0, 'sbc2.example.com'],
      ['d4', 0, false, 487, 'sbc1.example.com'],
      ['d5', 120, true, 0, 'sbc2.example.com'],
    ]);
    expect(await duckdbRows(`SELECT row_id, charge FROM read_parquet('${join(out, 'pstn_calls')}/*.parquet')`)).toEqual([
      ['p1', 0],
      ['p2', 0.02],
      ['p3', 0],
    ]);
  });

  it('a page mixing kinds, and rows that break the schema: each a reject naming the field', async () => {
    const [record] = [...generateRecords({ records: 1, seed: 9 })] as Row[];
    const mixed = await input(
      'mixed.json',
      page(
        [
          record!,
          dr('ok-dr'),
          pstn('ok-pstn'),
          dr('bad-duration', { duration: '5' }),
          dr('bad-success', { successfulCall: 'true' }),
          dr('bad-date', { startDateTime: '2026-02-30T00:00:00Z' }),
          dr('negative', { duration: -1 }),
          dr('bad-sip', { finalSipCode: 487.5 }),
          { ...pstn('x'), id: undefined },
          pstn(''),
          pstn('bad-charge', { charge: 'free' }),
          dr('ok-dr'),
        ],
        null,
      ),
    );
    const { result, out } = await report([mixed]);
    expect(result.counts).toMatchObject({ read: 12, accepted: 1, directRoutingCalls: 1, pstnCalls: 1, rejected: 8, duplicate: 1 });
    const rejects = (await readFile(join(out, 'rejects.jsonl'), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; reason: string; id: string | null; offset: number });
    expect(rejects.map((r) => [r.kind, r.id, r.reason])).toEqual([
      ['schema', 'bad-duration', 'duration: expected number, got string ("5")'],
      ['schema', 'bad-success', 'successfulCall: expected boolean, got string ("true")'],
      ['schema', 'bad-date', 'startDateTime: not an ISO-8601 date-time ("2026-02-30T00:00:00Z")'],
      ['schema', 'negative', 'duration: Too small: expected number to be >=0, got number (-1)'],
      ['schema', 'bad-sip', 'finalSipCode: expected int, got number (487.5)'],
      ['schema', null, 'id: missing (expected string)'],
      ['schema', '', 'id: empty string'],
      ['schema', 'bad-charge', 'charge: expected number, got string ("free")'],
    ]);
    expect(rejects.every((r) => r.offset > 0)).toBe(true);
  });

  it('--since/--until keep rows by startDateTime; the others are filtered out, a row without a start too', async () => {
    const noStart = dr('d6', { startDateTime: null });
    const file = await input('dr.ndjson', ndjson([...DR_ROWS, noStart]));
    const { result, out } = await report([file], { since: new Date('2026-11-02T00:00:00Z'), until: new Date('2026-11-02T10:00:00Z') });
    expect(result.counts).toMatchObject({ read: 6, directRoutingCalls: 2, filtered: 4 });
    expect((await csvRows(out, 'direct_routing_calls')).map((r) => r.row_id)).toEqual(['d2', 'd3']);
    const open = await report([file]);
    expect(open.result.counts).toMatchObject({ directRoutingCalls: 6, filtered: 0 });
  });

  it('--redact pseudonymizes users, names and numbers (the same pseudonym as in the streams tables), and nothing else', async () => {
    const key = new Uint8Array(32).fill(7);
    const { out } = await report([await input('both.ndjson', ndjson([...DR_ROWS.slice(0, 2), PSTN_ROWS[0]!]))], { redactKey: key });
    const [d1] = await csvRows(out, 'direct_routing_calls');
    expect(d1).toMatchObject({
      row_id: 'd1',
      user_id: pseudonym(key, 'user', 'u1'),
      upn: pseudonym(key, 'upn', 'ada@example.com'),
      user_display_name: pseudonym(key, 'name', 'Ada Example'),
      caller_number: pseudonym(key, 'phone', '+1202555xxxx'),
      callee_number: pseudonym(key, 'phone', '+1425555xxxx'),
      trunk_fqdn: 'sbc1.example.com',
      correlation_id: 'corr-d1',
    });
    const [p1] = await csvRows(out, 'pstn_calls');
    expect(p1!.pstn_call_id).toBe(pseudonym(key, 'pstn_call', '1835317186_p1@198.51.100.10'));
    const all = await Promise.all((await readdir(out)).filter((f) => f.endsWith('.csv') || f.endsWith('.jsonl')).map((f) => readFile(join(out, f), 'utf8')));
    for (const secret of ['ada@example.com', 'Ada Example', '+1202555', '198.51.100.10', ',u1,', ',u2,']) expect(all.join('\n')).not.toContain(secret);
    // distinct users survive pseudonymization
    expect((await csvRows(out, 'rollup_dr_trunk')).map((r) => r.users)).toEqual(['2']);
  });
});

async function tree(out: string, at = ''): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of (await readdir(join(out, at))).sort()) {
    const path = join(at, name);
    if ((await stat(join(out, path))).isDirectory()) for (const [p, b] of await tree(out, path)) files.set(p, b);
    else if (name !== 'summary.json') files.set(path, await readFile(join(out, path)));
  }
  return files;
}

describe('the same bytes for every worker count', () => {
  it('0, 1, 2, 4 workers; NDJSON read by ranges, pages and gzip framed on the main thread; duplicates across batches', async () => {
    const many = (n: number, seed: number): Row[] =>
      Array.from({ length: n }, (_, i) =>
        i % 2 === 0
          ? dr(`dr-${seed}-${i % 97}`, {
              duration: (i * 37) % 600,
              successfulCall: i % 5 !== 0,
              trunkFullyQualifiedDomainName: `sbc${i % 3}.example.com`,
              userId: `u${i % 11}`,
            })
          : pstn(`p-${seed}-${i % 89}`, { duration: (i * 13) % 900, destinationName: ['Finland', 'United States', 'Japan'][i % 3], userId: `u${i % 7}` }),
      );
    const folder = join(dir, `many-${runs}`);
    await mkdir(folder);
    const [record] = [...generateRecords({ records: 1, seed: 3 })] as Row[];
    await writeFile(join(folder, 'a.ndjson'), ndjson([...many(240, 1), record!]));
    await writeFile(join(folder, 'b.json'), page(many(160, 1), null));
    await writeFile(join(folder, 'c.ndjson.gz'), gzipSync(ndjson(many(200, 2))));
    const outputs: Array<Map<string, Buffer>> = [];
    for (const workers of [0, 1, 2, 4]) {
      const { result, out } = await report([folder], { workers, batchBytes: 4096, formats: ['csv', 'parquet', 'json'], partRows: 150 });
      expect(result.counts.duplicate).toBeGreaterThan(150);
      expect(result.counts).toMatchObject({ accepted: 1, rejected: 0 });
      outputs.push(await tree(out));
    }
    const names = [...outputs[0]!.keys()];
    expect(names).toEqual(
      expect.arrayContaining(['pstn_calls.csv', 'direct_routing_calls.csv', join('pstn_calls', 'part-00000.parquet'), 'rollup_dr_sip_code.jsonl']),
    );
    for (const other of outputs.slice(1)) {
      expect([...other.keys()]).toEqual(names);
      for (const name of names) expect(other.get(name)!.equals(outputs[0]!.get(name)!), name).toBe(true);
    }
    // each row id once in each table
    const ids = (await csvRows(join(dir, `out-${runs - 1}`), 'direct_routing_calls')).map((r) => r.row_id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
