/**
 * Sessions pages saved on their own, stitched into their record by call id (stitch.ts): a record
 * split into a record and its sessions pages, in any order and any files, gives the rows the complete
 * record gives; outputs are byte-identical for any worker count and range size; orphans, rejected
 * and filtered calls, duplicate versions, --redact and standard input.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateRecords } from '@callaudit/datasets';
import { runReport } from '../../src/engine/run.js';
import { duckdbRows } from '../io/duckdb.js';
import type { ReportResult } from '../../src/engine/run.js';
import type { ReportOptions } from '../../src/engine/options.js';

vi.setConfig({ testTimeout: 240_000 });

const DOCS = resolve(import.meta.dirname, '../../../../datasets/sample/graph-docs');
const CALL_A = 'c0ffee00-1a2b-4c3d-8e9f-00000000000a';

let dir: string;
let runs = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-stitch-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Rec = Record<string, unknown> & { id: string; sessions?: Array<Record<string, unknown>> };

const sessionsContext = (id: string): string => `https://graph.microsoft.com/v1.0/$metadata#communications/callRecords('${id}')/sessions(segments())`;

/** A call's sessions as Graph pages them: `size` a page, each page but the last with its nextLink. */
function pagesOf(id: string, sessions: readonly unknown[], size: number): Record<string, unknown>[] {
  const pages: Record<string, unknown>[] = [];
  for (let i = 0; i < sessions.length; i += size) {
    const last = i + size >= sessions.length;
    pages.push({
      '@odata.context': sessionsContext(id),
      value: sessions.slice(i, i + size),
      ...(last ? {} : { '@odata.nextLink': `https://graph.microsoft.com/v1.0/communications/callRecords/${id}/sessions?$skiptoken=${i + size}` }),
    });
  }
  return pages;
}

async function write(name: string, body: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, body);
  return path;
}

const ndjson = (list: readonly unknown[]): string => `${list.map((r) => JSON.stringify(r)).join('\n')}\n`;

interface Run {
  out: string;
  result: ReportResult;
  files: Map<string, string>;
  rejects: Array<{ file: string; offset: number; index: number; id: string | null; kind: string; reason: string }>;
}

async function report(options: Omit<ReportOptions, 'out'>): Promise<Run> {
  const out = join(dir, `run-${runs++}`);
  const result = await runReport({ formats: ['csv'], workers: 0, ...options, out });
  const c = result.counts;
  expect(c.read).toBe(c.accepted + c.rejected + c.duplicate + c.filtered + c.sessionsStitched);
  const files = new Map<string, string>();
  for (const name of await readdir(out)) if (name.endsWith('.csv') || name === 'rejects.jsonl') files.set(name, await readFile(join(out, name), 'utf8'));
  const text = files.get('rejects.jsonl')!;
  const rejects =
    text === ''
      ? []
      : text
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as Run['rejects'][number]);
  return { out, result, files, rejects };
}

/** A table's rows, sorted: the same rows in any order. */
const rowsOf = (csv: string): string[] => csv.trimEnd().split('\r\n').slice(1).sort();
const column = (csv: string, name: string): string[] => {
  const [header, ...rows] = csv
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));
  return rows.map((row) => row[header!.indexOf(name)]!);
};

