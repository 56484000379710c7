/** GraphClient and the token source against the loopback Graph: throttling, retries, faults, auth, limits. */
import { describe, expect, it } from 'vitest';
import type { GraphClientOptions, GraphRetryEvent } from '../../src/fetch/http.js';
import { GraphClient } from '../../src/fetch/http.js';
import type { Fault, GraphOptions, Seen } from '@callaudit/datasets';
import { makeRecords } from '@callaudit/datasets';
import { rejection, useGraph } from './setup.js';

const TOKEN = 'given-token-77aa11';
const RECORDS = makeRecords(3, 5);
const ID = RECORDS[0]!.id as string;

const fixture = useGraph('callaudit-client-');

async function setUp(
  fault: ((request: Seen, index: number) => Fault | undefined) | undefined,
  options: Partial<GraphClientOptions> = {},
  graph: Partial<GraphOptions> = {},
) {
  const server = await fixture.serve({ records: RECORDS, token: TOKEN, ...(fault === undefined ? {} : { fault }), ...graph });
  return { ...recordingClient(server.url, { auth: { kind: 'token', token: TOKEN }, ...options }), requests: server.requests, graph: server };
}

/** A client with short backoffs and no jitter that records its sleeps and retry events, and the URL of the first record. */
function recordingClient(graphUrl: string, options: Partial<GraphClientOptions> & Pick<GraphClientOptions, 'auth'>) {
  const sleeps: number[] = [];
  const retries: GraphRetryEvent[] = [];
  const client = new GraphClient({
    graphUrl,
    retryDelayMs: 10,
    random: () => 1,
    sleep: async (ms) => void sleeps.push(ms),
    onRetry: (event) => retries.push(event),
    ...options,
  });
  const record = client.url(`v1.0/communications/callRecords/${ID}`, { $expand: 'sessions($expand=segments)' });
  return { client, sleeps, retries, record };
}

/** The first `n` requests answer this fault, then the server answers normally. */
const first = (n: number, fault: Fault) => (_request: Seen, index: number) => (index < n ? fault : undefined);

