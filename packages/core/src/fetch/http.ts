/**
 * The HTTP side of `fetch`: GETs JSON from Microsoft Graph with a bearer token, at most
 * `concurrency` requests at a time, waiting out 429 / 503 (Retry-After, and every request pauses
 * with the one throttled), backing off exponentially with jitter on other 5xx, timeouts and network
 * failures, never following redirects or links to another origin, and capping response sizes.
 * A client-credentials token request that fails that way is retried the same way, in the same count.
 *
 * Outcomes: a parsed JSON body; `not_found` for a 404 the caller accepts; everything else is a
 * CallauditError: E_REMOTE (Graph refused, failed or answered something unreadable, after the
 * retries), E_USAGE (a bad URL), E_INTERRUPTED (the signal aborted). No message carries a secret.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ErrorCode, fail, isCallauditError } from '../errors.js';
import type { CallauditError } from '../errors.js';
import { networkReason, readCapped, retryAfter } from '../net/http.js';
import type { GraphAuth, TokenSource } from './auth.js';
import { checkServiceUrl, createTokenSource, redactSecrets } from './auth.js';

export const DEFAULT_GRAPH_URL = 'https://graph.microsoft.com';
/** Requests in flight at once, by default: see README (Graph's callRecords limits). */
export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 16;

export interface GraphRetryEvent {
  /** throttled: 429 or 503 (waits Retry-After); retry: another 5xx, a timeout or a network failure. */
  readonly kind: 'throttled' | 'retry';
  /** What was asked (path, no query). */
  readonly what: string;
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: string;
}

export interface GraphClientOptions {
  /** Graph's root, default https://graph.microsoft.com (national clouds: their own). http only to loopback. */
  readonly graphUrl?: string;
  readonly auth: GraphAuth;
  /** Requests in flight at once (1..16). Default 4. */
  readonly concurrency?: number;
  /** Retries of one request after a 5xx (not 503), a timeout or a network failure. Default 5. */
  readonly retries?: number;
  /** Waits of one request after 429 / 503. Default 20. */
  readonly throttleRetries?: number;
  /** Bound on one HTTP attempt. Default 100 s. */
  readonly requestTimeoutMs?: number;
  /** First backoff delay, doubling each retry, jittered between half and all of it. Default 1 s. */
  readonly retryDelayMs?: number;
  /** Longest backoff, and the longest Retry-After waited (longer: fail). Default 5 min. */
  readonly maxRetryDelayMs?: number;
  /** Larger responses are refused. Default 256 MiB. */
  readonly maxResponseBytes?: number;
  /** Injectable for tests. */
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  /** Wall clock in epoch milliseconds (token expiry, Retry-After dates, throttling pauses). */
  readonly now?: () => number;
  readonly onRetry?: (event: GraphRetryEvent) => void;
}

export interface GetOptions {
  /** Aborts the request and its waits. */
  readonly signal?: AbortSignal;
  /** Aborts the waits only (see GraphClient.get). */
  readonly stop?: AbortSignal;
  /** A 404 is a result (`not_found`), not an error. */
  readonly notFoundOk?: boolean;
}

export type GraphResult = { readonly status: 'ok'; readonly body: Record<string, unknown> } | { readonly status: 'not_found'; readonly reason: string };

export interface GraphStats {
  requests: number;
  retried: number;
  throttled: number;
  /** Most requests in flight at once. */
  peak: number;
}

/** What one attempt came to. */
type Attempt =
  | { readonly result: GraphResult }
  | { readonly kind: 'throttled' | 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly kind: 'fatal'; readonly reason: string }
  | { readonly kind: 'unauthorized'; readonly reason: string; readonly token: string };

export class GraphClient {
  readonly base: URL;
  readonly stats: GraphStats = { requests: 0, retried: 0, throttled: 0, peak: 0 };
  private readonly tokens: TokenSource;
  private readonly slots: Slots;
  private readonly concurrency: number;
  private readonly retries: number;
  private readonly throttleRetries: number;
  private readonly requestTimeoutMs: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly maxResponseBytes: number;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly onRetry: ((event: GraphRetryEvent) => void) | undefined;
  /** After a 429 / 503, no request starts before this time. */
  private pausedUntil = 0;

