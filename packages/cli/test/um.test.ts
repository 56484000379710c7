import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';
import type { Run } from './helpers.js';

const CALL_ID = 'MDlkZjllZGMtNGUyMy00NzA5LWJkYWYtN2JlMjBjYjBhZTU2QGRmLWV1bS0wMS5leGNoYW5nZS5jb3JwLm1pY3Jvc29mdC5jb20=';
const NS = 'http://schemas.microsoft.com/exchange/services/2006/messages';
const envelope = (body: string): string =>
  `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${body}</s:Body></s:Envelope>`;
const info = (state: string, cause: string): string =>
  envelope(
    `<GetCallInfoResponse xmlns="${NS}"><GetCallInfoResponse><CallState>${state}</CallState><EventCause>${cause}</EventCause></GetCallInfoResponse></GetCallInfoResponse>`,
  );
const FAULT = envelope(
  `<s:Fault><faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/errors">a:InvalidCallIdException</faultcode><faultstring>The call ID isn't valid.</faultstring></s:Fault>`,
);

/**
 * The UM service for these tests, on 127.0.0.1 with an ephemeral port. It checks that each request is
 * the GetCallInfo envelope for CALL_ID with its SOAPAction (answering 400 otherwise) and replies as told.
 */
type Reply = { status?: number; body?: string; headers?: Record<string, string> } | 'hang';
type Handler = (index: number) => Reply;
interface UmServer {
  url: string;
  requests: IncomingHttpHeaders[];
  close(): Promise<void>;
}

