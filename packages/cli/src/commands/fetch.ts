/**
 * `callaudit fetch`: download from Microsoft Graph what `report` reads.
 * - `fetch`: the call records of a window, each complete (every session and participant page).
 * - `fetch pstn`, `fetch direct-routing`: the PSTN and Direct Routing logs of a window.
 * Thin: parse options, take credentials from the environment, call @callaudit/core, show progress.
 */
import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import {
  DEFAULT_AUTHORITY_URL,
  DEFAULT_CONCURRENCY,
  DEFAULT_GRAPH_URL,
  ErrorCode,
  fail,
  fetchCallLogs,
  fetchCallRecords,
  MAX_CONCURRENCY,
  redactSecrets,
} from '@callaudit/core';
import type { CallLogKind, FetchOptions, FetchProgress, FetchResult, GraphAuth, GraphRetryEvent } from '@callaudit/core';
import type { Io } from '../io.js';
import { parseDate, parseDuration } from '../options.js';

/** The environment variables credentials come from (never from arguments). */
export const GRAPH_ENV = { token: 'CALLAUDIT_GRAPH_TOKEN', secret: 'CALLAUDIT_GRAPH_CLIENT_SECRET' } as const;

interface FetchFlags {
  since?: Date;
  until?: Date;
  out?: string;
  resume?: boolean;
  graphUrl: string;
  tenant?: string;
  clientId?: string;
  authorityUrl: string;
  concurrency: number;
  retries: number;
  retryDelay: number;
  requestTimeout: number;
  maxRetryWait: number;
  shardRecords: number;
  quiet?: boolean;
}

const AUTH_HELP = `
Credentials come from the environment only, never from arguments:
  ${GRAPH_ENV.token}=<token>            a Graph access token, sent as is (it is not renewed)
  --tenant <t> --client-id <id> with ${GRAPH_ENV.secret}=<secret>
                                   app-only client credentials; the token is asked for at
                                   --authority-url and renewed before it expires
The app needs the application permission CallRecords.Read.All (PSTN and Direct Routing logs: the
same), with admin consent. Secrets never appear in messages or outputs. Plain http is refused except
to loopback addresses.`;

const RECORDS_HELP = `${AUTH_HELP}

Writes <out>/records/part-NNNNN.ndjson.gz (one complete record a line, in list order), manifest.json
(window, counts, shards and the ids in them, missing records), listed.txt (the ids listed) and
missing.jsonl (records that answered 404: older than 30 days, or deleted). Then:
  $ callaudit report <out>/records --out <report>

Graph keeps call records for 30 days: a window reaching back further warns, and the older records
answer 404. An interrupted fetch (Ctrl-C, a failure) keeps what it wrote: run the same command with
--resume and it continues without fetching a record twice.

Examples:
  $ CALLAUDIT_GRAPH_TOKEN=$(cat token) callaudit fetch --since 2026-11-01 --until 2026-11-08 --out nov-w1
  $ CALLAUDIT_GRAPH_CLIENT_SECRET=... callaudit fetch --tenant contoso.onmicrosoft.com --client-id <app-id> \\
      --since 2026-11-01 --until 2026-11-08 --out nov-w1 --resume
  $ callaudit fetch pstn --since 2026-01-01 --until 2026-11-01 --out pstn-2026`;

const LOGS_HELP = (name: string, sub: string): string => `${AUTH_HELP}

Calls ${name}(fromDateTime, toDateTime) in requests of at most 90 days (a longer window is cut),
follows every page, and writes <out>/${sub}/part-NNNNN.ndjson.gz (one row a line) and manifest.json.
--resume continues at the first 90-day piece not finished.`;

/** Options every fetch command takes. */
function windowOptions(command: Command): Command {
  return command
    .option('--since <date>', 'start of the window (calls that started at or after it); ISO-8601, a bare date is midnight UTC', parseDate)
    .option('--until <date>', 'end of the window (calls that started before it)', parseDate)
    .option('-o, --out <dir>', 'the fetch folder (new or empty; with --resume, the one to continue)')
    .option('--resume', 'continue the fetch the folder holds (starts one if the folder is new)')
    .option('--graph-url <url>', 'Graph root (national clouds: https://graph.microsoft.us, https://microsoftgraph.chinacloudapi.cn, ...)', DEFAULT_GRAPH_URL)
    .option('--tenant <tenant>', 'tenant id or domain, for client credentials')
    .option('--client-id <id>', 'application (client) id, for client credentials')
    .option('--authority-url <url>', 'the identity platform, for client credentials', DEFAULT_AUTHORITY_URL)
    .option('--concurrency <n>', `requests in flight at once (1 to ${MAX_CONCURRENCY})`, count(1, MAX_CONCURRENCY), DEFAULT_CONCURRENCY)
    .option('--retries <n>', 'retries of a request on 5xx, timeouts and network failures (429 / 503 are waited out, 20 times at most)', count(0, 20), 5)
    .option('--retry-delay <duration>', 'first backoff; doubles each retry, jittered', parseDuration, 1000)
    .option('--max-retry-wait <duration>', 'longest backoff, and longest Retry-After callaudit waits (longer: it stops)', parseDuration, 300_000)
    .option('--request-timeout <duration>', 'bound on one request', parseDuration, 100_000)
    .option('--shard-records <n>', 'records (rows) per output shard', count(1, 1_000_000), 1000)
    .option('-q, --quiet', 'no progress, no summary');
}