describe('GraphClient', () => {
  it('GETs with the bearer token and reads the JSON object', async () => {
    const { client, record, requests } = await setUp(undefined);
    const answer = await client.get(record);
    expect(answer.status).toBe('ok');
    expect(answer.status === 'ok' && answer.body.id).toBe(ID);
    expect(requests[0]!.authorization).toBe(`Bearer ${TOKEN}`);
    expect(new URL(requests[0]!.url, 'http://x').search).toBe('?$expand=sessions(%24expand%3Dsegments)');
  });

  it('waits out 429 Retry-After in seconds, and every request pauses with it', async () => {
    const now = Date.parse('2026-11-10T00:00:00Z');
    const { client, record, sleeps, retries } = await setUp(first(2, { status: 429, headers: { 'retry-after': '7' } }), { now: () => now });
    await expect(client.get(record)).resolves.toMatchObject({ status: 'ok' });
    // the first wait is the Retry-After; the attempt after it sees the shared pause (still 7 s on a frozen clock) too
    expect(sleeps.filter((ms) => ms === 7000).length).toBeGreaterThanOrEqual(2);
    expect(retries.map((event) => [event.kind, event.reason])).toEqual([
      ['throttled', 'HTTP 429 Too Many Requests'],
      ['throttled', 'HTTP 429 Too Many Requests'],
    ]);
    expect(client.stats).toMatchObject({ throttled: 2, retried: 0, requests: 3 });
  });

  it('waits out 503 Retry-After as an HTTP date', async () => {
    let now = Date.parse('2026-11-10T00:00:00Z');
    const { client, record, sleeps } = await setUp(first(1, { status: 503, headers: { 'retry-after': 'Tue, 10 Nov 2026 00:00:42 GMT' } }), {
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    });
    await expect(client.get(record)).resolves.toMatchObject({ status: 'ok' });
    expect(sleeps).toEqual([42_000]);
  });

  it('backs off exponentially with jitter on 5xx, and gives up after the bounded retries', async () => {
    const low = await setUp(first(3, { status: 500 }), { random: () => 0 });
    await expect(low.client.get(low.record)).resolves.toMatchObject({ status: 'ok' });
    expect(low.sleeps).toEqual([5, 10, 20]); // half of 10, 20, 40
    const high = await setUp(() => ({ status: 502 }), { retries: 3 });
    const error = await rejection(high.client.get(high.record));
    expect(error.code).toBe('E_REMOTE');
    expect(error.message).toContain('HTTP 502 Bad Gateway (Injected: HTTP 502) (4 attempts)');
    expect(high.sleeps).toEqual([10, 20, 40]);
    expect(high.requests).toHaveLength(4);
  });

  it('bounds throttled waits separately', async () => {
    const { client, record, requests } = await setUp(() => ({ status: 429, headers: { 'retry-after': '1' } }), { throttleRetries: 2 });
    const error = await rejection(client.get(record));
    expect(error).toMatchObject({ code: 'E_REMOTE' });
    expect(error.message).toContain('HTTP 429');
    expect(requests).toHaveLength(3);
  });

  it('fails at once when Retry-After is longer than the limit', async () => {
    const { client, record, requests } = await setUp(() => ({ status: 429, headers: { 'retry-after': '3600' } }), { maxRetryDelayMs: 60_000 });
    const error = await rejection(client.get(record));
    expect(error.message).toContain('retry after 3600000 ms, longer than the 60000 ms limit');
    expect(requests).toHaveLength(1);
  });

  it('retries a connection dropped mid-body, and a slow answer past the request timeout', async () => {
    const dropped = await setUp(first(1, { drop: true }));
    await expect(dropped.client.get(dropped.record)).resolves.toMatchObject({ status: 'ok' });
    expect(dropped.retries[0]).toMatchObject({ kind: 'retry' });
    expect(dropped.retries[0]!.reason).toMatch(/request failed/);
    expect(dropped.requests).toHaveLength(2);
    const slow = await setUp(first(1, { delayMs: 3000 }), { requestTimeoutMs: 300 });
    await expect(slow.client.get(slow.record)).resolves.toMatchObject({ status: 'ok' });
    expect(slow.retries.map((event) => event.reason)).toEqual(['no response within 300 ms']);
    // slow but within the timeout: no retry
    const patient = await setUp(() => ({ delayMs: 100 }), { requestTimeoutMs: 5000 });
    await expect(patient.client.get(patient.record)).resolves.toMatchObject({ status: 'ok' });
    expect(patient.retries).toEqual([]);
  });

  it('retries a 200 whose body is not JSON', async () => {
    const { client, record, retries } = await setUp(first(1, { status: 200, body: '{"id": "trunc' }));
    await expect(client.get(record)).resolves.toMatchObject({ status: 'ok' });
    expect(retries[0]!.reason).toContain('not a JSON object');
  });

  it('stops on 401 with a clear message, without retrying a given token', async () => {
    const { client, record, requests } = await setUp(undefined, { auth: { kind: 'token', token: 'wrong-token-123' } });
    const error = await rejection(client.get(record));
    expect(error.code).toBe('E_REMOTE');
    expect(error.message).toContain(
      'HTTP 401 Unauthorized (InvalidAuthenticationToken: Access token has expired or is not yet valid.): Graph refused the token',
    );
    expect(error.message).not.toContain('wrong-token-123');
    expect(requests).toHaveLength(1);
  });

  it('names the permission on 403, does not follow redirects, and refuses 400', async () => {
    const forbidden = await setUp(() => ({ status: 403 }));
    expect((await rejection(forbidden.client.get(forbidden.record))).message).toContain('CallRecords.Read.All');
    const moved = await setUp(() => ({ status: 302, headers: { location: 'https://elsewhere.example/' } }));
    expect((await rejection(moved.client.get(moved.record))).message).toContain('does not follow redirects');
    expect(moved.requests).toHaveLength(1);
    const bad = await setUp(undefined);
    const error = await rejection(bad.client.get(bad.client.url('v1.0/communications/callRecords', { $filter: 'nonsense' })));
    expect(error.message).toContain('HTTP 400 Bad Request (BadRequest: Invalid filter clause)');
    expect(bad.requests).toHaveLength(1);
  });

  it('answers not_found for a 404 the caller accepts, E_REMOTE otherwise', async () => {
    const { client } = await setUp(undefined);
    const url = client.url('v1.0/communications/callRecords/00000000-0000-0000-0000-000000000000', { $expand: 'sessions($expand=segments)' });
    await expect(client.get(url, { notFoundOk: true })).resolves.toEqual({ status: 'not_found', reason: 'HTTP 404 Not Found (NotFound: Record not found)' });
    await expect(client.get(url)).rejects.toMatchObject({ code: 'E_REMOTE' });
  });

  it('never sends more than `concurrency` requests at once', async () => {
    const { client, record, graph } = await setUp(() => ({ delayMs: 20 }), { concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, () => client.get(record)));
    expect(graph.peak()).toBe(3);
    expect(client.stats.peak).toBe(3);
  });

  it('refuses a response larger than the limit', async () => {
    const { client, record } = await setUp(undefined, { maxResponseBytes: 1000 });
    expect((await rejection(client.get(record))).message).toContain('larger than the 1000-byte limit');
  });

  it('refuses plain http except to loopback, credentials in the URL, and nextLinks to another origin', async () => {
    const auth = { kind: 'token', token: TOKEN } as const;
    expect(() => new GraphClient({ graphUrl: 'http://graph.example.com', auth })).toThrow(/refusing plain http/);
    expect(() => new GraphClient({ graphUrl: 'https://u:p@graph.example.com', auth })).toThrow(/credentials/);
    expect(() => new GraphClient({ graphUrl: 'ftp://graph.example.com', auth })).toThrow(/must be https/);
    expect(() => new GraphClient({ graphUrl: 'http://localhost:1', auth })).not.toThrow();
    expect(() => new GraphClient({ graphUrl: 'http://[::1]:1', auth })).not.toThrow();
    const client = new GraphClient({ graphUrl: 'https://graph.microsoft.us', auth });
    expect(client.url('v1.0/x').href).toBe('https://graph.microsoft.us/v1.0/x');
    expect(() => client.link('https://evil.example/v1.0/x', 'p')).toThrow(/refusing to follow a nextLink to https:\/\/evil.example/);
    expect(() => client.link('not a url', 'p')).toThrow(/not a URL/);
    expect(client.link('https://graph.microsoft.us/v1.0/y?$skiptoken=1', 'p').href).toBe('https://graph.microsoft.us/v1.0/y?$skiptoken=1');
  });

  it('an abort ends a wait at once with E_INTERRUPTED', async () => {
    const controller = new AbortController();
    const { client, record } = await setUp(() => ({ status: 429, headers: { 'retry-after': '30' } }), {
      sleep: (ms, signal) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(resolve, ms);
          signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new Error('aborted'));
          });
          controller.abort();
        }),
    });
    await expect(client.get(record, { signal: controller.signal })).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
  });

  it('keeps the token out of messages even when Graph echoes it', async () => {
    const { client, record } = await setUp(() => ({ status: 400, body: JSON.stringify({ error: { code: 'BadRequest', message: `token ${TOKEN} is odd` } }) }));
    const error = await rejection(client.get(record));
    expect(error.message).toContain('token [redacted] is odd');
    expect(error.message).not.toContain(TOKEN);
  });
});

