/**
 * An HTTP client for the UM web service: POSTs request envelopes with global fetch, bounds every
 * attempt with a timeout, retries with exponential backoff on 5xx, 429 and network failures
 * (honouring Retry-After), never follows redirects, and caps the response size.
 *
 * Faults are results (`{ ok: false, fault }`), not exceptions; everything else that goes wrong is a
 * CallauditError: E_REMOTE (the service failed or answered something unreadable), E_USAGE (a bad
 * URL or unsafe credentials), E_INTERRUPTED (the caller's signal aborted).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { CallauditError } from '../errors.js';
import { ErrorCode, fail, isCallauditError } from '../errors.js';
import type { UmRequest } from './envelope.js';
import { disconnectRequest, getCallInfoRequest, playOnPhoneRequest } from './envelope.js';
import type { CallInfo, SoapFault, UmOperation, UmResult } from './protocol.js';
import { UM_IDEMPOTENT } from './protocol.js';
import type { ResponseReadOptions } from './response.js';
import { parseDisconnectResponse, parseGetCallInfoResponse, parsePlayOnPhoneResponse } from './response.js';
import { DEFAULT_MAX_XML_BYTES } from './xml.js';
import { isLoopback, messageOf, networkReason, readCapped, retryAfter } from '../net/http.js';

/** Credentials: a Bearer token or Basic user and password. */
export type UmAuth = { readonly scheme: 'bearer'; readonly token: string } | { readonly scheme: 'basic'; readonly user: string; readonly password: string };

export interface RetryEvent {
  readonly operation: UmOperation;
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: string;
}

export interface UmClientOptions {
  /** The service endpoint, e.g. https://mail.example.com/UnifiedMessaging/Service.asmx. */
  readonly url: string;
  readonly auth?: UmAuth;
  /** Messages namespace written in requests (see EnvelopeOptions). */
  readonly namespace?: string;
  /** Bound on one HTTP attempt. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  readonly retries?: number;
  /** First backoff delay; doubles each retry (with jitter between half and all of it). Default 500 ms. */
  readonly retryDelayMs?: number;
  /** Longest backoff delay, and the longest Retry-After callaudit will wait. Default 60 s. */
  readonly maxRetryDelayMs?: number;
  /** Larger responses are refused. Default 1 MiB. */
  readonly maxResponseBytes?: number;
  readonly signal?: AbortSignal;
  /** Injectable for tests. */
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  /** Wall clock in epoch milliseconds. */
  readonly now?: () => number;
  readonly onRetry?: (event: RetryEvent) => void;
}

export interface CallOptions {
  /** Give up (E_REMOTE) when this time (per `now`) passes, whatever retries remain. */
  readonly deadline?: number;
}

export interface UmClient {
  readonly url: string;
  getCallInfo(callId: string, options?: CallOptions): Promise<UmResult<CallInfo>>;
  playOnPhone(entryId: string, dialString: string, options?: CallOptions): Promise<UmResult<string>>;
  disconnect(callId: string, options?: CallOptions): Promise<UmResult<null>>;
}

type Parser<T> = (input: Uint8Array, options: ResponseReadOptions) => UmResult<T>;

export function createUmClient(options: UmClientOptions): UmClient {
  const endpoint = checkEndpoint(options.url, options.auth);
  const settings = {
    endpoint,
    label: `${endpoint.origin}${endpoint.pathname}`,
    headers: requestHeaders(options.auth),
    requestTimeoutMs: positive(options.requestTimeoutMs, 30_000, 'requestTimeoutMs'),
    retries: Math.max(0, Math.floor(options.retries ?? 3)),
    retryDelayMs: Math.max(0, options.retryDelayMs ?? 500),
    maxRetryDelayMs: Math.max(0, options.maxRetryDelayMs ?? 60_000),
    maxResponseBytes: positive(options.maxResponseBytes, DEFAULT_MAX_XML_BYTES, 'maxResponseBytes'),
    signal: options.signal,
    fetch: options.fetch ?? globalThis.fetch,
    sleep: options.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, signal === undefined ? {} : { signal })),
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    onRetry: options.onRetry,
  };
  const envelope = options.namespace === undefined ? {} : { namespace: options.namespace };
  const call = <T>(request: UmRequest, parse: Parser<T>, callOptions: CallOptions = {}): Promise<UmResult<T>> =>
    send(settings, request, parse, callOptions.deadline);
  return {
    url: settings.label,
    getCallInfo: (callId, callOptions) => call(getCallInfoRequest(callId, envelope), parseGetCallInfoResponse, callOptions),
    playOnPhone: (entryId, dialString, callOptions) => call(playOnPhoneRequest(entryId, dialString, envelope), parsePlayOnPhoneResponse, callOptions),
    disconnect: (callId, callOptions) => call(disconnectRequest(callId, envelope), parseDisconnectResponse, callOptions),
  };
}

