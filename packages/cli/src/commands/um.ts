/**
 * `callaudit um`: the Exchange Unified Messaging web service.
 * - `um call-info`: ask GetCallInfo for one outbound call, once or until it is Disconnected.
 * - `um report`: audit saved poll logs (SOAP responses or JSON Lines) into per-call and rollup tables.
 * Thin: parse options, read credentials from the environment, call @callaudit/core, print.
 */
import { resolve } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { ErrorCode, createUmClient, fail, faultError, runUmReport, watchCallInfo } from '@callaudit/core';
import type { CallInfoSample, UmAuth, UmClient, UmReportFormat } from '@callaudit/core';
import type { Io } from '../io.js';
import { ExitCode } from '../exit-codes.js';
import { parseDuration, splitList } from '../options.js';

/** The environment variables credentials come from (never from arguments). */
export const UM_ENV = { token: 'CALLAUDIT_UM_TOKEN', user: 'CALLAUDIT_UM_USER', password: 'CALLAUDIT_UM_PASSWORD' } as const;

interface CallInfoFlags {
  url: string;
  callId: string;
  watch?: boolean;
  interval: number;
  timeout: number;
  requestTimeout: number;
  retries: number;
  retryDelay: number;
  json?: boolean;
}

interface ReportFlags {
  out: string;
  force?: boolean;
  format: string[];
  csvRaw?: boolean;
  failOnRejects?: boolean;
  quiet?: boolean;
}

const CALL_INFO_HELP = `
Credentials come from the environment only:
  ${UM_ENV.token}=<token>                       sent as "Authorization: Bearer <token>"
  ${UM_ENV.user}=<user> ${UM_ENV.password}=<pw>  sent as Basic authentication
Set one or the other (or neither). Credentials are never sent over plain http except to loopback.

Output: one line per answer, "<CallState> (cause <EventCause>)"; with --watch each change is
prefixed by its time. --json prints JSON Lines {time, callId, callState, eventCause, unrecognized},
the format "callaudit um report" reads. A SOAP fault prints its code and message and exits ${ExitCode.Remote}.

Examples:
  $ CALLAUDIT_UM_TOKEN=$(cat token) callaudit um call-info --url https://mail.example.com/UnifiedMessaging/Service.asmx --call-id MDlkZjll...
  $ callaudit um call-info --url https://um.example.com/um.asmx --call-id MDlkZjll... --watch --interval 1s --timeout 2m
  $ callaudit um call-info --url https://um.example.com/um.asmx --call-id MDlkZjll... --watch --json >> polls.jsonl`;

const REPORT_HELP = `
Inputs (see packages/core/src/um/README.md):
  *.jsonl / *.ndjson   JSON Lines, one poll a line: {"time","callId","callState","eventCause"}
  *.xml                a saved GetCallInfo response named <time>_<callId>.xml, where <time> is
                       basic ISO-8601 UTC (20260314T101502Z or 20260314T101502.250Z) and <callId>
                       is the CallId in base64url (+ as -, / as _, padding optional)
  folders              every *.xml, *.jsonl and *.ndjson file below them
Writes um_calls, um_daily and um_causes (CSV and/or Parquet), rejects.jsonl and summary.json.

Examples:
  $ callaudit um report polls.jsonl --out um-audit
  $ callaudit um report saved-responses/ more-polls.jsonl --out um-audit --format parquet --force`;

export function registerUmCommand(program: Command, io: Io): void {
  const um = program.command('um').description('Exchange Unified Messaging: outbound call state (GetCallInfo) and poll-log audits.');

  um.command('call-info')
    .description('Ask the UM web service for the state of an outbound call (GetCallInfo); --watch polls until Disconnected.')
    .requiredOption('--url <endpoint>', 'UM web service endpoint (http or https)')
    .requiredOption('--call-id <id>', 'the CallId PlayOnPhone returned')
    .option('--watch', 'poll until the call is Disconnected, printing each change')
    .option('--interval <duration>', 'pause between polls with --watch', parseDuration, 2_000)
    .option('--timeout <duration>', 'give up after this long (with --watch: waiting for Disconnected)', parseDuration, 300_000)
    .option('--request-timeout <duration>', 'bound on one HTTP request', parseDuration, 30_000)
    .option('--retries <n>', 'retries on 5xx, 429 and network failures', parseCount, 3)
    .option('--retry-delay <duration>', 'first retry delay; doubles each retry (Retry-After wins when sent)', parseDuration, 500)
    .option('--json', 'print JSON Lines instead of text')
    .addHelpText('after', CALL_INFO_HELP)
    .action(async (flags: CallInfoFlags) => {
      await callInfo(flags, io);
    });

  um.command('report')
    .description('Audit UM poll logs: per-call outcome (first/last seen, final state and cause, time to Alerted/Connected) and rollups by day and by cause.')
    .argument('<inputs...>', 'JSON Lines files, saved SOAP responses, or folders of them')
    .requiredOption('-o, --out <dir>', 'output folder (created; see --force)')
    .addOption(new Option('--format <list>', 'output formats, comma-separated: csv, parquet').default(['csv', 'parquet'], 'csv,parquet').argParser(splitList))
    .option('--csv-raw', 'write CSV text cells as they are (no spreadsheet formula neutralization)')
    .option('--force', 'replace an existing output folder')
    .option('--fail-on-rejects', `exit with code ${ExitCode.Rejects} when any poll line or file was rejected`)
    .option('-q, --quiet', 'no summary on the terminal')
    .addHelpText('after', REPORT_HELP)
    .action(async (inputs: string[], flags: ReportFlags) => {
      await report(inputs, flags, io);
    });
}