describe('client credentials', () => {
  const SECRET = 'cl!ent+secret/with=chars';
  const CLIENT = { id: '11111111-2222-3333-4444-555555555555', secret: SECRET, expiresIn: 600 };
  const credentials = (url: string, secret = SECRET) =>
    ({ kind: 'clientCredentials', tenant: 'contoso.onmicrosoft.com', clientId: CLIENT.id, clientSecret: secret, authorityUrl: url }) as const;

  it('asks the identity platform for an app-only token for Graph, and renews it before it expires', async () => {
    let clock = Date.parse('2026-11-10T00:00:00Z');
    const server = await fixture.serve({ records: RECORDS, client: CLIENT, now: () => clock });
    const client = new GraphClient({ graphUrl: server.url, auth: credentials(server.url), now: () => clock });
    const record = client.url(`v1.0/communications/callRecords/${ID}`, { $expand: 'sessions($expand=segments)' });
    // two requests at once share one token request
    await Promise.all([client.get(record), client.get(record)]);
    const tokenRequests = (): Seen[] => server.requests.filter((seen) => seen.kind === 'token');
    expect(tokenRequests()).toHaveLength(1);
    const form = new URLSearchParams(tokenRequests()[0]!.body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT.id,
      client_secret: SECRET,
      scope: `${server.url}/.default`,
    });
    expect(tokenRequests()[0]!.url).toBe('/contoso.onmicrosoft.com/oauth2/v2.0/token');
    // 600 s tokens are renewed 300 s before they expire
    clock += 250_000;
    await client.get(record);
    expect(tokenRequests()).toHaveLength(1);
    clock += 100_000;
    await client.get(record);
    expect(tokenRequests()).toHaveLength(2);
    clock += 1_000_000;
    await client.get(record);
    expect(tokenRequests()).toHaveLength(3);
    expect(server.requests.filter((seen) => seen.kind === 'record').every((seen) => seen.status === 200)).toBe(true);
    expect(client.tokensIssued()).toBe(3);
  });

  it('takes a fresh token once when Graph refuses one (revoked), then stops', async () => {
    let refuse = 1;
    const server = await fixture.serve({
      records: RECORDS,
      client: CLIENT,
      fault: (seen) => (seen.kind === 'record' && refuse-- > 0 ? { status: 401 } : undefined),
    });
    const client = new GraphClient({ graphUrl: server.url, auth: credentials(server.url) });
    const record = client.url(`v1.0/communications/callRecords/${ID}`, { $expand: 'sessions($expand=segments)' });
    await expect(client.get(record)).resolves.toMatchObject({ status: 'ok' });
    expect(client.tokensIssued()).toBe(2);
    refuse = 5;
    await expect(client.get(record)).rejects.toMatchObject({ code: 'E_REMOTE' });
    expect(client.tokensIssued()).toBe(3);
  });

  /** A client-credentials client whose token endpoint answers `fault` to its first `n` token requests. */
  async function tokenFaults(n: number, fault: Fault, options: Partial<GraphClientOptions> = {}) {
    let seen = 0;
    const server = await fixture.serve({ records: RECORDS, client: CLIENT, fault: (request) => (request.kind === 'token' && seen++ < n ? fault : undefined) });
    const tokenRequests = (): Seen[] => server.requests.filter((request) => request.kind === 'token');
    return { ...recordingClient(server.url, { auth: credentials(server.url), ...options }), tokenRequests };
  }

  it('retries the token request after a 5xx, a dropped connection or a timeout, backing off like Graph requests', async () => {
    const errors = await tokenFaults(2, { status: 500 });
    await expect(errors.client.get(errors.record)).resolves.toMatchObject({ status: 'ok' });
    expect(errors.sleeps).toEqual([10, 20]);
    expect(errors.retries.map((event) => [event.kind, event.reason])).toEqual([
      ['retry', expect.stringMatching(/^token request to http:\/\/127\.0\.0\.1:\d+\/contoso\.onmicrosoft\.com\/oauth2\/v2\.0\/token: HTTP 500/)],
      ['retry', expect.stringMatching(/^token request to .*: HTTP 500/)],
    ]);
    expect(errors.tokenRequests()).toHaveLength(3);
    expect(errors.client.tokensIssued()).toBe(1);
    const dropped = await tokenFaults(1, { drop: true });
    await expect(dropped.client.get(dropped.record)).resolves.toMatchObject({ status: 'ok' });
    expect(dropped.retries.map((event) => event.kind)).toEqual(['retry']);
    const slow = await tokenFaults(1, { delayMs: 3000 }, { requestTimeoutMs: 300 });
    await expect(slow.client.get(slow.record)).resolves.toMatchObject({ status: 'ok' });
    expect(slow.retries.map((event) => event.reason)).toEqual([expect.stringMatching(/^token request to .*: no response within 300 ms$/)]);
  });

  it('waits out a throttled token request (429 / 503 with Retry-After)', async () => {
    const throttled = await tokenFaults(2, { status: 429, headers: { 'retry-after': '3' } });
    await expect(throttled.client.get(throttled.record)).resolves.toMatchObject({ status: 'ok' });
    expect(throttled.retries.map((event) => event.kind)).toEqual(['throttled', 'throttled']);
    expect(throttled.sleeps.filter((ms) => ms === 3000).length).toBeGreaterThanOrEqual(2);
    expect(throttled.client.stats.throttled).toBe(2);
    const unavailable = await tokenFaults(1, { status: 503 });
    await expect(unavailable.client.get(unavailable.record)).resolves.toMatchObject({ status: 'ok' });
    expect(unavailable.retries.map((event) => event.kind)).toEqual(['throttled']);
  });

  it('gives up on the token request after the bounded retries, naming it, never the secret', async () => {
    const { client, record, tokenRequests } = await tokenFaults(1000, { status: 502 }, { retries: 2 });
    const error = await rejection(client.get(record));
    expect(error.code).toBe('E_REMOTE');
    expect(error.message).toMatch(/token request to .*: HTTP 502: no error description \(3 attempts\)$/);
    expect(error.message).not.toContain(SECRET);
    expect(tokenRequests()).toHaveLength(3);
  });

  it('does not retry a token request the identity platform refuses (4xx)', async () => {
    const { client, record, tokenRequests } = await tokenFaults(1000, {
      status: 400,
      body: JSON.stringify({ error: 'invalid_request', error_description: 'AADSTS900144: bad' }),
    });
    const error = await rejection(client.get(record));
    expect(error.message).toContain('HTTP 400: invalid_request: AADSTS900144: bad');
    expect(tokenRequests()).toHaveLength(1);
  });

  it('reports a refused secret with the identity platform code, never the secret', async () => {
    const server = await fixture.serve({ records: RECORDS, client: CLIENT });
    const client = new GraphClient({ graphUrl: server.url, auth: credentials(server.url, 'wrong/secret+1') });
    const error = await rejection(client.get(client.url('v1.0/communications/callRecords', { $filter: 'x' })));
    expect(error.code).toBe('E_REMOTE');
    expect(error.message).toContain('HTTP 401: invalid_client: AADSTS7000215: Invalid client secret provided.');
    expect(error.message).not.toMatch(/wrong|secret\+1|wrong%2Fsecret/);
  });

  it('refuses plain http for the authority, and bad tenant or client ids', () => {
    const graphUrl = 'https://graph.microsoft.com';
    expect(() => new GraphClient({ graphUrl, auth: credentials('http://login.example.com') })).toThrow(/refusing plain http/);
    expect(() => new GraphClient({ graphUrl, auth: { ...credentials('https://login.example.com'), tenant: '../x' } })).toThrow(/--tenant/);
    expect(() => new GraphClient({ graphUrl, auth: { ...credentials('https://login.example.com'), clientId: 'a b' } })).toThrow(/--client-id/);
    expect(() => new GraphClient({ graphUrl, auth: { kind: 'token', token: ' ' } })).toThrow(/empty/);
  });
});