/** The E_REMOTE error for a fault, for callers that treat a fault as a failure. */
export function faultError(operation: UmOperation, fault: SoapFault, url: string): CallauditError {
  const type = fault.exceptionType !== null && fault.exceptionType !== fault.codeName ? ` [${fault.exceptionType}]` : '';
  return fail(ErrorCode.Remote, `${operation} ${url}: SOAP fault ${fault.code || '(no faultcode)'}${type}: ${fault.message || '(no faultstring)'}`);
}

type Settings = {
  readonly endpoint: URL;
  readonly label: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly requestTimeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly maxResponseBytes: number;
  readonly signal: AbortSignal | undefined;
  readonly fetch: typeof fetch;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
  readonly now: () => number;
  readonly onRetry: ((event: RetryEvent) => void) | undefined;
};

/** What one attempt came to: a result, or a failure that may be retried after `retryAfterMs`. */
type Attempt<T> = { readonly result: UmResult<T> } | { readonly retryable: boolean; readonly reason: string; readonly retryAfterMs?: number };

async function send<T>(s: Settings, request: UmRequest, parse: Parser<T>, deadline: number | undefined): Promise<UmResult<T>> {
  const what = `${request.operation} ${s.label}`;
  for (let attempt = 1; ; attempt++) {
    const remaining = deadline === undefined ? Infinity : deadline - s.now();
    if (remaining <= 0) throw fail(ErrorCode.Remote, `${what}: deadline passed before attempt ${attempt}`);
    const outcome = await attemptOnce(s, request, parse, Math.min(s.requestTimeoutMs, remaining));
    if ('result' in outcome) return outcome.result;
    const tried = `${attempt} attempt${attempt === 1 ? '' : 's'}`;
    if (!outcome.retryable || attempt > s.retries) throw fail(ErrorCode.Remote, `${what}: ${outcome.reason} (${tried})`);

    const backoff = Math.min(s.maxRetryDelayMs, s.retryDelayMs * 2 ** (attempt - 1));
    const delayMs = outcome.retryAfterMs ?? backoff * (0.5 + s.random() / 2);
    if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > s.maxRetryDelayMs) {
      throw fail(
        ErrorCode.Remote,
        `${what}: ${outcome.reason}; the server asks to retry after ${outcome.retryAfterMs} ms, longer than the ${s.maxRetryDelayMs} ms limit (${tried})`,
      );
    }
    if (delayMs >= (deadline === undefined ? Infinity : deadline - s.now())) {
      throw fail(ErrorCode.Remote, `${what}: ${outcome.reason}; no time left to retry before the deadline (${tried})`);
    }
    s.onRetry?.({ operation: request.operation, attempt, delayMs, reason: outcome.reason });
    try {
      await s.sleep(delayMs, s.signal);
    } catch (error) {
      throw interrupted(what, error);
    }
  }
}