describe('stitching generated calls split into a record and its sessions pages', () => {
  // Unique ids: one version per call, so the split and the complete input hold the same calls.
  const complete = [...generateRecords({ records: 50, seed: 23, duplicateShare: 0, truncatedShare: 0 })] as Rec[];
  const multi = complete.filter((r) => (r.sessions?.length ?? 0) >= 2);
  let completeIn: string;
  let splitIn: string[];
  let savedSessions = 0;
  let duplicates = 0;

  beforeAll(async () => {
    expect(multi.length).toBeGreaterThan(6);
    const records: Rec[] = [];
    const before: Record<string, unknown>[] = [];
    const after: Record<string, unknown>[] = [];
    let n = 0;
    for (const record of complete) {
      const sessions = record.sessions ?? [];
      if (sessions.length < 2) {
        records.push(record);
        continue;
      }
      const pages = pagesOf(record.id, sessions, 3);
      savedSessions += sessions.length;
      // Each way a record is exported: its first page embedded and its nextLink (the page saved again
      // too: its sessions count once), or no sessions at all (listed); pages before or after it.
      if (n % 2 === 0) {
        const { sessions: _, ...rest } = record;
        records.push({ ...rest, sessions: sessions.slice(0, 3), 'sessions@odata.nextLink': 'https://graph.microsoft.com/v1.0/x?$skiptoken=3' });
        duplicates += Math.min(3, sessions.length);
      } else {
        const { sessions: _, ...rest } = record;
        records.push(rest as Rec);
      }
      (n % 3 === 0 ? before : after).push(...pages);
      n++;
    }
    completeIn = await write('complete.ndjson', ndjson(complete));
    splitIn = [
      await write('pages-before.ndjson', ndjson(before)),
      await write('records.ndjson', ndjson(records)),
      await write('pages-after.json.gz', gzipSync(after.map((p) => JSON.stringify(p, null, 1)).join('\n'))),
    ];
  });

  it('gives the rows of the complete records: every session counted once, none truncated, none missing', async () => {
    const whole = await report({ inputs: [completeIn], formats: ['csv', 'parquet'] });
    const split = await report({ inputs: splitIn, formats: ['csv', 'parquet'], partRows: 40 });
    const c = split.result.counts;
    expect(c).toMatchObject({
      accepted: complete.length,
      rejected: 0,
      duplicate: duplicates,
      sessionsStitched: savedSessions - duplicates,
      sessionsTruncated: 0,
      sessionsMissing: 0,
      streams: whole.result.counts.streams,
      calls: complete.length,
    });
    expect(c.read).toBe(complete.length + savedSessions);
    for (const table of ['streams.csv', 'calls.csv']) expect(rowsOf(split.files.get(table)!), table).toEqual(rowsOf(whole.files.get(table)!));
    // The stitched calls' rows go at the end of the tables, in the order of their first saved session.
    const ids = column(split.files.get('calls.csv')!, 'call_id');
    expect(new Set(ids.slice(-multi.length))).toEqual(new Set(multi.map((r) => r.id)));
    // Parquet alike: the same rows both ways (the replaced records' rows cut from their parts)
    for (const table of ['streams', 'calls']) {
      const a = `read_parquet('${whole.out}/${table}/*.parquet')`;
      const b = `read_parquet('${split.out}/${table}/*.parquet')`;
      const [[rows]] = (await duckdbRows(`SELECT count(*) FROM ${b}`)) as [[number]];
      expect(rows, table).toBe(table === 'calls' ? c.calls : c.streams);
      const [[missing]] = (await duckdbRows(`SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})`)) as [[number]];
      const [[extra]] = (await duckdbRows(`SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a})`)) as [[number]];
      expect([missing, extra], table).toEqual([0, 0]);
    }
    // every rollup, in its own order, has the same rows as the complete records' run
    for (const [name, text] of whole.files) if (name.startsWith('rollup_')) expect(rowsOf(split.files.get(name)!), name).toEqual(rowsOf(text));
  });

  it('writes byte-identical outputs for 0, 1, 2 and 4 workers, any range or batch size, ranges read by workers or not', async () => {
    const variants: Array<Omit<ReportOptions, 'out' | 'inputs'>> = [
      { workers: 0 },
      { workers: 1, batchBytes: 8 * 1024 },
      { workers: 2, batchBytes: 3 * 1024 },
      { workers: 4, batchBytes: 64 * 1024 },
      { workers: 2, batchBytes: 5 * 1024, workerReads: false },
    ];
    let first: Map<string, string> | null = null;
    for (const variant of variants) {
      const { files } = await report({ inputs: splitIn, ...variant });
      if (first === null) first = files;
      else for (const [name, text] of first) expect(files.get(name), `${name} ${JSON.stringify(variant)}`).toBe(text);
    }
  });

  it('the inputs in another order: the same rows (the stitched ones after the others)', async () => {
    const a = await report({ inputs: splitIn });
    const b = await report({ inputs: [...splitIn].reverse(), batchBytes: 4 * 1024 });
    for (const table of ['streams.csv', 'calls.csv']) expect(rowsOf(b.files.get(table)!)).toEqual(rowsOf(a.files.get(table)!));
    expect(b.result.counts).toMatchObject({ sessionsStitched: a.result.counts.sessionsStitched, duplicate: a.result.counts.duplicate });
  });
});

