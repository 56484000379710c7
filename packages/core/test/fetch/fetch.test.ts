/** fetchCallRecords against the loopback Graph: complete records, faults, concurrency, resume, and report on the output. */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runReport } from '../../src/engine/run.js';
import type { FetchOptions, FetchProgress } from '../../src/fetch/run.js';
import { fetchCallRecords } from '../../src/fetch/run.js';
import type { Manifest } from '../../src/fetch/manifest.js';
import type { Fault, GraphOptions, GraphServer, Json, Seen } from './graph.js';
import { makeRecords, startGraph } from './graph.js';

const TOKEN = 'test-token-3f9a0c';
const SINCE = new Date('2026-11-01T00:00:00Z');
const UNTIL = new Date('2026-11-08T00:00:00Z');
/** The clock the fetches see: the window is recent (no 30-day warning). */
const NOW = Date.parse('2026-11-10T00:00:00Z');

let RECORDS: Json[];
let dir: string;
let server: GraphServer | undefined;

beforeAll(async () => {
  RECORDS = makeRecords(24);
  dir = await mkdtemp(join(tmpdir(), 'callaudit-fetch-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

let folders = 0;
const newOut = (): string => join(dir, `out-${++folders}`);

async function serve(options: Partial<GraphOptions> = {}): Promise<GraphServer> {
  server = await startGraph({ records: RECORDS, token: TOKEN, listPageSize: 5, sessionPageSize: 4, participantPageSize: 3, ...options });
  return server;
}

/** Fetch options against the server: fast retries, sleeps recorded and shortened. */
function options(graph: GraphServer, out: string, extra: Partial<FetchOptions> = {}): FetchOptions & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    graphUrl: graph.url,
    auth: { kind: 'token', token: TOKEN },
    since: SINCE,
    until: UNTIL,
    out,
    now: () => NOW,
    retryDelayMs: 10,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5)));
    },
    shard: { records: 5 },
    ...extra,
    sleeps,
  };
}

async function readShards(out: string): Promise<Json[]> {
  const names = (await readdir(join(out, 'records'))).sort();
  const records: Json[] = [];
  for (const name of names) {
    expect(name).toMatch(/^part-\d{5}\.ndjson\.gz$/);
    const text = gunzipSync(await readFile(join(out, 'records', name))).toString('utf8');
    for (const line of text.split('\n')) if (line !== '') records.push(JSON.parse(line) as Json);
  }
  return records;
}

const readManifest = async (out: string): Promise<Manifest> => JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest;

/** The records of the window as the server holds them (complete), in list order. */
const inWindow = (): Json[] => RECORDS.filter((record) => {
  const start = Date.parse(String(record.startDateTime).slice(0, 23) + 'Z');
  return start >= SINCE.getTime() && start < UNTIL.getTime();
});

/** Drops the keys the list / record answer adds, for comparing with the server's record. */
const strip = ({ '@odata.context': _context, ...rest }: Json): Json => rest;

function expectComplete(written: Json[]): void {
  const expected = inWindow();
  expect(written.map((record) => record.id)).toEqual(expected.map((record) => record.id));
  for (const [i, record] of written.entries()) {
    expect(Object.keys(record).filter((key) => key.includes('nextLink'))).toEqual([]);
    expect(strip(record)).toEqual(strip(expected[i]!));
  }
}

describe('fetchCallRecords', () => {
  it('writes every record of the window complete: paged sessions and participants merged, no nextLink', async () => {
    const graph = await serve();
    const out = newOut();
    const progress: FetchProgress[] = [];
    const result = await fetchCallRecords(options(graph, out, { onProgress: (p) => progress.push(p) }));
    const written = await readShards(out);
    expectComplete(written);
    // the fixture has what it must exercise
    expect(inWindow().length).toBe(24);
    expect(inWindow().some((record) => (record.sessions as unknown[]).length > 8)).toBe(true);
    expect(inWindow().some((record) => ((record.participants_v2 as unknown[]) ?? []).length > 3)).toBe(true);
    expect(graph.requests.filter((seen) => seen.kind === 'sessions').length).toBeGreaterThan(10);
    expect(graph.requests.filter((seen) => seen.kind === 'participants').length).toBeGreaterThan(3);
    // each record asked once
    for (const record of inWindow()) expect(graph.served('record', record.id as string)).toBe(1);

    const manifest = await readManifest(out);
    expect(manifest).toMatchObject({ kind: 'callRecords', status: 'complete', window: { since: '2026-11-01T00:00:00Z', until: '2026-11-08T00:00:00Z' }, runs: 1, listing: { complete: true, ids: 24 } });
    expect(manifest.counts).toMatchObject({ listed: 24, written: 24, missing: 0, listPages: 5, requests: graph.requests.length, retried: 0, throttled: 0 });
    expect(manifest.counts.sessionPages).toBe(graph.requests.filter((seen) => seen.kind === 'sessions').length);
    expect(manifest.shards.map((shard) => shard.file)).toEqual(['records/part-00001.ndjson.gz', 'records/part-00002.ndjson.gz', 'records/part-00003.ndjson.gz', 'records/part-00004.ndjson.gz', 'records/part-00005.ndjson.gz']);
    expect(manifest.shards.flatMap((shard) => shard.ids)).toEqual(inWindow().map((record) => record.id));
    expect(result.manifest.counts.written).toBe(24);
    expect((await readFile(join(out, 'listed.txt'), 'utf8')).trim().split('\n')).toEqual(inWindow().map((record) => record.id));
    expect(await readdir(out)).toEqual(['listed.txt', 'manifest.json', 'records']);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', pending: 0 });
    // the list filter is Graph's
    const list = new URL(graph.requests.find((seen) => seen.kind === 'list')!.url, graph.url);
    expect(list.searchParams.get('$filter')).toBe('startDateTime ge 2026-11-01T00:00:00Z and startDateTime lt 2026-11-08T00:00:00Z');
    expect(graph.requests.every((seen) => seen.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('gives report complete records: none sessions-truncated, none rejected', async () => {
    const graph = await serve();
    const out = newOut();
    await fetchCallRecords(options(graph, out));
    const report = await runReport({ inputs: [join(out, 'records')], workers: 0 });
    expect(report.counts).toMatchObject({ read: 24, accepted: 24, rejected: 0, sessionsTruncated: 0, truncatedFiles: 0 });
    // the same records served truncated (no paging followed) are flagged: the check can fail
    const truncated = RECORDS.map((record) => ({ ...record, sessions: (record.sessions as unknown[]).slice(0, 4), 'sessions@odata.nextLink': 'https://graph.microsoft.com/next' }));
    const file = join(dir, 'truncated.ndjson');
    await writeFile(file, truncated.map((record) => JSON.stringify(record)).join('\n'));
    const flagged = await runReport({ inputs: [file], workers: 0 });
    expect(flagged.counts.sessionsTruncated).toBeGreaterThan(5);
  });
});