async function attemptOnce<T>(s: Settings, request: UmRequest, parse: Parser<T>, timeoutMs: number): Promise<Attempt<T>> {
  const idempotent = UM_IDEMPOTENT[request.operation];
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = s.signal === undefined ? timeout : AbortSignal.any([s.signal, timeout]);
  let response: Response;
  let body: Uint8Array;
  try {
    response = await s.fetch(s.endpoint, {
      method: 'POST',
      headers: { ...s.headers, SOAPAction: request.soapAction },
      body: request.body,
      redirect: 'manual',
      signal,
    });
    body = await readCapped(response, s.maxResponseBytes);
  } catch (error) {
    if (s.signal?.aborted) throw interrupted(`${request.operation} ${s.label}`, error);
    if (isCallauditError(error)) throw fail(ErrorCode.Remote, `${request.operation} ${s.label}: ${error.message}`, { cause: error });
    const reason = timeout.aborted ? `no response within ${timeoutMs} ms` : `request failed: ${networkReason(error)}`;
    return { retryable: idempotent, reason };
  }

  const status = response.status;
  const statusText = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (status === 429 || status === 503) {
    const retryAfterMs = retryAfter(response.headers.get('retry-after'), s.now());
    return retryAfterMs === undefined ? { retryable: true, reason: statusText } : { retryable: true, reason: statusText, retryAfterMs };
  }
  if (status >= 300 && status < 400) {
    const location = response.headers.get('location');
    return {
      retryable: false,
      reason: `${statusText}: redirected${location ? ` to ${location}` : ''}; callaudit does not follow redirects, use the final URL`,
    };
  }
  if (status >= 200 && status < 300) {
    try {
      return { result: parse(body, { source: s.label, maxBytes: s.maxResponseBytes }) };
    } catch (error) {
      throw fail(
        ErrorCode.Remote,
        `${request.operation} ${s.label}: unreadable response (${statusText}, ${response.headers.get('content-type') ?? 'no content-type'}): ${messageOf(error)}`,
        { cause: error },
      );
    }
  }
  // Not 2xx: a SOAP fault (SOAP 1.1 sends them with 500) is the service's answer; anything else is an HTTP failure.
  const fault = faultIn(body, parse, s.maxResponseBytes);
  if (fault !== undefined) return { result: { ok: false, fault } };
  if (status === 401 || status === 403) {
    const hint = s.headers.Authorization === undefined ? 'no credentials were sent' : 'the server refused the credentials';
    return { retryable: false, reason: `${statusText}: ${hint}` };
  }
  return { retryable: status >= 500 && idempotent, reason: statusText };
}

function faultIn<T>(body: Uint8Array, parse: Parser<T>, maxBytes: number): SoapFault | undefined {
  if (body.byteLength === 0) return undefined;
  try {
    const result = parse(body, { maxBytes });
    return result.ok ? undefined : result.fault;
  } catch {
    return undefined;
  }
}

function requestHeaders(auth: UmAuth | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'text/xml; charset=utf-8', Accept: 'text/xml' };
  if (auth?.scheme === 'bearer') headers.Authorization = `Bearer ${auth.token}`;
  if (auth?.scheme === 'basic') headers.Authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`, 'utf8').toString('base64')}`;
  return headers;
}

function checkEndpoint(url: string, auth: UmAuth | undefined): URL {
  let endpoint: URL;
  try {
    endpoint = new URL(url);
  } catch (error) {
    throw fail(ErrorCode.Usage, `--url ${JSON.stringify(url)} is not a valid URL`, { cause: error });
  }
  if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') throw fail(ErrorCode.Usage, `--url must be http(s), not ${endpoint.protocol}`);
  if (endpoint.username !== '' || endpoint.password !== '') {
    throw fail(ErrorCode.Usage, '--url must not carry credentials: pass them through the environment');
  }
  if (auth !== undefined && endpoint.protocol === 'http:' && !isLoopback(endpoint.hostname)) {
    throw fail(ErrorCode.Usage, `refusing to send credentials over plain http to ${endpoint.hostname}: use https`);
  }
  return endpoint;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw fail(ErrorCode.Usage, `${name} must be a positive number, not ${value}`);
  return value;
}

function interrupted(what: string, error: unknown): CallauditError {
  return fail(ErrorCode.Interrupted, `${what}: interrupted`, { cause: error });
}
