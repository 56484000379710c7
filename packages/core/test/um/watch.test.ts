import { afterEach, describe, expect, it } from 'vitest';
import { createUmClient } from '../../src/um/client.js';
import type { CallInfoSample } from '../../src/um/watch.js';
import { watchCallInfo } from '../../src/um/watch.js';
import { faultResponse } from './fixtures.js';
import type { Handler, UmServer } from './server.js';
import { callSequence, startUmServer } from './server.js';

let server: UmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function watch(handler: Handler, options: { intervalMs?: number; timeoutMs?: number } = {}) {
  server = await startUmServer(handler);
  const client = createUmClient({ url: server.url, retryDelayMs: 1 });
  const samples: CallInfoSample[] = [];
  let error: unknown;
  try {
    for await (const sample of watchCallInfo(client, 'CALL1', { intervalMs: 5, ...options })) samples.push(sample);
  } catch (caught) {
    error = caught;
  }
  const changes = samples.map((sample) =>
    sample.result.ok ? `${sample.result.value.callState}/${sample.result.value.eventCause}` : `fault:${sample.result.fault.codeName}`,
  );
  return { samples, changes, error, polls: server.requests.length };
}

describe('watchCallInfo', () => {
  it('polls until Disconnected, yielding the first answer and each change only', async () => {
    const { changes, error, polls, samples } = await watch(
      callSequence(
        ['Connecting', 'None'],
        ['Connecting', 'None'],
        ['Alerted', 'None'],
        ['Alerted', 'None'],
        ['Connected', 'None'],
        ['Connected', 'None'],
        ['Disconnected', 'None'],
        ['Idle', 'None'],
      ),
    );
    expect(error).toBeUndefined();
    expect(changes).toEqual(['Connecting/None', 'Alerted/None', 'Connected/None', 'Disconnected/None']);
    expect(polls).toBe(7);
    expect(samples.every((sample) => sample.callId === 'CALL1')).toBe(true);
    const times = samples.map((sample) => sample.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('reports a change of cause with the same state', async () => {
    const { changes, polls } = await watch(callSequence(['Alerted', 'None'], ['Alerted', 'Other'], ['Alerted', 'Other'], ['Disconnected', 'Other']));
    expect(changes).toEqual(['Alerted/None', 'Alerted/Other', 'Disconnected/Other']);
    expect(polls).toBe(4);
  });

  it('stops at a fault, yielding it', async () => {
    const { changes, error } = await watch((_request, index) =>
      index < 2 ? callSequence(['Alerted', 'None'])(_request, index) : { status: 500, body: faultResponse() },
    );
    expect(error).toBeUndefined();
    expect(changes).toEqual(['Alerted/None', 'fault:InvalidCallIdException']);
  });

  it('times out with E_REMOTE naming the last state when the call never ends', async () => {
    const started = performance.now();
    const { changes, error } = await watch(callSequence(['Alerted', 'None']), { timeoutMs: 150, intervalMs: 20 });
    expect(changes).toEqual(['Alerted/None']);
    expect(error).toMatchObject({ code: 'E_REMOTE', message: 'watch of call CALL1 timed out after 150 ms; last state: Alerted (cause None)' });
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('times out while the server hangs, with the watch deadline bounding the request', async () => {
    const { error } = await watch(() => 'hang', { timeoutMs: 150 });
    expect(error).toMatchObject({ code: 'E_REMOTE', message: expect.stringContaining('timed out after 150 ms; last state: none received') });
  });

  it('stops sleeping between polls with E_INTERRUPTED when the signal aborts', async () => {
    server = await startUmServer(callSequence(['Alerted', 'None']));
    const controller = new AbortController();
    const client = createUmClient({ url: server.url, signal: controller.signal });
    const started = performance.now();
    const seen: string[] = [];
    const run = (async () => {
      for await (const sample of watchCallInfo(client, 'CALL1', { intervalMs: 60_000, signal: controller.signal })) {
        seen.push(sample.result.ok ? sample.result.value.callState : 'fault');
        controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
    expect(seen).toEqual(['Alerted']);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