async function startUmServer(handler: Handler): Promise<UmServer> {
  const requests: IncomingHttpHeaders[] = [];
  const http = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push(request.headers);
      // The exact envelope is core's to test (test/um/envelope.test.ts); here: the operation, the call id, the action.
      const body = Buffer.concat(chunks).toString('utf8');
      const valid =
        body.includes(`<GetCallInfo xmlns="${NS}">`) &&
        body.includes(`<CallId>${CALL_ID}</CallId>`) &&
        request.headers.soapaction === `"${NS}/GetCallInfo"` &&
        request.method === 'POST';
      const reply = valid ? handler(requests.length - 1) : { status: 400, body: 'unexpected request' };
      if (reply === 'hang') return;
      response.writeHead(reply.status ?? 200, { 'content-type': 'text/xml; charset=utf-8', ...reply.headers }).end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/UnifiedMessaging/Service.asmx`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

/** Answers polls with these (state, cause) pairs in turn, repeating the last one. */
function callSequence(...states: ReadonlyArray<readonly [string, string]>): Handler {
  return (index) => {
    const [state, cause] = states[Math.min(index, states.length - 1)]!;
    return { body: info(state, cause) };
  };
}

const run = (args: string[], env: NodeJS.ProcessEnv = {}, cwd = process.cwd()): Promise<Run> => runCli(['um', ...args], { env, cwd });

let server: UmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: Handler): Promise<UmServer> {
  server = await startUmServer(handler);
  return server;
}

/** call-info against the loopback server, with fast retries. */
async function callInfo(handler: Handler, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Run & { server: UmServer }> {
  const umServer = await serve(handler);
  const result = await run(['call-info', '--url', umServer.url, '--call-id', CALL_ID, '--retry-delay', '1ms', ...extra], env);
  return { ...result, server: umServer };
}

const ISO = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';

describe('callaudit um call-info', () => {
  it('prints the state and cause of the documented response', async () => {
    const { code, stdout, stderr, server: umServer } = await callInfo(callSequence(['Connected', 'None']));
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: 'Connected (cause None)\n', stderr: '' });
    expect(umServer.requests).toHaveLength(1);
  });

  it('prints a JSON line with --json, in the shape um report reads', async () => {
    const { code, stdout } = await callInfo(callSequence(['Ringing', 'None']), ['--json']);
    expect(code).toBe(0);
    const line = JSON.parse(stdout) as Record<string, unknown>;
    expect(line).toEqual({
      time: expect.stringMatching(new RegExp(`^${ISO}$`)),
      callId: CALL_ID,
      callState: 'Ringing',
      eventCause: 'None',
      unrecognized: ['callState'],
    });
  });

  it('flags unrecognized values in text output', async () => {
    const { stdout } = await callInfo(callSequence(['Connected', 'Rejected']));
    expect(stdout).toBe('Connected (cause Rejected) [unrecognized: eventCause]\n');
  });

  it('exits 5 on a SOAP fault, naming its code and message (and prints it as JSON with --json)', async () => {
    const text = await callInfo(() => ({ status: 500, body: FAULT }));
    expect(text.code).toBe(5);
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(
      /^callaudit: GetCallInfo http:\/\/127\.0\.0\.1:\d+\/UnifiedMessaging\/Service\.asmx: SOAP fault a:InvalidCallIdException: The call ID isn't valid\.\n$/,
    );
    await server!.close();
    const json = await callInfo(() => ({ status: 500, body: FAULT }), ['--json']);
    expect(json.code).toBe(5);
    expect(JSON.parse(json.stdout)).toMatchObject({ callId: CALL_ID, fault: { code: 'a:InvalidCallIdException', message: "The call ID isn't valid." } });
  });

  it('retries after a 500 and succeeds, saying so on stderr', async () => {
    const {
      code,
      stdout,
      stderr,
      server: umServer,
    } = await callInfo((index) => (index === 0 ? { status: 500, body: 'oops' } : { body: info('Connected', 'None') }));
    expect(code).toBe(0);
    expect(stdout).toBe('Connected (cause None)\n');
    expect(stderr).toMatch(/^callaudit: GetCallInfo: HTTP 500 Internal Server Error; retry 1 in \d+ ms\n$/);
    expect(umServer.requests).toHaveLength(2);
  });

  it('waits as long as a 429 Retry-After says before retrying', async () => {
    const started = performance.now();
    const { code, stderr } = await callInfo((index) => (index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { body: info('Connected', 'None') }));
    expect(code).toBe(0);
    expect(stderr).toContain('HTTP 429 Too Many Requests; retry 1 in 1.0 s');
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('times out a server that does not answer (exit 5)', async () => {
    const { code, stderr } = await callInfo(() => 'hang', ['--request-timeout', '100ms', '--retries', '0']);
    expect(code).toBe(5);
    expect(stderr).toContain('no response within 100 ms (1 attempt)');
  });

  it('--watch polls until Disconnected, printing each change with its time', async () => {
    const {
      code,
      stdout,
      server: umServer,
    } = await callInfo(
      callSequence(['Connecting', 'None'], ['Alerted', 'None'], ['Alerted', 'None'], ['Connected', 'None'], ['Connected', 'None'], ['Disconnected', 'None']),
      ['--watch', '--interval', '5ms'],
    );
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.replace(new RegExp(`^${ISO} `), ''))).toEqual([
      'Connecting (cause None)',
      'Alerted (cause None)',
      'Connected (cause None)',
      'Disconnected (cause None)',
    ]);
    expect(lines.every((line) => new RegExp(`^${ISO} `).test(line))).toBe(true);
    expect(umServer.requests).toHaveLength(6);
  });

  it('--watch --json writes one line per change', async () => {
    const { code, stdout } = await callInfo(callSequence(['Alerted', 'None'], ['Disconnected', 'NoAnswer']), ['--watch', '--interval', '5ms', '--json']);
    expect(code).toBe(0);
    const lines = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { callState: string; eventCause: string });
    expect(lines.map((line) => [line.callState, line.eventCause])).toEqual([
      ['Alerted', 'None'],
      ['Disconnected', 'NoAnswer'],
    ]);
  });

  it('--watch gives up at --timeout with exit 5', async () => {
    const { code, stdout, stderr } = await callInfo(callSequence(['Alerted', 'None']), ['--watch', '--interval', '20ms', '--timeout', '200ms']);
    expect(code).toBe(5);
    expect(stdout).toMatch(new RegExp(`^${ISO} Alerted \\(cause None\\)\\n$`));
    expect(stderr).toContain('timed out after 200 ms; last state: Alerted (cause None)');
  });
});

describe('callaudit um call-info credentials', () => {
  it('sends a Bearer token from CALLAUDIT_UM_TOKEN', async () => {
    const { code, server: umServer } = await callInfo(callSequence(['Idle', 'None']), [], { CALLAUDIT_UM_TOKEN: 's3cret' });
    expect(code).toBe(0);
    expect(umServer.requests[0]!.authorization).toBe('Bearer s3cret');
  });

  it('sends Basic from CALLAUDIT_UM_USER and CALLAUDIT_UM_PASSWORD', async () => {
    const { server: umServer } = await callInfo(callSequence(['Idle', 'None']), [], { CALLAUDIT_UM_USER: 'ann', CALLAUDIT_UM_PASSWORD: 'pw' });
    expect(umServer.requests[0]!.authorization).toBe(`Basic ${Buffer.from('ann:pw').toString('base64')}`);
  });

  it.each([
    [{ CALLAUDIT_UM_TOKEN: 't', CALLAUDIT_UM_USER: 'ann', CALLAUDIT_UM_PASSWORD: 'pw' }, 'not both'],
    [{ CALLAUDIT_UM_USER: 'ann' }, 'go together'],
    [{ CALLAUDIT_UM_PASSWORD: 'pw' }, 'go together'],
  ])('refuses ambiguous or partial credentials (exit 2) without sending anything', async (env, message) => {
    const { code, stderr, server: umServer } = await callInfo(callSequence(['Idle', 'None']), [], env);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(umServer.requests).toHaveLength(0);
  });

  it('never echoes a credential, even when the server refuses it', async () => {
    const { code, stderr } = await callInfo(() => ({ status: 401 }), [], { CALLAUDIT_UM_TOKEN: 'TOPSECRET' });
    expect(code).toBe(5);
    expect(stderr).toContain('the server refused the credentials');
    expect(stderr).not.toContain('TOPSECRET');
  });

  it('refuses credentials over plain http to a remote host (exit 2, no request)', async () => {
    const { code, stderr } = await run(['call-info', '--url', 'http://um.example.com/um', '--call-id', 'x'], { CALLAUDIT_UM_TOKEN: 't' });
    expect(code).toBe(2);
    expect(stderr).toContain('refusing to send credentials over plain http to um.example.com');
  });
});

describe('callaudit um call-info usage', () => {
  it.each([
    [['call-info', '--url', 'http://127.0.0.1:9/um'], "required option '--call-id <id>' not specified"],
    [['call-info', '--call-id', 'x'], "required option '--url <endpoint>' not specified"],
    [['call-info', '--url', 'http://127.0.0.1:9/um', '--call-id', 'x', '--interval', 'soon'], '"soon" is not a duration'],
    [['call-info', '--url', 'http://127.0.0.1:9/um', '--call-id', 'x', '--retries', '-1'], 'not a count'],
    [['call-info', '--url', 'mailto:x@y', '--call-id', 'x'], 'must be http(s)'],
  ])('exits 2 for %j', async (args, message) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('documents credentials and shows examples in --help', async () => {
    const { code, stdout } = await run(['call-info', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('CALLAUDIT_UM_TOKEN');
    expect(stdout).toContain('CALLAUDIT_UM_USER');
    expect(stdout).toContain('Examples:');
    expect(stdout).toContain('--watch');
  });
});

describe('callaudit um report', () => {
  let dir = '';

  /** `um report` in the fixture folder. */
  function report(...args: string[]): Promise<Run> {
    return run(['report', ...args], {}, dir);
  }

  /** Two calls: A answered (JSON Lines), B no answer (saved responses, CallId "Qg=="), and one bad line. */
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callaudit-cli-um-'));
    await mkdir(join(dir, 'saved'));
    await writeFile(
      join(dir, 'polls.jsonl'),
      `${[
        { time: '2026-03-14T09:00:00Z', callId: 'QQ==', callState: 'Alerted', eventCause: 'None' },
        { time: '2026-03-14T09:00:04Z', callId: 'QQ==', callState: 'Connected', eventCause: 'None' },
        { time: '2026-03-14T09:01:00Z', callId: 'QQ==', callState: 'Disconnected', eventCause: 'None' },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n')}\n{"time":"yesterday","callId":"QQ==","callState":"Idle"}\n`,
    );
    await writeFile(join(dir, 'saved', '20260314T100000Z_Qg.xml'), info('Alerted', 'None'));
    await writeFile(join(dir, 'saved', '20260314T100030Z_Qg.xml'), info('Disconnected', 'NoAnswer'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the tables and prints a summary', async () => {
    const { code, stdout, stderr } = await report('polls.jsonl', 'saved', '--out', 'out');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(
      '2 calls from 5 polls in 3 files; answer rate 50.0%\n' +
        'outcomes: answered 1, busy 0, no_answer 1, other 0, unavailable 0, unknown 0, in_progress 0\n' +
        `1 rejected, 0 duplicate polls dropped; written to ${join(dir, 'out')}\n`,
    );
    expect((await readdir(join(dir, 'out'))).sort()).toContain('um_calls.parquet');
    const calls = await readFile(join(dir, 'out', 'um_calls.csv'), 'utf8');
    expect(calls).toContain(
      '\r\nQQ==,2026-03-14T09:00:00.000Z,2026-03-14T09:01:00.000Z,3,0,Disconnected,None,None,Alerted;Connected;Disconnected,0,4,true,answered,\r\n',
    );
    expect(calls).toContain(
      '\r\nQg==,2026-03-14T10:00:00.000Z,2026-03-14T10:00:30.000Z,2,0,Disconnected,NoAnswer,NoAnswer,Alerted;Disconnected,0,,false,no_answer,\r\n',
    );
  });

  it('refuses to overwrite without --force (exit 3), replaces with it', async () => {
    expect((await report('polls.jsonl', '--out', 'again', '-q')).code).toBe(0);
    const second = await report('polls.jsonl', '--out', 'again', '-q');
    expect(second.code).toBe(3);
    expect(second.stderr).toContain('again');
    expect((await report('polls.jsonl', '--out', 'again', '-q', '--force')).code).toBe(0);
  });

  it('exits 4 with --fail-on-rejects when a line was rejected, pointing at rejects.jsonl', async () => {
    const { code, stdout, stderr } = await report('polls.jsonl', '--out', 'strict', '--fail-on-rejects', '--quiet');
    expect(code).toBe(4);
    expect(stdout).toBe('');
    expect(stderr).toBe(`callaudit: 1 poll(s) or file(s) rejected; see ${join(dir, 'strict')}/rejects.jsonl\n`);
    const reject = JSON.parse(await readFile(join(dir, 'strict', 'rejects.jsonl'), 'utf8')) as Record<string, unknown>;
    expect(reject).toMatchObject({ line: 4, reason: 'time: "yesterday" is not an ISO-8601 date-time' });
  });

  it('writes only the formats asked for', async () => {
    expect((await report('saved', '--out', 'pq', '--format', 'parquet', '-q')).code).toBe(0);
    expect((await readdir(join(dir, 'pq'))).sort()).toEqual([
      '.callaudit-report',
      'rejects.jsonl',
      'summary.json',
      'um_calls.parquet',
      'um_causes.parquet',
      'um_daily.parquet',
    ]);
  });

  it.each([
    [['polls.jsonl'], 2, "required option '-o, --out <dir>' not specified"],
    [['polls.jsonl', '--out', 'x', '--format', 'xlsx'], 2, '"xlsx" is not one of csv, parquet'],
    [['missing.jsonl', '--out', 'y'], 3, 'missing.jsonl: cannot read: ENOENT'],
  ])('exits with the right code for %j', async (args, expected, message) => {
    const { code, stderr } = await report(...args);
    expect(code).toBe(expected);
    expect(stderr).toContain(message);
  });

  it('describes the input formats and shows examples in --help', async () => {
    const { code, stdout } = await report('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('<time>_<callId>.xml');
    expect(stdout).toContain('Examples:');
  });
});