async function callInfo(flags: CallInfoFlags, io: Io): Promise<void> {
  const client = createUmClient({
    url: flags.url,
    ...authFromEnv(io.env),
    requestTimeoutMs: flags.requestTimeout,
    retries: flags.retries,
    retryDelayMs: flags.retryDelay,
    ...(io.signal === undefined ? {} : { signal: io.signal }),
    onRetry: (event) => io.stderr.write(`callaudit: ${event.operation}: ${event.reason}; retry ${event.attempt} in ${formatMs(event.delayMs)}\n`),
  });
  if (!flags.watch) {
    const result = await client.getCallInfo(flags.callId, { deadline: Date.now() + flags.timeout });
    print({ time: Date.now(), callId: flags.callId, result }, flags, client, io);
    return;
  }
  const samples = watchCallInfo(client, flags.callId, {
    intervalMs: flags.interval,
    timeoutMs: flags.timeout,
    ...(io.signal === undefined ? {} : { signal: io.signal }),
  });
  for await (const sample of samples) print(sample, flags, client, io);
}

/** Prints one answer; a fault is printed, then thrown as E_REMOTE. */
function print(sample: CallInfoSample, flags: CallInfoFlags, client: UmClient, io: Io): void {
  const { result } = sample;
  const time = new Date(sample.time).toISOString();
  if (flags.json) {
    const line = result.ok
      ? { time, callId: sample.callId, callState: result.value.callState, eventCause: result.value.eventCause, unrecognized: result.value.unrecognized }
      : { time, callId: sample.callId, fault: { code: result.fault.code, message: result.fault.message, exceptionType: result.fault.exceptionType } };
    io.stdout.write(`${JSON.stringify(line)}\n`);
  } else if (result.ok) {
    const { callState, eventCause, unrecognized } = result.value;
    const flagged = unrecognized.length === 0 ? '' : ` [unrecognized: ${unrecognized.join(', ')}]`;
    io.stdout.write(`${flags.watch ? `${time} ` : ''}${callState} (cause ${eventCause})${flagged}\n`);
  }
  if (!result.ok) throw faultError('GetCallInfo', result.fault, client.url);
}

/** Credentials from the environment: a Bearer token, or Basic user and password, or none. */
export function authFromEnv(env: NodeJS.ProcessEnv): { auth?: UmAuth } {
  const token = env[UM_ENV.token] || undefined;
  const user = env[UM_ENV.user] || undefined;
  const password = env[UM_ENV.password] || undefined;
  if (token !== undefined && (user !== undefined || password !== undefined)) {
    throw fail(ErrorCode.Usage, `set either ${UM_ENV.token} or ${UM_ENV.user}/${UM_ENV.password}, not both`);
  }
  if (token !== undefined) return { auth: { scheme: 'bearer', token } };
  if ((user === undefined) !== (password === undefined)) throw fail(ErrorCode.Usage, `${UM_ENV.user} and ${UM_ENV.password} go together: set both`);
  if (user !== undefined && password !== undefined) return { auth: { scheme: 'basic', user, password } };
  return {};
}

async function report(inputs: string[], flags: ReportFlags, io: Io): Promise<void> {
  const formats = flags.format.map((format) => {
    if (format !== 'csv' && format !== 'parquet') throw fail(ErrorCode.Usage, `--format: "${format}" is not one of csv, parquet`);
    return format as UmReportFormat;
  });
  const result = await runUmReport({
    inputs: inputs.map((input) => resolve(io.cwd, input)),
    out: resolve(io.cwd, flags.out),
    force: flags.force ?? false,
    formats,
    csvRaw: flags.csvRaw ?? false,
    ...(io.signal === undefined ? {} : { signal: io.signal }),
  });
  const { summary } = result;
  if (!flags.quiet) {
    const rate = summary.answerRate === null ? 'n/a' : `${(summary.answerRate * 100).toFixed(1)}%`;
    const outcomes = Object.entries(summary.outcomes)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
    io.stdout.write(
      `${summary.calls} calls from ${summary.observations} polls in ${summary.files} files; answer rate ${rate}\n` +
        `outcomes: ${outcomes}\n` +
        `${summary.rejected} rejected, ${summary.duplicates} duplicate polls dropped; written to ${result.out}\n`,
    );
  }
  if (flags.failOnRejects && summary.rejected > 0) {
    io.stderr.write(`callaudit: ${summary.rejected} poll(s) or file(s) rejected; see ${result.out}/rejects.jsonl\n`);
    io.exitCode = ExitCode.Rejects;
  }
}

function parseCount(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 20) throw new InvalidArgumentError(`"${text}" is not a count from 0 to 20`);
  return n;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