  constructor(options: GraphClientOptions) {
    this.base = checkServiceUrl(options.graphUrl ?? DEFAULT_GRAPH_URL, '--graph-url');
    this.concurrency = integer(options.concurrency, DEFAULT_CONCURRENCY, 1, MAX_CONCURRENCY, 'concurrency');
    this.retries = integer(options.retries, 5, 0, 100, 'retries');
    this.throttleRetries = integer(options.throttleRetries, 20, 0, 1000, 'throttleRetries');
    this.requestTimeoutMs = positive(options.requestTimeoutMs, 100_000, 'requestTimeoutMs');
    this.retryDelayMs = Math.max(0, options.retryDelayMs ?? 1000);
    this.maxRetryDelayMs = Math.max(0, options.maxRetryDelayMs ?? 300_000);
    this.maxResponseBytes = positive(options.maxResponseBytes, 256 * 1024 * 1024, 'maxResponseBytes');
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, signal === undefined ? {} : { signal }));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.onRetry = options.onRetry;
    this.slots = new Slots(this.concurrency, (active) => {
      this.stats.peak = Math.max(this.stats.peak, active);
    });
    this.tokens = createTokenSource(options.auth, { graphOrigin: this.base.origin, fetch: this.fetchFn, now: this.now, timeoutMs: this.requestTimeoutMs });
  }

  /** A URL under Graph's root: `path` is relative to it (e.g. `v1.0/communications/callRecords`). */
  url(path: string, query: Record<string, string> = {}): URL {
    const url = new URL(`${this.base.pathname.replace(/\/+$/, '')}/${path}`, this.base);
    // Graph wants its $-options with a literal $ and %20 for spaces, not '+'.
    url.search = Object.entries(query)
      .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
      .join('&');
    return url;
  }

  /** A nextLink from a response, checked: the same origin as Graph's root (the token goes nowhere else). */
  link(value: unknown, where: string): URL {
    let url: URL | null = null;
    if (typeof value === 'string') {
      try {
        url = new URL(value);
      } catch {
        url = null;
      }
    }
    if (url === null) throw fail(ErrorCode.Remote, `${where}: the nextLink is not a URL`);
    if (url.origin !== this.base.origin)
      throw fail(ErrorCode.Remote, `${where}: refusing to follow a nextLink to ${url.origin} (not ${this.base.origin}): the token would go there`);
    return url;
  }

  /** Strings that must never appear in output: the token and the client secret. */
  secrets(): readonly string[] {
    return this.tokens.secrets;
  }

  tokensIssued(): number {
    return this.tokens.issued();
  }

  /**
   * GETs one JSON object. A 404 is `not_found` when `notFoundOk`, else E_REMOTE. `signal` aborts
   * everything (E_INTERRUPTED); `stop` only the waits (for a request slot, a backoff, a throttling
   * pause): a request on the wire is let finish, so what Graph sent is not thrown away.
   */
  async get(url: URL, options: GetOptions = {}): Promise<GraphResult> {
    const what = url.pathname;
    let tries = 0;
    let waits = 0;
    let reauthorized = false;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.slots.run(
        () => this.attemptOnce(url, options),
        this.waitSignal(options),
        () => this.interrupted(what, undefined),
      );
      if ('result' in outcome) return outcome.result;
      if (outcome.kind === 'unauthorized') {
        // A renewable token may have been revoked or expired early: one fresh token, once.
        if (!reauthorized && this.tokens.refused(outcome.token)) {
          reauthorized = true;
          continue;
        }
        throw this.failure(`${what}: ${outcome.reason}`);
      }
      if (outcome.kind === 'fatal') throw this.failure(`${what}: ${outcome.reason}`);
      const throttled = outcome.kind === 'throttled';
      const count = throttled ? ++waits : ++tries;
      const limit = throttled ? this.throttleRetries : this.retries;
      const tried = `${attempt} attempt${attempt === 1 ? '' : 's'}`;
      if (count > limit) throw this.failure(`${what}: ${outcome.reason} (${tried})`);
      const backoff = Math.min(this.maxRetryDelayMs, this.retryDelayMs * 2 ** (count - 1));
      const delayMs = outcome.retryAfterMs ?? backoff * (0.5 + this.random() / 2);
      if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > this.maxRetryDelayMs) {
        throw this.failure(
          `${what}: ${outcome.reason}; Graph asks to retry after ${outcome.retryAfterMs} ms, longer than the ${this.maxRetryDelayMs} ms limit (${tried})`,
        );
      }
      if (throttled) {
        this.stats.throttled++;
        this.pausedUntil = Math.max(this.pausedUntil, this.now() + delayMs);
      } else this.stats.retried++;
      this.onRetry?.({ kind: outcome.kind, what, attempt, delayMs, reason: outcome.reason });
      await this.wait(delayMs, this.waitSignal(options), what);
    }
  }

  private waitSignal(options: GetOptions): AbortSignal | undefined {
    const signals = [options.signal, options.stop].filter((signal): signal is AbortSignal => signal !== undefined);
    return signals.length < 2 ? signals[0] : AbortSignal.any(signals);
  }

  private async attemptOnce(url: URL, options: GetOptions): Promise<Attempt> {
    const pause = this.pausedUntil - this.now();
    if (pause > 0) await this.wait(pause, this.waitSignal(options), url.pathname);
    if (options.stop?.aborted) throw this.interrupted(url.pathname, options.stop.reason);
    const answer = await this.tokens.get(options.signal);
    // a token request that failed for now is retried as this request would be
    if (!('token' in answer)) return answer;
    const token = answer.token;
    const timeout = AbortSignal.timeout(this.requestTimeoutMs);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
    this.stats.requests++;
    let response: Response;
    let body: Uint8Array;
    try {
      response = await this.fetchFn(url, {
        method: 'GET',
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        redirect: 'manual',
        signal,
      });
      body = await readCapped(response, this.maxResponseBytes);
    } catch (error) {
      if (options.signal?.aborted) throw this.interrupted(url.pathname, error);
      if (isCallauditError(error)) return { kind: 'fatal', reason: error.message };
      return { kind: 'retry', reason: timeout.aborted ? `no response within ${this.requestTimeoutMs} ms` : `request failed: ${networkReason(error)}` };
    }
    const status = response.status;
    const statusText = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`;
    if (status === 429 || status === 503) {
      const retryAfterMs = retryAfter(response.headers.get('retry-after'), this.now());
      return retryAfterMs === undefined ? { kind: 'throttled', reason: statusText } : { kind: 'throttled', reason: statusText, retryAfterMs };
    }
    if (status >= 200 && status < 300) {
      const parsed = parseJsonObject(body);
      // A 200 cut short without a network error (rare) is retried like a dropped connection.
      return parsed === null
        ? { kind: 'retry', reason: `${statusText} with a body that is not a JSON object (${body.byteLength} bytes)` }
        : { result: { status: 'ok', body: parsed } };
    }
    const detail = graphError(body);
    if (status === 404 && options.notFoundOk) return { result: { status: 'not_found', reason: `${statusText}${detail}` } };
    if (status === 401)
      return {
        kind: 'unauthorized',
        token,
        reason: `${statusText}${detail}: Graph refused the token (expired, revoked, or issued for another tenant or audience)`,
      };
    if (status === 403)
      return { kind: 'fatal', reason: `${statusText}${detail}: the app lacks the application permission CallRecords.Read.All (with admin consent)` };
    if (status >= 300 && status < 400) return { kind: 'fatal', reason: `${statusText}: redirected; callaudit does not follow redirects (check --graph-url)` };
    if (status >= 500) return { kind: 'retry', reason: `${statusText}${detail}` };
    return { kind: 'fatal', reason: `${statusText}${detail}` };
  }

  private async wait(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
    try {
      await this.sleep(ms, signal);
    } catch (error) {
      throw this.interrupted(what, error);
    }
    if (signal?.aborted) throw this.interrupted(what, signal.reason);
  }

  private failure(message: string): CallauditError {
    return fail(ErrorCode.Remote, redactSecrets(message, this.tokens.secrets));
  }

  private interrupted(what: string, cause: unknown): CallauditError {
    return fail(ErrorCode.Interrupted, `${what}: interrupted`, { cause });
  }
}

/** A counting semaphore, first come first served. */
class Slots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(
    private readonly size: number,
    private readonly onAcquire: (active: number) => void,
  ) {}

  /** Runs `work` in a slot; `signal` abandons the wait for one (rejecting with `abandoned()`). */
  async run<T>(work: () => Promise<T>, signal: AbortSignal | undefined, abandoned: () => Error): Promise<T> {
    if (signal?.aborted) throw abandoned();
    if (this.active >= this.size) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          const at = this.waiting.indexOf(take);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(abandoned());
        };
        const take = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        this.waiting.push(take);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    } else this.active++;
    this.onAcquire(this.active);
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) this.active--;
      else next(); // the slot passes straight to the next caller
    }
  }
}

/** ` (code: message)` from a Graph error body `{"error": {"code", "message"}}`, or ''. */
function graphError(body: Uint8Array): string {
  const error = parseJsonObject(body)?.error as { code?: unknown; message?: unknown } | undefined;
  if (typeof error !== 'object' || error === null) return '';
  const parts = [error.code, error.message].filter((part): part is string => typeof part === 'string' && part !== '');
  return parts.length === 0 ? '' : ` (${parts.join(': ').slice(0, 300)})`;
}

function parseJsonObject(body: Uint8Array): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function integer(value: number | undefined, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw fail(ErrorCode.Usage, `${name} must be an integer from ${min} to ${max}, not ${value}`);
  return value;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw fail(ErrorCode.Usage, `${name} must be a positive number, not ${value}`);
  return value;
}
