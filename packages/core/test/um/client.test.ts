import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { UmClientOptions } from '../../src/um/client.js';
import { createUmClient, faultError } from '../../src/um/client.js';
import { retryAfter } from '../../src/net/http.js';
import { getCallInfoRequest } from '../../src/um/envelope.js';
import { DOCUMENTED_CALL_ID, DOCUMENTED_RESPONSE, faultResponse } from './fixtures.js';
import type { Handler, UmServer } from './server.js';
import { callSequence, startUmServer } from './server.js';

let server: UmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A client on a fresh loopback server; sleeps are recorded, not slept. */
async function setUp(handler: Handler, options: Partial<UmClientOptions> = {}) {
  server = await startUmServer(handler);
  const sleeps: number[] = [];
  const retries: string[] = [];
  const client = createUmClient({
    url: server.url,
    retryDelayMs: 100,
    random: () => 1,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onRetry: (event) => retries.push(`${event.attempt}: ${event.reason}`),
    ...options,
  });
  return { client, sleeps, retries, requests: server.requests };
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}

describe('UM client against a loopback server', () => {
  it('posts the GetCallInfo envelope with its SOAPAction and reads the documented response', async () => {
    const { client, requests } = await setUp(() => ({ body: DOCUMENTED_RESPONSE }), { auth: { scheme: 'bearer', token: 't0k3n' } });
    await expect(client.getCallInfo(DOCUMENTED_CALL_ID)).resolves.toEqual({
      ok: true,
      value: { callState: 'Connected', eventCause: 'None', unrecognized: [] },
    });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/UnifiedMessaging/Service.asmx');
    expect(request!.body).toBe(getCallInfoRequest(DOCUMENTED_CALL_ID).body);
    expect(request!.callId).toBe(DOCUMENTED_CALL_ID);
    expect(request!.headers.soapaction).toBe('"http://schemas.microsoft.com/exchange/services/2006/messages/GetCallInfo"');
    expect(request!.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(request!.headers.authorization).toBe('Bearer t0k3n');
  });

  it('sends Basic credentials', async () => {
    const { client, requests } = await setUp(callSequence(['Idle', 'None']), { auth: { scheme: 'basic', user: 'CONTOSO\\ann', password: 'pä:ss' } });
    await client.getCallInfo('x');
    expect(requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('CONTOSO\\ann:pä:ss').toString('base64')}`);
  });

  it('returns a SOAP fault (HTTP 500) as a result without retrying', async () => {
    const { client, requests } = await setUp(() => ({ status: 500, body: faultResponse() }));
    const result = await client.getCallInfo('bogus');
    expect(result).toMatchObject({ ok: false, fault: { codeName: 'InvalidCallIdException', message: "The call ID isn't valid." } });
    expect(requests).toHaveLength(1);
    if (!result.ok) {
      const error = faultError('GetCallInfo', result.fault, client.url);
      expect(error).toMatchObject({ code: 'E_REMOTE' });
      expect(error.message).toContain("SOAP fault a:InvalidCallIdException: The call ID isn't valid.");
    }
  });

  it('retries a 500 that is not a fault, then succeeds', async () => {
    const { client, requests, sleeps, retries } = await setUp((_request, index) =>
      index === 0 ? { status: 500, body: '<html>Internal Server Error</html>', headers: { 'content-type': 'text/html' } } : { body: DOCUMENTED_RESPONSE },
    );
    await expect(client.getCallInfo('x')).resolves.toMatchObject({ ok: true, value: { callState: 'Connected' } });
    expect(requests).toHaveLength(2);
    expect(sleeps).toEqual([100]);
    expect(retries).toEqual(['1: HTTP 500 Internal Server Error']);
  });

  it('honours Retry-After on 429 (seconds) and on 503 (HTTP date)', async () => {
    const { client, sleeps } = await setUp(
      (_request, index) =>
        index === 0
          ? { status: 429, headers: { 'retry-after': '2' } }
          : index === 1
            ? { status: 503, headers: { 'retry-after': new Date(Date.UTC(2030, 0, 1, 0, 0, 7)).toUTCString() } }
            : { body: DOCUMENTED_RESPONSE },
      { now: () => Date.UTC(2030, 0, 1, 0, 0, 4), maxRetryDelayMs: 10_000 },
    );
    await expect(client.getCallInfo('x')).resolves.toMatchObject({ ok: true });
    expect(sleeps).toEqual([2000, 3000]);
  });

  it('backs off exponentially with jitter and gives up after the retries', async () => {
    const { client, requests, sleeps } = await setUp(() => ({ status: 502 }), { retries: 3, random: () => 0 });
    const error = await rejection(client.getCallInfo('x'));
    expect(error).toMatchObject({ code: 'E_REMOTE' });
    expect(error.message).toMatch(/^GetCallInfo http:\/\/127\.0\.0\.1:\d+\/UnifiedMessaging\/Service\.asmx: HTTP 502 Bad Gateway \(4 attempts\)$/);
    expect(requests).toHaveLength(4);
    // Half of 100, 200, 400 (random() = 0 takes the low end of the jitter).
    expect(sleeps).toEqual([50, 100, 200]);
  });

  it('refuses a Retry-After longer than the limit instead of retrying early', async () => {
    const { client, sleeps } = await setUp(() => ({ status: 429, headers: { 'retry-after': '3600' } }), { maxRetryDelayMs: 5000 });
    const error = await rejection(client.getCallInfo('x'));
    expect(error.message).toContain('retry after 3600000 ms, longer than the 5000 ms limit');
    expect(sleeps).toEqual([]);
  });

  it('times out a request that gets no answer, retries it, then fails with E_REMOTE', async () => {
    const { client, requests } = await setUp(() => 'hang', { requestTimeoutMs: 100, retries: 1 });
    const started = performance.now();
    const error = await rejection(client.getCallInfo('x'));
    expect(error).toMatchObject({ code: 'E_REMOTE' });
    expect(error.message).toContain('no response within 100 ms (2 attempts)');
    expect(requests).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('does not repeat PlayOnPhone after a timeout or a 500 (it places a call), but does after 503', async () => {
    const hang = await setUp(() => 'hang', { requestTimeoutMs: 100 });
    expect((await rejection(hang.client.playOnPhone('entry', '12345'))).message).toContain('(1 attempt)');
    expect(hang.requests).toHaveLength(1);
    await server!.close();
    const failing = await setUp(() => ({ status: 500 }));
    expect((await rejection(failing.client.playOnPhone('entry', '12345'))).message).toContain('HTTP 500 Internal Server Error (1 attempt)');
    await server!.close();
    const busy = await setUp((_r, index) =>
      index === 0
        ? { status: 503 }
        : { body: DOCUMENTED_RESPONSE.replaceAll('GetCallInfoResponse', 'PlayOnPhoneResponse').replace(/<CallState>.*<\/EventCause>/s, 'NEWCALLID') },
    );
    await expect(busy.client.playOnPhone('entry', '12345')).resolves.toEqual({ ok: true, value: 'NEWCALLID' });
    expect(busy.requests.map((r) => r.operation)).toEqual(['PlayOnPhone', 'PlayOnPhone']);
  });

  it('fails on 401 without retrying and says whether credentials were sent', async () => {
    const { client, requests } = await setUp(() => ({ status: 401, body: 'denied' }));
    expect((await rejection(client.getCallInfo('x'))).message).toContain('HTTP 401 Unauthorized: no credentials were sent (1 attempt)');
    expect(requests).toHaveLength(1);
  });

  it('does not follow redirects', async () => {
    const { client, requests } = await setUp(() => ({ status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } }));
    const error = await rejection(client.getCallInfo('x'));
    expect(error.message).toContain('redirected to http://127.0.0.1:1/elsewhere');
    expect(requests).toHaveLength(1);
  });

  it('refuses an oversize response and an unreadable 200', async () => {
    const big = await setUp(() => ({ body: `<a>${'x'.repeat(5000)}</a>` }), { maxResponseBytes: 1000 });
    expect(await rejection(big.client.getCallInfo('x'))).toMatchObject({
      code: 'E_REMOTE',
      message: expect.stringContaining('larger than the 1000-byte limit'),
    });
    await server!.close();
    const garbage = await setUp(() => ({ body: '<html><body>Sign in</body></html>', headers: { 'content-type': 'text/html' } }));
    const error = await rejection(garbage.client.getCallInfo('x'));
    expect(error).toMatchObject({ code: 'E_REMOTE' });
    expect(error.message).toContain('unreadable response (HTTP 200 OK, text/html): not a SOAP 1.1 envelope: root element is html');
  });

  it('retries a refused connection, then reports it', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const sleeps: number[] = [];
    const client = createUmClient({ url: `http://127.0.0.1:${port}/um`, retries: 2, sleep: async (ms) => void sleeps.push(ms) });
    const error = await rejection(client.getCallInfo('x'));
    expect(error).toMatchObject({ code: 'E_REMOTE', message: expect.stringContaining('ECONNREFUSED (3 attempts)') });
    expect(sleeps).toHaveLength(2);
  });

  it('stops at the deadline even with retries left', async () => {
    const clock = 1_000;
    const { client, requests } = await setUp(() => ({ status: 503, headers: { 'retry-after': '5' } }), { now: () => clock, retries: 10 });
    const pending = client.getCallInfo('x', { deadline: clock + 3_000 });
    const error = await rejection(pending);
    expect(error.message).toContain('no time left to retry before the deadline (1 attempt)');
    expect(requests).toHaveLength(1);
  });

  it('turns an abort of the caller signal into E_INTERRUPTED', async () => {
    const controller = new AbortController();
    const { client } = await setUp(
      () => {
        controller.abort();
        return 'hang';
      },
      { signal: controller.signal },
    );
    expect(await rejection(client.getCallInfo('x'))).toMatchObject({ code: 'E_INTERRUPTED' });
  });
});

describe('UM client settings', () => {
  it.each([
    ['not-a-url', 'is not a valid URL'],
    ['ftp://127.0.0.1/um', 'must be http(s)'],
    ['https://user:pw@um.example.com/um', 'must not carry credentials'],
  ])('refuses --url %s (E_USAGE)', (url, message) => {
    expect(() => createUmClient({ url })).toThrow(expect.objectContaining({ code: 'E_USAGE', message: expect.stringContaining(message) }));
  });

  it('refuses to send credentials over plain http except to loopback', () => {
    const auth = { scheme: 'bearer', token: 't' } as const;
    expect(() => createUmClient({ url: 'http://um.example.com/um', auth })).toThrow(
      expect.objectContaining({ code: 'E_USAGE', message: expect.stringContaining('plain http') }),
    );
    expect(() => createUmClient({ url: 'http://um.example.com/um' })).not.toThrow();
    expect(() => createUmClient({ url: 'https://um.example.com/um', auth })).not.toThrow();
    for (const host of ['127.0.0.1', 'localhost', '[::1]', '127.8.9.10']) expect(() => createUmClient({ url: `http://${host}:8080/um`, auth })).not.toThrow();
    expect(() => createUmClient({ url: 'http://127.0.0.1.evil.example/um', auth })).toThrow();
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.UTC(2026, 2, 14, 10, 0, 0);
    expect(retryAfter('7', now)).toBe(7000);
    expect(retryAfter(' 0 ', now)).toBe(0);
    expect(retryAfter('Sat, 14 Mar 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfter('Sat, 14 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfter('-5', now)).toBeUndefined();
    expect(retryAfter('soon', now)).toBeUndefined();
    expect(retryAfter(null, now)).toBeUndefined();
  });
});