export function registerFetchCommand(program: Command, io: Io): void {
  const fetch = windowOptions(
    program
      .command('fetch')
      .description(
        'Download the call records of a window from Microsoft Graph, each complete (every session and participant page), as gzip NDJSON that report reads.',
      )
      .enablePositionalOptions(),
  )
    .addHelpText('after', RECORDS_HELP)
    .action(async (flags: FetchFlags) => {
      await run('records', flags, io);
    });
  windowOptions(fetch.command('pstn').description('Download the PSTN call logs of a window (getPstnCalls).'))
    .addHelpText('after', LOGS_HELP('getPstnCalls', 'pstn'))
    .action(async (flags: FetchFlags) => {
      await run('pstn', flags, io);
    });
  windowOptions(fetch.command('direct-routing').description('Download the Direct Routing call logs of a window (getDirectRoutingCalls).'))
    .addHelpText('after', LOGS_HELP('getDirectRoutingCalls', 'direct-routing'))
    .action(async (flags: FetchFlags) => {
      await run('directRouting', flags, io);
    });
}

async function run(what: 'records' | CallLogKind, flags: FetchFlags, io: Io): Promise<void> {
  if (flags.since === undefined || flags.until === undefined || flags.out === undefined) {
    const missing = [
      flags.since === undefined ? '--since' : null,
      flags.until === undefined ? '--until' : null,
      flags.out === undefined ? '--out' : null,
    ].filter((name) => name !== null);
    throw fail(ErrorCode.Usage, `fetch needs ${missing.join(', ')}`);
  }
  const auth = authFromEnv(flags, io.env);
  const secrets = auth.kind === 'token' ? [auth.token] : [auth.clientSecret];
  const say = (line: string): void => void io.stderr.write(`callaudit: ${redactSecrets(line, secrets)}\n`);
  let last = 0;
  let latest: FetchProgress | null = null;
  const options: FetchOptions = {
    graphUrl: flags.graphUrl,
    auth,
    since: flags.since,
    until: flags.until,
    out: resolve(io.cwd, flags.out),
    resume: flags.resume === true,
    concurrency: flags.concurrency,
    retries: flags.retries,
    retryDelayMs: flags.retryDelay,
    maxRetryDelayMs: flags.maxRetryWait,
    requestTimeoutMs: flags.requestTimeout,
    shard: { records: flags.shardRecords },
    ...(io.signal === undefined ? {} : { signal: io.signal }),
    onWarning: (message) => say(`warning: ${message}`),
    ...(flags.quiet
      ? {}
      : {
          onRetry: (event: GraphRetryEvent) =>
            say(`${event.kind === 'throttled' ? 'throttled' : 'retry'}: ${event.what}: ${event.reason}; waiting ${formatMs(event.delayMs)}`),
          onProgress: (progress: FetchProgress) => {
            latest = progress;
            const now = Date.now();
            if (now - last < 2000 && progress.phase !== 'done') return;
            last = now;
            say(progressLine(what, progress));
          },
        }),
  };
  let result: FetchResult;
  try {
    result = what === 'records' ? await fetchCallRecords(options) : await fetchCallLogs(what, options);
  } catch (error) {
    if (!flags.quiet && latest !== null) say(progressLine(what, latest));
    throw error;
  }
  if (flags.quiet) return;
  const { counts } = result.manifest;
  const sub = what === 'records' ? 'records' : what === 'pstn' ? 'pstn' : 'direct-routing';
  const written = what === 'records' ? `${counts.written} records (${counts.missing} missing, listed in missing.jsonl)` : `${counts.written} rows`;
  io.stdout.write(
    `fetched ${written} into ${result.out}/${sub} in ${result.manifest.shards.length} shard(s); ` +
      `${counts.requests} requests, ${counts.retried} retried, ${counts.throttled} throttled\n` +
      (what === 'records' ? `next: callaudit report ${result.out}/records --out <report folder>\n` : ''),
  );
}

function progressLine(what: 'records' | CallLogKind, progress: FetchProgress): string {
  const c = progress.counts;
  const tail = `${c.requests} requests, ${c.retried} retried, ${c.throttled} throttled`;
  if (what !== 'records') return `fetch: ${c.written} rows, ${c.listPages} pages, ${progress.pending} piece(s) of the window to go; ${tail}`;
  if (progress.phase === 'listing') return `fetch: listing, ${c.listPages} page(s) read; ${tail}`;
  return `fetch: listed ${c.listed}, fetched ${c.written}, missing ${c.missing}, ${progress.pending} to go; ${tail}`;
}

/** Credentials: CALLAUDIT_GRAPH_TOKEN, or --tenant + --client-id + CALLAUDIT_GRAPH_CLIENT_SECRET. */
export function authFromEnv(flags: Pick<FetchFlags, 'tenant' | 'clientId' | 'authorityUrl'>, env: NodeJS.ProcessEnv): GraphAuth {
  const token = env[GRAPH_ENV.token] || undefined;
  const secret = env[GRAPH_ENV.secret] || undefined;
  const app = flags.tenant !== undefined || flags.clientId !== undefined;
  if (token !== undefined && (app || secret !== undefined))
    throw fail(ErrorCode.Usage, `set either ${GRAPH_ENV.token} or client credentials (--tenant, --client-id, ${GRAPH_ENV.secret}), not both`);
  if (token !== undefined) return { kind: 'token', token };
  if (!app && secret === undefined)
    throw fail(ErrorCode.Usage, `no credentials: set ${GRAPH_ENV.token}, or give --tenant and --client-id with ${GRAPH_ENV.secret}`);
  if (flags.tenant === undefined || flags.clientId === undefined || secret === undefined) {
    throw fail(ErrorCode.Usage, `client credentials need --tenant, --client-id and ${GRAPH_ENV.secret} together`);
  }
  return { kind: 'clientCredentials', tenant: flags.tenant, clientId: flags.clientId, clientSecret: secret, authorityUrl: flags.authorityUrl };
}

function count(min: number, max: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`"${text}" is not a whole number from ${min} to ${max}`);
    return n;
  };
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
