/**
 * Access tokens for Microsoft Graph: a bearer token given as is, or app-only client credentials
 * (OAuth 2.0 client_credentials grant against the Microsoft identity platform), renewed before it
 * expires. Secrets (the token, the client secret) never enter a message: every message this module
 * makes goes through `redactSecrets`. A token request that fails in a way worth retrying (a network
 * failure, a timeout, a 5xx, 429) is answered as such (TokenAnswer), and the Graph client retries
 * it as it retries its own requests: bounded, with backoff, waiting out Retry-After.
 */
import { ErrorCode, fail } from '../errors.js';
import { isLoopback, networkReason, readCapped, retryAfter } from '../net/http.js';

/** How callaudit authenticates to Graph. */
export type GraphAuth =
  | { readonly kind: 'token'; readonly token: string }
  | {
      readonly kind: 'clientCredentials';
      readonly tenant: string;
      readonly clientId: string;
      readonly clientSecret: string;
      /** The identity platform, default https://login.microsoftonline.com (national clouds have their own). */
      readonly authorityUrl?: string;
    };

export const DEFAULT_AUTHORITY_URL = 'https://login.microsoftonline.com';

/** Renew this long before expiry at the most (or at half the token's lifetime when that is shorter). */
const RENEW_MARGIN_MS = 5 * 60_000;
const TOKEN_TIMEOUT_MS = 30_000;

/**
 * A token, or why none can be had right now: `throttled` (429 / 503, with the Retry-After asked
 * for) or `retry` (a 5xx, a timeout, a network failure). Refusals (4xx, an unreadable answer) are
 * E_REMOTE errors instead.
 */
export type TokenAnswer = { readonly token: string } | { readonly kind: 'throttled' | 'retry'; readonly reason: string; readonly retryAfterMs?: number };

export interface TokenSource {
  /** A token valid now (renewed first when close to expiry), or why not yet (retry later). */
  get(signal?: AbortSignal): Promise<TokenAnswer>;
  /** The token was refused (401): forget it, so the next get() asks for a new one. Returns whether a new one can be had. */
  refused(token: string): boolean;
  /** Strings that must never appear in a message. */
  readonly secrets: readonly string[];
  /** Tokens issued so far (1 for a given token). */
  readonly issued: () => number;
}

export interface TokenSourceOptions {
  /** Graph's origin: the token's audience (`<origin>/.default`). */
  readonly graphOrigin: string;
  readonly fetch: typeof fetch;
  readonly now: () => number;
  /** Bound on one token request (at most 30 s, the default). */
  readonly timeoutMs?: number;
}

export function createTokenSource(auth: GraphAuth, options: TokenSourceOptions): TokenSource {
  if (auth.kind === 'token') {
    if (auth.token.trim() === '') throw fail(ErrorCode.Usage, 'the Graph token is empty');
    if (/[\r\n]/.test(auth.token)) throw fail(ErrorCode.Usage, 'the Graph token holds a line break');
    return { get: async () => ({ token: auth.token }), refused: () => false, secrets: [auth.token], issued: () => 1 };
  }
  return clientCredentials(auth, options);
}

