/** `callaudit fetch` end to end against the loopback Graph of the core tests, then `callaudit report` on what it wrote. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GraphOptions, GraphServer, Json } from '@callaudit/datasets';
import { makeRecords, startGraph } from '@callaudit/datasets';
import { createCLI } from '../src/index.js';
import { listFiles, runCli } from './helpers.js';
import type { Run } from './helpers.js';

const TOKEN = 'cli-token-9d8c7b6a';
const SECRET = 'app~Secret/with+chars=';
const CLIENT_ID = '0f0f0f0f-1111-2222-3333-444444444444';
const WINDOW = ['--since', '2026-11-01', '--until', '2026-11-08'];

let RECORDS: Json[];
let dir: string;
let server: GraphServer | undefined;
beforeAll(async () => {
  RECORDS = makeRecords(12, 3);
  dir = await mkdtemp(join(tmpdir(), 'callaudit-cli-fetch-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(options: Partial<GraphOptions> = {}): Promise<GraphServer> {
  server = await startGraph({ records: RECORDS, token: TOKEN, listPageSize: 5, sessionPageSize: 3, participantPageSize: 2, ...options });
  return server;
}

let folders = 0;
const newOut = (): string => join(dir, `out-${++folders}`);
const fetchArgs = (graph: GraphServer, out: string, ...extra: string[]): string[] => [
  'fetch',
  ...WINDOW,
  '--out',
  out,
  '--graph-url',
  graph.url,
  '--retry-delay',
  '1ms',
  ...extra,
];

/** Every byte callaudit wrote: stdout, stderr and the files of the folders. */
async function everything(runs: Run[], folders: string[]): Promise<string> {
  const parts = runs.flatMap((run) => [run.stdout, run.stderr]);
  for (const folder of folders) {
    for (const file of await listFiles(folder)) {
      const bytes = await readFile(join(folder, file));
      parts.push(file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8'));
    }
  }
  return parts.join('\n');
}

describe('callaudit fetch', () => {
  it('fetches complete records that report reads with nothing truncated or rejected', async () => {
    const graph = await serve();
    const out = newOut();
    const fetched = await runCli(fetchArgs(graph, out, '--shard-records', '4'), { env: { CALLAUDIT_GRAPH_TOKEN: TOKEN }, cwd: dir });
    expect(fetched.stderr).toMatch(/callaudit: fetch: listed 12, fetched 12, missing 0, 0 to go; \d+ requests, 0 retried, 0 throttled/);
    expect(fetched.code).toBe(0);
    expect(fetched.stdout).toContain(`fetched 12 records (0 missing, listed in missing.jsonl) into ${out}/records in 3 shard(s)`);
    expect(await listFiles(out)).toEqual([
      'listed.txt',
      'manifest.json',
      'records/part-00001.ndjson.gz',
      'records/part-00002.ndjson.gz',
      'records/part-00003.ndjson.gz',
    ]);
    const report = await runCli(['report', join(out, 'records'), '--out', join(dir, `report-${folders}`), '--format', 'csv', '--workers', '1', '--quiet']);
    expect(report.code).toBe(0);
    const summary = JSON.parse(await readFile(join(dir, `report-${folders}`, 'summary.json'), 'utf8')) as { counts: Record<string, number> };
    expect(summary.counts).toMatchObject({ read: 12, accepted: 12, rejected: 0, sessions_truncated: 0 });
    // the same server without paging followed would have truncated records: sessions pages were served
    expect(graph.requests.filter((seen) => seen.kind === 'sessions').length).toBeGreaterThan(5);
  });

  it('refuses a second fetch into the same folder without --resume, and resumes with it', async () => {
    const graph = await serve();
    const out = newOut();
    const env = { CALLAUDIT_GRAPH_TOKEN: TOKEN };
    expect((await runCli(fetchArgs(graph, out, '-q'), { env })).code).toBe(0);
    const again = await runCli(fetchArgs(graph, out, '-q'), { env });
    expect(again.code).toBe(3);
    expect(again.stderr.trim().split('\n').at(-1)).toMatch(
      /^callaudit: .*: the output folder .* exists and is not empty: use --resume to continue the fetch it holds, or choose a new folder$/,
    );
    const requests = graph.requests.length;
    const resumed = await runCli(fetchArgs(graph, out, '--resume'), { env });
    expect(resumed.code).toBe(0);
    expect(graph.requests.length).toBe(requests);
  });

  it('exits 130 when interrupted and --resume finishes without fetching a record twice', async () => {
    const controller = new AbortController();
    let records = 0;
    const graph = await serve({
      fault: (seen) => {
        if (seen.kind === 'record' && ++records === 5) controller.abort();
        return undefined;
      },
    });
    const out = newOut();
    const env = { CALLAUDIT_GRAPH_TOKEN: TOKEN };
    const stopped = await runCli(fetchArgs(graph, out, '--concurrency', '2'), { env, signal: controller.signal });
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/callaudit: fetch interrupted: \d+ records written, \d+ to go; continue with --resume\n$/);
    const resumed = await runCli(fetchArgs(graph, out, '--resume'), { env });
    expect(resumed.code).toBe(0);
    for (const record of RECORDS) expect(graph.served('record', record.id as string)).toBe(1);
    expect(JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'))).toMatchObject({ status: 'complete', runs: 2, counts: { written: 12 } });
  });

  it('stops on 401 with exit 5 and one clear line, without the token', async () => {
    const graph = await serve();
    const run = await runCli(fetchArgs(graph, newOut()), { env: { CALLAUDIT_GRAPH_TOKEN: 'expired-token-1234' } });
    expect(run.code).toBe(5);
    const last = run.stderr.trim().split('\n').at(-1)!;
    expect(last).toBe(
      'callaudit: /v1.0/communications/callRecords: HTTP 401 Unauthorized (InvalidAuthenticationToken: Access token has expired or is not yet valid.): Graph refused the token (expired, revoked, or issued for another tenant or audience)',
    );
    expect(run.stderr).not.toContain('expired-token-1234');
  });

  it('with client credentials, never shows the secret or a token anywhere, throttled or not', async () => {
    let throttle = 1;
    const graph = await serve({
      client: { id: CLIENT_ID, secret: SECRET, expiresIn: 3600 },
      fault: (seen) =>
        seen.kind === 'record' && throttle-- > 0
          ? {
              status: 429,
              headers: { 'retry-after': '1' },
              body: JSON.stringify({ error: { code: 'TooManyRequests', message: `slow down ${seen.authorization}` } }),
            }
          : undefined,
    });
    const out = newOut();
    const reportOut = join(dir, `report-cc-${folders}`);
    const env = { CALLAUDIT_GRAPH_CLIENT_SECRET: SECRET };
    const auth = ['--tenant', 'contoso.onmicrosoft.com', '--client-id', CLIENT_ID, '--authority-url', graph.url];
    const fetched = await runCli([...fetchArgs(graph, out), ...auth], { env });
    expect(fetched.code).toBe(0);
    expect(fetched.stderr).toContain('callaudit: throttled: /v1.0/communications/callRecords/');
    expect(fetched.stderr).toContain('HTTP 429 Too Many Requests; waiting 1.0 s');
    const bad = await runCli([...fetchArgs(graph, newOut()), ...auth], { env: { CALLAUDIT_GRAPH_CLIENT_SECRET: 'not/the+secret' } });
    expect(bad.code).toBe(5);
    expect(bad.stderr).toContain('invalid_client: AADSTS7000215');
    const report = await runCli(['report', join(out, 'records'), '--out', reportOut, '--format', 'csv,json', '--workers', '0', '--quiet']);
    expect(report.code).toBe(0);
    const tokens = graph.requests.filter((seen) => seen.kind !== 'token').map((seen) => seen.authorization!.slice('Bearer '.length));
    expect(tokens.length).toBeGreaterThan(10);
    const all = await everything([fetched, bad, report], [out, reportOut]);
    for (const secret of [SECRET, encodeURIComponent(SECRET), 'not/the+secret', ...new Set(tokens)]) expect(all).not.toContain(secret);
  });

  it('warns up front for a window reaching back more than 30 days, not for a recent one', async () => {
    const graph = await serve();
    const env = { CALLAUDIT_GRAPH_TOKEN: TOKEN };
    // the fixture's November 2026 is more than 30 days before any day this test runs
    const old = await runCli(fetchArgs(graph, newOut(), '-q'), { env });
    expect(old.code).toBe(0);
    expect(old.stderr).toMatch(/^callaudit: warning: the window starts 2026-11-01T00:00:00Z, more than 30 days ago/);
    const since = new Date(Date.now() - 5 * 86_400_000).toISOString();
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const recent = await runCli(['fetch', '--since', since, '--until', until, '--out', newOut(), '--graph-url', graph.url, '-q'], { env });
    expect(recent.code).toBe(0);
    expect(recent.stderr).toBe('');
  });

  it('fetches PSTN and Direct Routing logs, which report reads into their tables', async () => {
    const graph = await serve({ logRowsPerDay: 2, logPageSize: 5 });
    const env = { CALLAUDIT_GRAPH_TOKEN: TOKEN };
    const fetched: string[] = [];
    for (const [command, sub, kind] of [
      ['pstn', 'pstn', 'pstn'],
      ['direct-routing', 'direct-routing', 'directRouting'],
    ] as const) {
      const out = newOut();
      const run = await runCli(['fetch', command, ...WINDOW, '--out', out, '--graph-url', graph.url], { env });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`fetched 14 rows into ${out}/${sub} in 1 shard(s)`);
      const rows = gunzipSync(await readFile(join(out, sub, 'part-00001.ndjson.gz')))
        .toString('utf8')
        .trim()
        .split('\n');
      expect(rows).toHaveLength(14);
      expect(graph.requests.filter((seen) => seen.kind === kind)).toHaveLength(3);
      fetched.push(join(out, sub));
    }
    // report reads what fetch wrote: the rows into their tables; a copy of a shard (an overlapping window) counts each row once
    const copy = join(newOut(), 'again.ndjson.gz');
    await mkdir(dirname(copy));
    await writeFile(copy, await readFile(join(fetched[0]!, 'part-00001.ndjson.gz')));
    const reportOut = newOut();
    const report = await runCli(['report', ...fetched, copy, '--out', reportOut, '--format', 'csv', '--workers', '0', '-q']);
    expect(report).toMatchObject({ code: 0, stderr: '' });
    const summary = JSON.parse(await readFile(join(reportOut, 'summary.json'), 'utf8')) as { counts: Record<string, number> };
    expect(summary.counts).toMatchObject({ read: 42, accepted: 0, pstn_calls: 14, direct_routing_calls: 14, duplicate: 14, rejected: 0 });
    // two rows a day: the first ends 487 Request Terminated, the second BYE
    const sip = (await readFile(join(reportOut, 'rollup_dr_sip_code.csv'), 'utf8')).trimEnd().split('\r\n');
    expect(sip.slice(1).map((line) => line.split(',').slice(0, 6).join(','))).toEqual(['0,BYE,0,7,7,100', '487,Request Terminated,540487,7,0,0']);
  });

  it('refuses bad usage with exit 2 before any request', async () => {
    const graph = await serve();
    const out = newOut();
    const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
      [fetchArgs(graph, out), {}, /no credentials: set CALLAUDIT_GRAPH_TOKEN/],
      [[...fetchArgs(graph, out), '--tenant', 't'], { CALLAUDIT_GRAPH_TOKEN: TOKEN }, /not both/],
      [
        [...fetchArgs(graph, out), '--tenant', 't'],
        { CALLAUDIT_GRAPH_CLIENT_SECRET: SECRET },
        /need --tenant, --client-id and CALLAUDIT_GRAPH_CLIENT_SECRET together/,
      ],
      [['fetch', '--until', '2026-11-08', '--out', out], { CALLAUDIT_GRAPH_TOKEN: TOKEN }, /fetch needs --since/],
      [
        ['fetch', ...WINDOW, '--out', out, '--graph-url', 'http://graph.example.com'],
        { CALLAUDIT_GRAPH_TOKEN: TOKEN },
        /refusing plain http to graph.example.com/,
      ],
      [['fetch', '--since', '2026-11-08', '--until', '2026-11-01', '--out', out], { CALLAUDIT_GRAPH_TOKEN: TOKEN }, /must be before --until/],
      [[...fetchArgs(graph, out), '--concurrency', '64'], { CALLAUDIT_GRAPH_TOKEN: TOKEN }, /not a whole number from 1 to 16/],
    ];
    for (const [args, env, message] of cases) {
      const run = await runCli(args, { env });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    expect(graph.requests).toHaveLength(0);
    await expect(listFiles(out)).rejects.toThrow();
  });

  it('documents itself in --help and in the top-level examples', async () => {
    const help = await runCli(['fetch', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('CallRecords.Read.All');
    expect(help.stdout).toContain('--resume');
    expect(help.stdout).toContain('pstn');
    const top = await runCli(['--help']);
    expect(top.stdout).toContain('callaudit fetch --since');
  });

  it("has every option in the README's Fetching from Graph section", async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Fetching from Graph'), readme.indexOf('## What a report holds'));
    expect(section.length).toBeGreaterThan(1000);
    const fetch = createCLI({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: {}, cwd: dir, version: '0' }).commands.find(
      (command) => command.name() === 'fetch',
    )!;
    const names = fetch.options.map((option) => option.long!);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => !section.includes(`\`${name}`))).toEqual([]);
  });
});
