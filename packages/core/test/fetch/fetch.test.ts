/** fetchCallRecords against the loopback Graph: complete records, faults, concurrency, resume, and report on the output. */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runReport } from '../../src/engine/run.js';
import type { FetchOptions, FetchProgress } from '../../src/fetch/run.js';
import { fetchCallRecords } from '../../src/fetch/run.js';
import type { Manifest } from '../../src/fetch/manifest.js';
import type { Fault, GraphOptions, GraphServer, Json, Seen } from '@callaudit/datasets';
import { makeRecords, startMs } from '@callaudit/datasets';
import { rejection, useGraph } from './setup.js';

const TOKEN = 'test-token-3f9a0c';
const SINCE = new Date('2026-11-01T00:00:00Z');
const UNTIL = new Date('2026-11-08T00:00:00Z');
/** The clock the fetches see: the window is recent (no 30-day warning). */
const NOW = Date.parse('2026-11-10T00:00:00Z');

const RECORDS: Json[] = makeRecords(24);
const fixture = useGraph('callaudit-fetch-');
const newOut = fixture.newOut;

const serve = (options: Partial<GraphOptions> = {}): Promise<GraphServer> =>
  fixture.serve({ records: RECORDS, token: TOKEN, listPageSize: 5, sessionPageSize: 4, participantPageSize: 3, ...options });

/** Fetch options against the server: fast retries, sleeps recorded and shortened. */
function options(graph: GraphServer, out: string, extra: Partial<FetchOptions> = {}): FetchOptions & { sleeps: number[] } {
  const sleeps: number[] = [];
  let clock = NOW;
  return {
    graphUrl: graph.url,
    auth: { kind: 'token', token: TOKEN },
    since: SINCE,
    until: UNTIL,
    out,
    now: () => clock,
    retryDelayMs: 10,
    // a wait moves the clock on at once
    sleep: async (ms: number) => {
      sleeps.push(ms);
      clock += ms;
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
const inWindow = (): Json[] => RECORDS.filter((record) => startMs(record) >= SINCE.getTime() && startMs(record) < UNTIL.getTime());

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
    expect(manifest).toMatchObject({
      kind: 'callRecords',
      status: 'complete',
      window: { since: '2026-11-01T00:00:00Z', until: '2026-11-08T00:00:00Z' },
      runs: 1,
      listing: { complete: true, ids: 24 },
    });
    expect(manifest.counts).toMatchObject({ listed: 24, written: 24, missing: 0, listPages: 5, requests: graph.requests.length, retried: 0, throttled: 0 });
    expect(manifest.counts.sessionPages).toBe(graph.requests.filter((seen) => seen.kind === 'sessions').length);
    expect(manifest.shards.map((shard) => shard.file)).toEqual([
      'records/part-00001.ndjson.gz',
      'records/part-00002.ndjson.gz',
      'records/part-00003.ndjson.gz',
      'records/part-00004.ndjson.gz',
      'records/part-00005.ndjson.gz',
    ]);
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
    const truncated = RECORDS.map((record) => ({
      ...record,
      sessions: (record.sessions as unknown[]).slice(0, 4),
      'sessions@odata.nextLink': 'https://graph.microsoft.com/next',
    }));
    const file = join(fixture.dir(), 'truncated.ndjson');
    await writeFile(file, truncated.map((record) => JSON.stringify(record)).join('\n'));
    const flagged = await runReport({ inputs: [file], workers: 0 });
    expect(flagged.counts.sessionsTruncated).toBeGreaterThan(5);
  });
});

const sortById = (records: Json[]): Json[] => [...records].sort((a, b) => String(a.id).localeCompare(String(b.id)));