function clientCredentials(auth: Extract<GraphAuth, { kind: 'clientCredentials' }>, options: TokenSourceOptions): TokenSource {
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(auth.tenant)) throw fail(ErrorCode.Usage, `--tenant ${JSON.stringify(auth.tenant)} is not a tenant id or domain`);
  if (!/^[A-Za-z0-9-]+$/.test(auth.clientId)) throw fail(ErrorCode.Usage, `--client-id ${JSON.stringify(auth.clientId)} is not an application (client) id`);
  if (auth.clientSecret === '') throw fail(ErrorCode.Usage, 'the client secret is empty');
  const authority = checkServiceUrl(auth.authorityUrl ?? DEFAULT_AUTHORITY_URL, '--authority-url');
  const endpoint = new URL(`${authority.pathname.replace(/\/+$/, '')}/${auth.tenant}/oauth2/v2.0/token`, authority);
  const secrets: string[] = [auth.clientSecret];
  const redactAll = (text: string): string => redactSecrets(text, secrets);
  let current: { token: string; renewAt: number } | null = null;
  let pending: Promise<TokenAnswer> | null = null;
  let issued = 0;
  const timeoutMs = Math.min(TOKEN_TIMEOUT_MS, options.timeoutMs ?? TOKEN_TIMEOUT_MS);

  const request = async (signal: AbortSignal | undefined): Promise<TokenAnswer> => {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: auth.clientId,
      client_secret: auth.clientSecret,
      scope: `${options.graphOrigin}/.default`,
    });
    const timeout = AbortSignal.timeout(timeoutMs);
    const what = `token request to ${endpoint.origin}${endpoint.pathname}`;
    let status: number;
    let retryAfterHeader: string | null;
    let text: string;
    try {
      const response = await options.fetch(endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: body.toString(),
        redirect: 'manual',
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      });
      status = response.status;
      retryAfterHeader = response.headers.get('retry-after');
      text = Buffer.from(await readCapped(response, 1 << 20)).toString('utf8');
    } catch (error) {
      if (signal?.aborted) throw fail(ErrorCode.Interrupted, `${what}: interrupted`);
      return {
        kind: 'retry',
        reason: redactAll(`${what}: ${timeout.aborted ? `no response within ${timeoutMs} ms` : `request failed: ${networkReason(error)}`}`),
      };
    }
    const answer = parseObject(text);
    if (status !== 200) {
      const code = typeof answer?.error === 'string' ? answer.error : '';
      const description = typeof answer?.error_description === 'string' ? answer.error_description.split(/\r?\n/)[0]! : '';
      const detail = [code, description].filter((part) => part !== '').join(': ') || 'no error description';
      const reason = redactAll(`${what}: HTTP ${status}: ${detail}`);
      if (status === 429 || status === 503) {
        const retryAfterMs = retryAfter(retryAfterHeader, options.now());
        return retryAfterMs === undefined ? { kind: 'throttled', reason } : { kind: 'throttled', reason, retryAfterMs };
      }
      if (status >= 500) return { kind: 'retry', reason };
      throw fail(ErrorCode.Remote, `${reason} (check --tenant, --client-id and the client secret)`);
    }
    const token = answer?.access_token;
    const expiresIn = Number(answer?.expires_in);
    if (typeof token !== 'string' || token === '' || /[\r\n]/.test(token) || !Number.isFinite(expiresIn) || expiresIn <= 0) {
      throw fail(ErrorCode.Remote, `${what}: the answer holds no access_token with expires_in`);
    }
    secrets.push(token);
    issued++;
    const lifetimeMs = expiresIn * 1000;
    current = { token, renewAt: options.now() + lifetimeMs - Math.min(RENEW_MARGIN_MS, lifetimeMs / 2) };
    return { token };
  };

  return {
    secrets,
    issued: () => issued,
    get(signal) {
      if (current !== null && options.now() < current.renewAt) return Promise.resolve({ token: current.token });
      // One request at a time: concurrent callers share it.
      pending ??= request(signal).finally(() => {
        pending = null;
      });
      return pending;
    },
    refused(token) {
      if (current?.token === token) current = null;
      return true;
    },
  };
}

/** An http(s) service URL; plain http only to a loopback address; no credentials in it. */
export function checkServiceUrl(text: string, option: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw fail(ErrorCode.Usage, `${option} ${JSON.stringify(text)} is not a valid URL`, { cause: error });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw fail(ErrorCode.Usage, `${option} must be https, not ${url.protocol}`);
  if (url.protocol === 'http:' && !isLoopback(url.hostname))
    throw fail(ErrorCode.Usage, `${option}: refusing plain http to ${url.hostname}: use https (http is allowed only to loopback addresses)`);
  if (url.username !== '' || url.password !== '') throw fail(ErrorCode.Usage, `${option} must not carry credentials`);
  if (url.search !== '' || url.hash !== '') throw fail(ErrorCode.Usage, `${option} must not carry a query or fragment`);
  return url;
}

/** The text with every secret (of 4 characters or more), also URL- or form-encoded, replaced by [redacted]. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    // as is, and as it travels in a URL or a form body
    for (const form of new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]))
      out = out.split(form).join('[redacted]');
  }
  return out;
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
