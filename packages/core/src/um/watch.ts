/**
 * Polls GetCallInfo until the call is Disconnected (or the service answers with a fault), yielding
 * the first answer and every change of state or cause.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ErrorCode, fail, isCallauditError } from '../errors.js';
import type { UmClient } from './client.js';
import type { CallInfo, UmResult } from './protocol.js';

export interface WatchOptions {
  /** Pause between polls. Default 2 s. */
  readonly intervalMs?: number;
  /** Give up (E_REMOTE) when the call is not Disconnected after this long. Default 5 min. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Injectable for tests. */
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** One poll's answer, with when it arrived (epoch ms). */
export interface CallInfoSample {
  readonly time: number;
  readonly callId: string;
  readonly result: UmResult<CallInfo>;
}

export async function* watchCallInfo(client: UmClient, callId: string, options: WatchOptions = {}): AsyncGenerator<CallInfoSample, void> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, signal === undefined ? {} : { signal }));
  const intervalMs = Math.max(0, options.intervalMs ?? 2_000);
  const timeoutMs = options.timeoutMs ?? 300_000;
  const deadline = now() + timeoutMs;
  let last: CallInfo | undefined;
  const timedOut = (cause?: unknown): Error =>
    fail(
      ErrorCode.Remote,
      `watch of call ${callId} timed out after ${timeoutMs} ms; last state: ${last === undefined ? 'none received' : `${last.callState} (cause ${last.eventCause})`}`,
      { cause },
    );

  for (;;) {
    if (now() >= deadline) throw timedOut();
    let result: UmResult<CallInfo>;
    try {
      result = await client.getCallInfo(callId, { deadline });
    } catch (error) {
      if (isCallauditError(error) && error.code === ErrorCode.Remote && now() >= deadline) throw timedOut(error);
      throw error;
    }
    const time = now();
    if (!result.ok) {
      yield { time, callId, result };
      return;
    }
    const info = result.value;
    if (last === undefined || last.callState !== info.callState || last.eventCause !== info.eventCause) yield { time, callId, result };
    last = info;
    if (info.callState === 'Disconnected') return;
    const remaining = deadline - now();
    if (remaining <= 0) throw timedOut();
    try {
      await sleep(Math.min(intervalMs, remaining), options.signal);
    } catch (error) {
      throw fail(ErrorCode.Interrupted, `watch of call ${callId}: interrupted`, { cause: error });
    }
  }
}
