/** fetchCallLogs (getPstnCalls, getDirectRoutingCalls) against the loopback Graph; the window helpers. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchCallLogs } from '../../src/fetch/logs.js';
import type { Manifest } from '../../src/fetch/manifest.js';
import { listFilter, retentionWarning, splitWindow } from '../../src/fetch/window.js';
import type { GraphOptions, GraphServer, Json } from './graph.js';
import { logRows, startGraph } from './graph.js';

const TOKEN = 'log-token-5e5e5e';
const SINCE = new Date('2026-03-01T00:00:00Z');
const UNTIL = new Date('2026-09-17T00:00:00Z'); // 200 days: pieces of 90, 90, 20

let dir: string;
let server: GraphServer | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callaudit-logs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});
let folders = 0;

async function serve(options: Partial<GraphOptions> = {}): Promise<GraphServer> {
  server = await startGraph({ token: TOKEN, logPageSize: 70, logRowsPerDay: 2, ...options });
  return server;
}

const base = (graph: GraphServer) => ({ graphUrl: graph.url, auth: { kind: 'token', token: TOKEN } as const, since: SINCE, until: UNTIL, out: join(dir, `out-${++folders}`), retryDelayMs: 1, shard: { records: 100 } });

async function rows(out: string, sub: string): Promise<Json[]> {
  const all: Json[] = [];
  for (const name of (await readdir(join(out, sub))).sort()) {
    for (const line of gunzipSync(await readFile(join(out, sub, name))).toString('utf8').split('\n')) if (line !== '') all.push(JSON.parse(line) as Json);
  }
  return all;
}

describe('fetchCallLogs', () => {
  for (const [which, kind, sub] of [['pstn', 'pstn', 'pstn'], ['directRouting', 'directRouting', 'direct-routing']] as const) {
    it(`${which}: cuts a 200-day window into 90-day requests, follows every page, writes every row`, async () => {
      const graph = await serve();
      const options = base(graph);
      const result = await fetchCallLogs(which, options);
      const requests = graph.requests.filter((seen) => seen.kind === kind);
      const firsts = requests.filter((seen) => !seen.url.includes('skiptoken')).map((seen) => decodeURIComponent(seen.url));
      const fn = which === 'pstn' ? 'getPstnCalls' : 'getDirectRoutingCalls';
      expect(firsts).toEqual([
        `/v1.0/communications/callRecords/${fn}(fromDateTime=2026-03-01T00:00:00Z,toDateTime=2026-05-30T00:00:00Z)`,
        `/v1.0/communications/callRecords/${fn}(fromDateTime=2026-05-30T00:00:00Z,toDateTime=2026-08-28T00:00:00Z)`,
        `/v1.0/communications/callRecords/${fn}(fromDateTime=2026-08-28T00:00:00Z,toDateTime=2026-09-17T00:00:00Z)`,
      ]);
      // 180 rows a 90-day piece, pages of 70: 3 + 3 + 1 requests
      expect(requests).toHaveLength(7);
      expect(requests.every((seen) => seen.status === 200)).toBe(true);
      expect(await rows(options.out, sub)).toEqual(logRows(kind, SINCE.getTime(), UNTIL.getTime(), 2));
      const manifest = JSON.parse(await readFile(join(options.out, 'manifest.json'), 'utf8')) as Manifest;
      expect(manifest).toMatchObject({ kind: which === 'pstn' ? 'pstnCalls' : 'directRoutingCalls', status: 'complete', counts: { written: 400, listPages: 7 } });
      expect(manifest.pieces.map((piece) => [piece.rows, piece.done])).toEqual([[180, true], [180, true], [40, true]]);
      expect(manifest.shards.map((shard) => [shard.file, shard.records, shard.piece])).toEqual([
        [`${sub}/part-00001.ndjson.gz`, 100, 0],
        [`${sub}/part-00002.ndjson.gz`, 80, 0],
        [`${sub}/part-00003.ndjson.gz`, 100, 1],
        [`${sub}/part-00004.ndjson.gz`, 80, 1],
        [`${sub}/part-00005.ndjson.gz`, 40, 2],
      ]);
      expect(result.manifest.counts.written).toBe(400);
    });
  }

  it('resumes at the first piece not done, dropping the rows of the piece that failed', async () => {
    let fail = true;
    const graph = await serve({ fault: (seen) => (fail && seen.kind === 'pstn' && seen.url.includes('fromDateTime=2026-05-30') && seen.url.includes('skiptoken=140') ? { status: 400 } : undefined) });
    const options = base(graph);
    await expect(fetchCallLogs('pstn', options)).rejects.toMatchObject({ code: 'E_REMOTE' });
    const failed = JSON.parse(await readFile(join(options.out, 'manifest.json'), 'utf8')) as Manifest;
    expect(failed.status).toBe('failed');
    expect(failed.pieces.map((piece) => piece.done)).toEqual([true, false, false]);
    // the failed piece's first 100 rows reached a shard; the resume drops it and asks for the piece again
    expect(failed.shards.map((shard) => shard.piece)).toEqual([0, 0, 1]);
    fail = false;
    const before = graph.requests.filter((seen) => seen.url.includes('fromDateTime=2026-03-01')).length;
    await fetchCallLogs('pstn', { ...options, resume: true });
    expect(graph.requests.filter((seen) => seen.url.includes('fromDateTime=2026-03-01')).length).toBe(before);
    expect(await rows(options.out, 'pstn')).toEqual(logRows('pstn', SINCE.getTime(), UNTIL.getTime(), 2));
  });
});

describe('the window', () => {
  it('writes the list filter as Graph takes it', () => {
    expect(listFilter({ since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-11-01T12:30:00.250Z') })).toBe('startDateTime ge 2026-11-01T00:00:00Z and startDateTime lt 2026-11-01T12:30:00.250Z');
  });

  it('splits into pieces of at most 90 days that cover it exactly', () => {
    const window = { since: new Date('2026-01-01T00:00:00Z'), until: new Date('2026-12-31T06:00:00Z') };
    const pieces = splitWindow(window);
    expect(pieces).toHaveLength(5);
    expect(pieces[0]!.since).toEqual(window.since);
    expect(pieces.at(-1)!.until).toEqual(window.until);
    for (const [i, piece] of pieces.entries()) {
      expect(piece.until.getTime() - piece.since.getTime()).toBeLessThanOrEqual(90 * 86_400_000);
      if (i > 0) expect(piece.since).toEqual(pieces[i - 1]!.until);
    }
    expect(splitWindow({ since: new Date(0), until: new Date(90 * 86_400_000) })).toHaveLength(1);
  });

  it('warns only when the window starts more than 30 days back', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    expect(retentionWarning({ since: new Date('2026-11-01T00:00:00Z'), until: new Date(now) }, now)).toBeNull();
    expect(retentionWarning({ since: new Date('2026-10-31T23:59:59Z'), until: new Date(now) }, now)).toContain('more than 30 days ago');
  });
});