describe('fetchCallRecords under faults', () => {
  it('ends complete through 429, 503, 5xx, dropped connections, slow answers and timeouts', async () => {
    const ids = inWindow().map((record) => record.id as string);
    const attempts = new Map<string, number>();
    const fault = (seen: Seen): Fault | undefined => {
      const key = `${seen.kind} ${seen.url}`;
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);
      if (seen.kind === 'list' && n === 1 && seen.url.includes('skiptoken=10')) return { status: 503, headers: { 'retry-after': '2' } };
      if (seen.kind === 'record' && seen.id === ids[1] && n <= 2) return { status: 429, headers: { 'retry-after': '3' } };
      if (seen.kind === 'record' && seen.id === ids[2] && n === 1) return { status: 500 };
      if (seen.kind === 'record' && seen.id === ids[3] && n <= 2) return { status: 504 };
      if (seen.kind === 'record' && seen.id === ids[4] && n === 1) return { drop: true };
      if (seen.kind === 'sessions' && n === 1 && seen.id === ids[0]) return { drop: true };
      if (seen.kind === 'participants' && n === 1) return { status: 502 };
      if (seen.kind === 'record' && seen.id === ids[5] && n === 1) return { delayMs: 2000 };
      if (seen.kind === 'record' && seen.id === ids[6]) return { delayMs: 50 };
      return undefined;
    };
    const graph = await serve({ fault });
    const out = newOut();
    const opts = options(graph, out, { requestTimeoutMs: 500 });
    await fetchCallRecords(opts);
    expectComplete(await readShards(out));
    const manifest = await readManifest(out);
    expect(manifest.status).toBe('complete');
    expect(manifest.counts.throttled).toBe(3);
    expect(manifest.counts.retried).toBe(graph.requests.filter((seen) => seen.status !== 200 && seen.status !== 429 && seen.status !== 503).length);
    expect(manifest.counts.retried).toBeGreaterThanOrEqual(7);
    expect(manifest.counts.requests).toBe(graph.requests.length);
    // Retry-After waited exactly; backoff doubles from 10 ms, jittered within [half, all]
    expect(opts.sleeps.filter((ms) => ms === 2000)).toHaveLength(1);
    expect(opts.sleeps.filter((ms) => ms === 3000).length).toBeGreaterThanOrEqual(2);
    // other waits: the backoff (10 ms doubling, jittered within [half, all]) or what is left of a throttling pause
    expect(opts.sleeps.filter((ms) => ms !== 2000 && ms !== 3000).every((ms) => ms <= 3000)).toBe(true);
  });

  it('follows segments@odata.nextLink inside a session (first answer and sessions pages) and merges the segments', async () => {
    // PSTN-like sessions with several segments: every session of every record gets 5 (ids kept distinct)
    const records = RECORDS.map((record) => {
      const copy = structuredClone(record);
      for (const session of copy.sessions as Json[]) {
        const [segment] = session.segments as Json[];
        session.segments = [0, 1, 2, 3, 4].map((n) => ({ ...segment!, id: `${String(segment!.id)}-${n}` }));
      }
      return copy;
    });
    const graph = await fixture.serve({ records, token: TOKEN, listPageSize: 5, sessionPageSize: 4, participantPageSize: 3, segmentPageSize: 2 });
    const out = newOut();
    await fetchCallRecords(options(graph, out));
    const written = await readShards(out);
    const expected = records.filter((record) => startMs(record) >= SINCE.getTime() && startMs(record) < UNTIL.getTime());
    expect(written.map((record) => strip(record))).toEqual(expected.map((record) => strip(record)));
    expect(written.every((record) => !JSON.stringify(record).includes('nextLink'))).toBe(true);
    const segmentPages = graph.requests.filter((seen) => seen.kind === 'segments');
    // 2 pages after the first answer for each session: from the record's answer and from its sessions pages
    const sessions = expected.reduce((sum, record) => sum + (record.sessions as unknown[]).length, 0);
    expect(segmentPages).toHaveLength(2 * sessions);
    expect(graph.requests.filter((seen) => seen.kind === 'sessions').length).toBeGreaterThan(10);
    expect((await readManifest(out)).counts).toMatchObject({ written: 24, missing: 0, segmentPages: 2 * sessions });
    // the output reads as complete records
    const report = await runReport({ inputs: [join(out, 'records')], workers: 0 });
    expect(report.counts).toMatchObject({ read: 24, accepted: 24, rejected: 0, sessionsTruncated: 0 });
  });

  it('lists a record whose segments page answers 404 as missing', async () => {
    const ids = inWindow().map((record) => record.id as string);
    const records = RECORDS.map((record) => {
      if (record.id !== ids[2]) return record;
      const copy = structuredClone(record);
      const session = (copy.sessions as Json[])[0]!;
      session.segments = [...(session.segments as Json[]), { ...(session.segments as Json[])[0]!, id: 'second-segment' }];
      return copy;
    });
    const graph = await fixture.serve({
      records,
      token: TOKEN,
      listPageSize: 5,
      segmentPageSize: 1,
      fault: (seen) => (seen.kind === 'segments' ? { status: 404 } : undefined),
    });
    const out = newOut();
    await fetchCallRecords(options(graph, out));
    const manifest = await readManifest(out);
    expect(manifest.counts).toMatchObject({ written: 23, missing: 1 });
    expect(manifest.missing).toEqual([{ id: ids[2], reason: 'segments page: HTTP 404 Not Found (Injected: HTTP 404)' }]);
  });

  it('counts and lists a record that answers 404, and one whose sessions page answers 404, and goes on', async () => {
    const ids = inWindow().map((record) => record.id as string);
    const graph = await serve({
      fault: (seen) =>
        seen.kind === 'record' && seen.id === ids[7]
          ? { status: 404, body: JSON.stringify({ error: { code: 'NotFound', message: 'gone' } }) }
          : seen.kind === 'sessions' && seen.id === ids[0]
            ? { status: 404 }
            : undefined,
    });
    const out = newOut();
    await fetchCallRecords(options(graph, out));
    const written = await readShards(out);
    expect(written.map((record) => record.id)).toEqual(ids.filter((id) => id !== ids[7] && id !== ids[0]));
    const manifest = await readManifest(out);
    expect(manifest.status).toBe('complete');
    expect(manifest.counts).toMatchObject({ listed: 24, written: 22, missing: 2 });
    expect(manifest.missing).toEqual([
      { id: ids[0], reason: 'sessions page: HTTP 404 Not Found (Injected: HTTP 404)' },
      { id: ids[7], reason: 'HTTP 404 Not Found (NotFound: gone)' },
    ]);
    const missing = (await readFile(join(out, 'missing.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(missing).toEqual(manifest.missing);
    // a resume does not ask for them again
    const before = graph.requests.length;
    await fetchCallRecords(options(graph, out, { resume: true }));
    expect(graph.requests.length).toBe(before);
  });

  it('stops on 401 with E_REMOTE, keeps what it wrote, and a resume finishes without fetching a record twice', async () => {
    const ids = inWindow().map((record) => record.id as string);
    let refuse = true;
    const graph = await serve({ fault: (seen) => (refuse && seen.kind === 'record' && seen.id === ids[10] ? { status: 401 } : undefined) });
    const out = newOut();
    const error = await rejection(fetchCallRecords(options(graph, out, { concurrency: 2 })));
    expect(error.code).toBe('E_REMOTE');
    expect(error.message).toContain('HTTP 401');
    expect(error.message).toContain('Graph refused the token');
    expect(error.message).not.toContain(TOKEN);
    const failed = await readManifest(out);
    expect(failed.status).toBe('failed');
    // the records before the refused one are written, and those Graph answered while it was refused
    expect(failed.shards.flatMap((shard) => shard.ids)).toEqual(expect.arrayContaining(ids.slice(0, 10)));
    expect(new Set(failed.shards.flatMap((shard) => shard.ids))).toEqual(
      new Set(graph.requests.filter((seen) => seen.kind === 'record' && seen.status === 200).map((seen) => seen.id)),
    );
    refuse = false;
    await fetchCallRecords(options(graph, out, { resume: true, concurrency: 2 }));
    expect(sortById(await readShards(out))).toEqual(sortById(inWindow()).map((record) => ({ ...record, '@odata.context': record['@odata.context'] })));
    for (const id of ids) expect(graph.served('record', id)).toBe(1);
    expect(await readManifest(out)).toMatchObject({ status: 'complete', runs: 2, counts: { written: 24 } });
  });
});

describe('fetchCallRecords concurrency and resume', () => {
  for (const concurrency of [1, 3]) {
    it(`never has more than ${concurrency} request(s) in flight, as the server counts them`, async () => {
      const graph = await serve({ fault: () => ({ delayMs: 5 }) });
      const out = newOut();
      const result = await fetchCallRecords(options(graph, out, { concurrency }));
      expect(graph.peak()).toBe(concurrency);
      expect(result.stats.peak).toBe(concurrency);
      expectComplete(await readShards(out));
    });
  }

  it('resumes after an abort mid-run: every record fetched exactly once, none lost', async () => {
    const controller = new AbortController();
    let served = 0;
    const graph = await serve({
      fault: (seen) => {
        if (seen.kind === 'record' && ++served === 9) controller.abort();
        return { delayMs: 5 };
      },
    });
    const out = newOut();
    const error = await rejection(fetchCallRecords(options(graph, out, { concurrency: 3, signal: controller.signal })));
    expect(error.code).toBe('E_INTERRUPTED');
    const interrupted = await readManifest(out);
    expect(interrupted.status).toBe('interrupted');
    const firstRun = interrupted.shards.flatMap((shard) => shard.ids);
    expect(firstRun.length).toBeGreaterThanOrEqual(6);
    expect(firstRun.length).toBeLessThan(24);
    // what the first run got answered is written, nothing else
    expect(new Set(firstRun)).toEqual(new Set(graph.requests.filter((seen) => seen.kind === 'record' && seen.status === 200).map((seen) => seen.id)));
    expect((await readdir(join(out, 'records'))).every((name) => !name.startsWith('.'))).toBe(true);

    const listRequests = graph.requests.filter((seen) => seen.kind === 'list').length;
    const result = await fetchCallRecords(options(graph, out, { concurrency: 3, resume: true }));
    expect(graph.requests.filter((seen) => seen.kind === 'list').length).toBe(listRequests); // the list is not read again
    for (const record of inWindow()) expect(graph.served('record', record.id as string)).toBe(1);
    const written = await readShards(out);
    expect(sortById(written).map(strip)).toEqual(sortById(inWindow()).map(strip));
    expect(result.manifest).toMatchObject({ status: 'complete', runs: 2, counts: { written: 24, listed: 24 } });
    // the resumed folder reads as a whole
    const report = await runReport({ inputs: [join(out, 'records')], workers: 0 });
    expect(report.counts).toMatchObject({ accepted: 24, rejected: 0, duplicate: 0, sessionsTruncated: 0 });
  });

  it('reads the list again when an abort stopped it', async () => {
    const controller = new AbortController();
    const graph = await serve({
      fault: (seen) => {
        if (seen.kind !== 'list' || !seen.url.includes('skiptoken=10')) return undefined;
        controller.abort();
        return { delayMs: 200 };
      },
    });
    const out = newOut();
    await expect(fetchCallRecords(options(graph, out, { signal: controller.signal }))).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
    expect(await readManifest(out)).toMatchObject({ status: 'interrupted', listing: { complete: false } });
    expect(graph.served('record')).toBe(0);
    await fetchCallRecords(options(graph, out, { resume: true }));
    expectComplete(await readShards(out));
  });

  it('adopts a shard written just before a crash that the manifest does not list yet', async () => {
    const graph = await serve();
    const out = newOut();
    await fetchCallRecords(options(graph, out));
    // the state a crash between a shard's rename and the manifest's rewrite leaves
    const manifest = await readManifest(out);
    const lost = manifest.shards.pop()!;
    manifest.status = 'running';
    manifest.counts.written -= lost.records;
    await writeFile(join(out, 'manifest.json'), JSON.stringify(manifest));
    await writeFile(join(out, 'records', '.part-00009.ndjson.gz.tmp-1-0badc0de'), 'half a shard');
    await writeFile(join(out, '.manifest.json.tmp-1-0badc0de'), '{');
    const before = graph.requests.length;
    const result = await fetchCallRecords(options(graph, out, { resume: true }));
    expect(graph.requests.length).toBe(before);
    expect(result.adopted).toBe(1);
    expect(result.manifest.shards.at(-1)).toMatchObject({ file: lost.file, ids: lost.ids, records: lost.records });
    expect(result.manifest.counts.written).toBe(24);
    expect(await readdir(join(out, 'records'))).toEqual([
      'part-00001.ndjson.gz',
      'part-00002.ndjson.gz',
      'part-00003.ndjson.gz',
      'part-00004.ndjson.gz',
      'part-00005.ndjson.gz',
    ]);
    expect(await readdir(out)).toEqual(['listed.txt', 'manifest.json', 'records']);
  });

  it('refuses a folder that is not empty without resume, and a resume of another window', async () => {
    const graph = await serve();
    const out = newOut();
    await fetchCallRecords(options(graph, out));
    const before = graph.requests.length;
    expect(await rejection(fetchCallRecords(options(graph, out)))).toMatchObject({ code: 'E_OUTPUT' });
    const other = await rejection(fetchCallRecords(options(graph, out, { resume: true, until: new Date('2026-11-09T00:00:00Z') })));
    expect(other.code).toBe('E_USAGE');
    expect(other.message).toContain('until 2026-11-08T00:00:00Z (asked: 2026-11-09T00:00:00Z)');
    const stranger = newOut();
    await mkdir(stranger);
    await writeFile(join(stranger, 'notes.txt'), 'mine');
    expect(await rejection(fetchCallRecords(options(graph, stranger, { resume: true })))).toMatchObject({ code: 'E_OUTPUT' });
    expect(graph.requests.length).toBe(before);
    // an empty folder is fine, and --resume on a fresh folder starts a fetch
    const empty = newOut();
    await mkdir(empty);
    await fetchCallRecords(options(graph, empty, { resume: true }));
    expectComplete(await readShards(empty));
  });

  it('warns up front when the window reaches back more than 30 days, and checks the window', async () => {
    const graph = await serve();
    const warnings: string[] = [];
    await fetchCallRecords(options(graph, newOut(), { now: () => Date.parse('2026-12-20T00:00:00Z'), onWarning: (message) => warnings.push(message) }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('more than 30 days ago');
    const none: string[] = [];
    await fetchCallRecords(options(graph, newOut(), { onWarning: (message) => none.push(message) }));
    expect(none).toEqual([]);
    expect(await rejection(fetchCallRecords(options(graph, newOut(), { since: UNTIL, until: SINCE })))).toMatchObject({ code: 'E_USAGE' });
  });
});