describe('stitching: what becomes of each saved session', () => {
  const expanded = async (): Promise<Rec> => JSON.parse(await readFile(join(DOCS, 'v1-get-expanded.json'), 'utf8')) as Rec;
  const page = (n: 1 | 2): string => join(DOCS, `v1-sessions-page-${n}.json`);

  it('a record listed without sessions and only its first page saved: sessions present, still truncated', async () => {
    const { sessions: _, 'sessions@odata.nextLink': __, ...listed } = await expanded();
    const path = await write('listed.json', JSON.stringify(listed));
    const { result, files } = await report({ inputs: [path, page(1)] });
    expect(result.counts).toMatchObject({ accepted: 1, sessionsStitched: 1, sessionsMissing: 0, sessionsTruncated: 1 });
    expect(column(files.get('calls.csv')!, 'sessions_truncated')).toEqual(['true']);
    expect(column(files.get('calls.csv')!, 'sessions_missing')).toEqual(['false']);
    // with page 2, the last page, saved as well: complete
    const both = await report({ inputs: [page(2), path, page(1)] });
    expect(both.result.counts).toMatchObject({ accepted: 1, sessionsStitched: 2, sessionsMissing: 0, sessionsTruncated: 0 });
  });

  it('duplicate versions of the record: the sessions go into the kept version, the other is a duplicate', async () => {
    const v3 = await expanded();
    const v2 = { ...v3, version: 2 };
    const v2In = await write('v2.json', JSON.stringify(v2));
    const v3In = await write('v3.json', JSON.stringify(v3));
    const expected = await report({ inputs: [v3In, page(1), page(2)] });
    for (const inputs of [
      [v2In, page(1), v3In, page(2)],
      [v3In, page(1), page(2), v2In],
      [page(2), v2In, page(1), v3In],
    ]) {
      for (const workers of inputs[0] === v2In ? [0, 2] : [0]) {
        const { result, files } = await report({ inputs, workers });
        // read 4: the v2 copy and page 1's session (the record holds it) are duplicates
        expect(result.counts).toMatchObject({ read: 4, accepted: 1, duplicate: 2, sessionsStitched: 1, sessionsTruncated: 0, calls: 1 });
        expect(column(files.get('calls.csv')!, 'call_version')).toEqual(['3']);
        expect(files.get('calls.csv')).toBe(expected.files.get('calls.csv'));
        expect(files.get('streams.csv')).toBe(expected.files.get('streams.csv'));
      }
    }
  });

  it('a call whose record was rejected: its sessions are rejects naming it; filtered out by --since: so are its sessions', async () => {
    const broken = { ...(await expanded()), startDateTime: 'yesterday' };
    const path = await write('broken.json', JSON.stringify(broken));
    const { result, rejects } = await report({ inputs: [page(1), path, page(2)] });
    expect(result.counts).toMatchObject({ read: 3, accepted: 0, rejected: 3, sessionsStitched: 0 });
    expect(rejects.map((r) => r.kind)).toEqual(['schema', 'session', 'session']);
    expect(rejects[1]!.reason).toContain(`call ${CALL_A}, whose record was rejected`);
    const late = await report({ inputs: [join(DOCS, 'v1-get-expanded.json'), page(1), page(2)], since: new Date('2026-12-01T00:00:00Z') });
    expect(late.result.counts).toMatchObject({ read: 3, accepted: 0, filtered: 3, rejected: 0, sessionsStitched: 0, calls: 0 });
  });

  it('an invalid session is a schema reject of its own; the valid ones are stitched', async () => {
    const text = await readFile(page(2), 'utf8');
    const bad = JSON.parse(text) as { value: Array<Record<string, unknown>> };
    bad.value.push({ ...bad.value[0]!, id: 'bad-session', segments: 'not a list' });
    const path = await write('page-2-bad.json', JSON.stringify(bad));
    const { result, rejects } = await report({ inputs: [join(DOCS, 'v1-get-expanded.json'), page(1), path] });
    expect(result.counts).toMatchObject({ read: 4, accepted: 1, rejected: 1, duplicate: 1, sessionsStitched: 1, sessionsTruncated: 0 });
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ kind: 'schema', id: 'bad-session' });
    expect(rejects[0]!.reason).toMatch(new RegExp(`^a session of call ${CALL_A}: segments: expected array`));
  });

  it('orphan sessions in NDJSON ranges and gzip: one reject each, in input order, at its own offset', async () => {
    const text = await readFile(page(1), 'utf8');
    const one = JSON.parse(text) as Record<string, unknown>;
    const orphan = (id: string): Record<string, unknown> => ({ ...one, '@odata.context': sessionsContext(id) });
    const lines = ndjson([orphan('x-1'), orphan('x-2')]);
    const plain = await write('orphans.ndjson', lines);
    const gz = await write('orphans.ndjson.gz', gzipSync(lines));
    for (const inputs of [[plain], [gz]]) {
      for (const batchBytes of [64, 1 << 20]) {
        const { result, rejects } = await report({ inputs, batchBytes });
        expect(result.counts).toMatchObject({ read: 2, rejected: 2, sessionsStitched: 0 });
        // a session of a page on one line: its offset is inside the line, after the page's context
        const second = lines.indexOf('\n') + 1;
        expect(rejects.map((r) => [r.kind, r.index])).toEqual([
          ['session', 0],
          ['session', 1],
        ]);
        expect(rejects[0]!.offset).toBe(lines.indexOf('{', 1));
        expect(rejects[1]!.offset).toBe(lines.indexOf('{', second + 1));
        expect(rejects[0]!.reason).toContain('call x-1, whose record is not in the inputs');
        expect(rejects[1]!.reason).toContain('call x-2, whose record is not in the inputs');
      }
    }
  });

  it('--redact and --modality: the stitched rows are those of the complete record under the same options', async () => {
    const v3 = await expanded();
    const second = JSON.parse(await readFile(page(2), 'utf8')) as { value: Array<Record<string, unknown>> };
    const whole = { ...v3, sessions: [...(v3.sessions ?? []), second.value[0]!] };
    delete (whole as Record<string, unknown>)['sessions@odata.nextLink'];
    const wholeIn = await write('whole.json', JSON.stringify(whole));
    const options = { redactKey: new Uint8Array(32).fill(7), modalities: ['audio'] };
    const a = await report({ inputs: [wholeIn], ...options });
    const b = await report({ inputs: [page(1), join(DOCS, 'v1-get-expanded.json'), page(2)], ...options });
    for (const table of ['streams.csv', 'calls.csv']) expect(b.files.get(table), table).toBe(a.files.get(table));
    expect(b.files.get('streams.csv')).not.toContain('Ada Example');
    // an orphan's reject hides its id and snippet as any reject does
    const orphans = await report({ inputs: [page(2)], ...options });
    expect(orphans.rejects[0]).toMatchObject({ kind: 'session', snippet: '<redacted>' });
    expect(orphans.rejects[0]!.id).not.toBe('c0ffee00-5e55-4000-8000-00000000000a');
  });

  it('the record from standard input, its pages from files', async () => {
    const expected = await report({ inputs: [join(DOCS, 'v1-get-expanded.json'), page(1), page(2)] });
    const stdin = Readable.from([await readFile(join(DOCS, 'v1-get-expanded.json'))]);
    const { result, files } = await report({ inputs: [page(1), '-', page(2)], stdin });
    expect(result.counts).toMatchObject({ read: 3, accepted: 1, duplicate: 1, sessionsStitched: 1 });
    expect(files.get('calls.csv')).toBe(expected.files.get('calls.csv'));
  });
});
