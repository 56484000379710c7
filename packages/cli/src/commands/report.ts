/**
 * The call-records commands: report (every table), streams (the stream table only), validate
 * (schema check: rejects and counts) and summary (the overview on the terminal, no files).
 * Thin: parse options, call @callaudit/core, show progress, print the summary.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import {
  buildSummary,
  DEFAULT_INCLUDE,
  describeBreach,
  fail,
  ErrorCode,
  findBreaches,
  isBuiltinRuleSetName,
  OUTPUT_FORMATS,
  renderSummaryText,
  rollupSchemas,
  runReport,
  STREAM_KINDS,
} from '@callaudit/core';
import type { OutputFormat, ReportOptions, TableName } from '@callaudit/core';
import type { Io } from '../io.js';
import { ExitCode, outcomeExitCode } from '../exit-codes.js';
import { createProgress } from '../progress.js';
import { collect, listOf, parseDate, parseGroupBy, parseSize, parseWorkers } from '../options.js';

interface CommonFlags {
  out?: string;
  include?: string[];
  exclude?: string[];
  format: string[];
  rules: string;
  since?: Date;
  until?: Date;
  modality?: string[];
  workers?: number;
  groupBy?: string[][];
  tz?: string;
  maxRecordBytes?: number;
  batchBytes?: number;
  inputFormat: 'auto' | 'json' | 'ndjson';
  failOnRejects?: boolean;
  failOnBreach?: true | string;
  quiet?: boolean;
  force?: boolean;
  csvRaw?: boolean;
  redact?: boolean;
  redactKeyFile?: string;
  buildings?: string;
  accessPoints?: string;
}

const REDACT_ENV = 'CALLAUDIT_REDACT_KEY';
/** Rejects validate prints when it writes no rejects.jsonl. */
const SHOWN_REJECTS = 5;
const parseFormats = listOf(OUTPUT_FORMATS, 'format');
const parseModalities = listOf(STREAM_KINDS, 'stream kind');
/** The rollups --fail-on-breach judges by default: the places an admin acts on. */
const DEFAULT_BREACH_ROLLUPS = ['building', 'subnet'];

/** --fail-on-breach's rollup names as table names (building -> rollup_building), checked before anything is read. */
function breachRollups(value: true | string | undefined, groupBy: string[][] | undefined): string[] | null {
  if (value === undefined) return null;
  const names = value === true ? DEFAULT_BREACH_ROLLUPS : value.split(',').map((name) => name.trim());
  const known = rollupSchemas({ groupBy: groupBy ?? [] }).map((schema) => schema.name);
  return names.map((name) => {
    const table = name.startsWith('rollup_') ? name : `rollup_${name}`;
    if (!known.includes(table))
      throw fail(
        ErrorCode.Usage,
        `--fail-on-breach: unknown rollup '${name}'; expected some of ${known.map((k) => k.slice('rollup_'.length)).join(', ')} (put --fail-on-breach after the inputs, or write --fail-on-breach=building,subnet)`,
      );
    return table;
  });
}

type Kind = 'report' | 'streams' | 'validate' | 'summary';

const EXAMPLES: Record<Kind, string> = {
  report: `
Examples:
  $ callaudit report dumps/ --out audit-2026-11
  $ callaudit report 'exports/*.json.gz' --out audit --format parquet --workers 2
  $ callaudit report records.ndjson --out audit --since 2026-11-01 --until 2026-11-08 --tz Europe/Helsinki
  $ gzip -dc big.json.gz | callaudit report - --out audit --group-by caller_subnet,audio_codec
  $ CALLAUDIT_REDACT_KEY=$(cat key.txt) callaudit report dumps/ --out shared-audit --redact`,
  streams: `
Examples:
  $ callaudit streams dumps/ --out streams-only
  $ callaudit streams records.ndjson --out s --format parquet --modality audio`,
  validate: `
Examples:
  $ callaudit validate dumps/                 # counts and the first rejects on the terminal
  $ callaudit validate dumps/ --out check --fail-on-rejects   # also rejects.jsonl; exit 4 on any reject`,
  summary: `
Examples:
  $ callaudit summary dumps/
  $ callaudit summary records.ndjson --rules cqd-classic --modality audio`,
};

const DESCRIPTIONS: Record<Kind, string> = {
  report: 'Write every table (streams, calls, rollups), rejects.jsonl, summary.json and report.html, and print a summary.',
  streams: 'Write only the per-stream table (a fast export), with rejects.jsonl and summary.json.',
  validate: 'Check inputs against the schema: counts and rejects (rejects.jsonl with --out), no tables.',
  summary: 'Print the quality overview on the terminal; write no files.',
};

export function registerReportCommands(program: Command, io: Io): void {
  for (const kind of ['report', 'streams', 'validate', 'summary'] as const) {
    const command = program.command(kind).description(DESCRIPTIONS[kind]).argument('<inputs...>', "files, folders, globs; '-' reads standard input");
    if (kind === 'report' || kind === 'streams') command.requiredOption('-o, --out <dir>', 'output folder (created; see --force)');
    if (kind === 'validate') command.option('-o, --out <dir>', 'write rejects.jsonl and summary.json here');
    if (kind === 'report' || kind === 'streams') {
      // report.html is a view of the rollups: on by default for report, not for the streams-only export.
      const formats = kind === 'report' ? ['csv', 'parquet', 'html'] : ['csv', 'parquet'];
      command.addOption(
        new Option('--format <list>', 'output formats, comma-separated: csv, parquet, json, html (report.html, one self-contained page)')
          .default(formats, formats.join(','))
          .argParser((text: string) => parseFormats(text)),
      );
      command.option('--csv-raw', 'write CSV text cells as they are (no spreadsheet formula neutralization)');
      command.option('--force', 'replace an existing output folder');
    }
    if (kind === 'validate') command.option('--force', 'replace an existing output folder');
    // only report writes rollups: elsewhere an extra rollup would be computed and never shown
    if (kind === 'report') {
      command.option('--group-by <columns>', 'an extra rollup over these streams columns (comma-separated; repeatable)', parseGroupBy);
      command.option(
        '--fail-on-breach [rollups]',
        `exit with code ${ExitCode.Breach} when a row of these rollups (comma-separated; default ${DEFAULT_BREACH_ROLLUPS.join(',')}) is critical or a headline CQD target is missed`,
      );
    }
    command
      .option(
        '--include <glob>',
        `files read when walking an input folder (repeatable; replaces the default ${DEFAULT_INCLUDE.join(' ')}); files named directly are always read`,
        collect,
      )
      .option('--exclude <glob>', 'files not read when walking an input folder (repeatable)', collect)
      .option('--rules <rules>', 'rule set: cqd, cqd-classic, or a JSON rule file', 'cqd')
      .option('--since <date>', 'keep calls that start at or after this ISO-8601 date/time (UTC unless an offset is given)', parseDate)
      .option('--until <date>', 'keep calls that start before this ISO-8601 date/time (UTC unless an offset is given)', parseDate)
      .option('--modality <list>', `keep streams of these kinds: ${STREAM_KINDS.join(', ')}`, parseModalities)
      .option('--workers <n>', 'worker threads (default: the number of cores; 0 = inline, for debugging)', parseWorkers)
      .option('--tz <zone>', 'IANA time zone for the day rollup (default UTC)')
      .option('--max-record-bytes <size>', 'reject a single record larger than this (default 256MiB)', parseSize)
      .option('--batch-bytes <size>', 'input bytes per worker batch (default 1MiB)', parseSize)
      .addOption(
        new Option('--input-format <format>', 'input shape; auto detects JSON documents, pages and NDJSON').choices(['auto', 'json', 'ndjson']).default('auto'),
      )
      .option('--fail-on-rejects', `exit with code ${ExitCode.Rejects} when any record was rejected`)
      .option('-q, --quiet', 'no progress and no summary on the terminal')
      .option(
        '--buildings <file>',
        'a CQD building file (no header; 15 comma- or tab-separated columns): streams gain per-side building columns, with rollup_building, rollup_network, rollup_missing_subnets',
      )
      .option(
        '--access-points <file>',
        'an access point CSV (header bssid,access_point,building,floor): streams gain per-side access point columns, with rollup_access_point',
      )
      .option(
        '--redact',
        `pseudonymize user ids, UPNs, IP addresses, subnets, BSSIDs and device names (keyed HMAC-SHA256; key from --redact-key-file or $${REDACT_ENV})`,
      )
      .option('--redact-key-file <file>', 'file holding the redaction key (at least 16 bytes)')
      .addHelpText('after', EXAMPLES[kind])
      .action(async (inputs: string[], flags: CommonFlags) => {
        await runCommand(kind, inputs, flags, io);
      });
  }
}

async function redactKey(flags: CommonFlags, io: Io): Promise<Uint8Array | undefined> {
  if (!flags.redact) {
    if (flags.redactKeyFile) throw fail(ErrorCode.Usage, '--redact-key-file needs --redact');
    return undefined;
  }
  let key: Uint8Array | undefined;
  if (flags.redactKeyFile) {
    try {
      key = await readFile(resolve(io.cwd, flags.redactKeyFile));
    } catch (error) {
      throw fail(ErrorCode.Input, `cannot read the redaction key file: ${(error as Error).message}`, { file: flags.redactKeyFile });
    }
  } else if (io.env[REDACT_ENV]) {
    key = Buffer.from(io.env[REDACT_ENV], 'utf8');
  }
  if (key === undefined) throw fail(ErrorCode.Usage, `--redact needs a key: --redact-key-file <file> or the ${REDACT_ENV} environment variable`);
  if (key.byteLength < 16) throw fail(ErrorCode.Usage, 'the redaction key must be at least 16 bytes');
  return key;
}

async function runCommand(kind: Kind, inputs: string[], flags: CommonFlags, io: Io): Promise<void> {
  const tables: TableName[] = kind === 'report' ? ['streams', 'calls', 'rollups'] : kind === 'streams' ? ['streams'] : [];
  const formats = (kind === 'report' || kind === 'streams' ? flags.format : []) as OutputFormat[];
  if (flags.since && flags.until && flags.since.getTime() >= flags.until.getTime()) throw fail(ErrorCode.Usage, '--since must be before --until');
  const breach = breachRollups(flags.failOnBreach, flags.groupBy);
  const key = await redactKey(flags, io);
  const progress = createProgress(io, flags.quiet ?? false);
  const options: ReportOptions = {
    inputs,
    ...(flags.include === undefined ? {} : { include: flags.include }),
    ...(flags.exclude === undefined ? {} : { exclude: flags.exclude }),
    ...(flags.out === undefined || kind === 'summary' ? {} : { out: resolve(io.cwd, flags.out) }),
    force: flags.force ?? false,
    formats,
    tables,
    rules: isBuiltinRuleSetName(flags.rules) ? flags.rules : resolve(io.cwd, flags.rules),
    ...(flags.workers === undefined ? {} : { workers: flags.workers }),
    ...(flags.groupBy === undefined ? {} : { groupBy: flags.groupBy }),
    ...(flags.tz === undefined ? {} : { tz: flags.tz }),
    ...(flags.since === undefined ? {} : { since: flags.since }),
    ...(flags.until === undefined ? {} : { until: flags.until }),
    ...(flags.modality === undefined ? {} : { modalities: flags.modality }),
    ...(flags.maxRecordBytes === undefined ? {} : { maxRecordBytes: flags.maxRecordBytes }),
    ...(flags.batchBytes === undefined ? {} : { batchBytes: flags.batchBytes }),
    ...(key === undefined ? {} : { redactKey: key }),
    ...(flags.buildings === undefined ? {} : { buildings: resolve(io.cwd, flags.buildings) }),
    ...(flags.accessPoints === undefined ? {} : { accessPoints: resolve(io.cwd, flags.accessPoints) }),
    inputFormat: flags.inputFormat,
    csvRaw: flags.csvRaw ?? false,
    cwd: io.cwd,
    stdin: io.stdin,
    ...(io.signal === undefined ? {} : { signal: io.signal }),
    onProgress: (p) => progress.update(p),
  };
  let result: Awaited<ReturnType<typeof runReport>>;
  try {
    result = await runReport(options);
  } finally {
    progress.stop();
  }
  const summary = buildSummary(result, io.version);
  if (!flags.quiet) io.stdout.write(renderSummaryText(summary));
  if (!flags.quiet && kind === 'validate' && result.out === null && result.firstRejects.length > 0) {
    const shown = result.firstRejects.slice(0, SHOWN_REJECTS);
    io.stdout.write(`first rejects:\n${shown.map((r) => `  ${r.file} at byte ${r.offset}: ${r.kind}: ${r.reason}\n`).join('')}`);
    if (result.firstRejects.length > shown.length || result.counts.rejected > shown.length)
      io.stdout.write(`  ... and more (--out <dir> writes them all to rejects.jsonl)\n`);
  }
  const { read, accepted, rejected, duplicate, filtered } = result.counts;
  const seeRejects = result.out ? `; see ${result.out}/rejects.jsonl` : '';
  // A run that accepted nothing says only that: there is nothing to judge, and its rejects are the reason given.
  const nothingAccepted = accepted === 0;
  if (nothingAccepted) {
    const why =
      read === 0
        ? 'the inputs hold no record'
        : `${read} read, ${rejected} rejected, ${duplicate > 0 ? `${duplicate} duplicate, ` : ''}${filtered} outside --since/--until${rejected > 0 ? seeRejects : ''}`;
    io.stderr.write(`callaudit: no record accepted: ${why}\n`);
  }
  const breaches = breach === null || nothingAccepted ? [] : findBreaches(result, breach);
  if (breaches.length > 0) {
    const more = breaches.length > 1 ? ` (and ${breaches.length - 1} more breach${breaches.length > 2 ? 'es' : ''})` : '';
    io.stderr.write(`callaudit: quality breach: ${describeBreach(breaches[0]!)}${more}\n`);
  }
  const rejects = !nothingAccepted && flags.failOnRejects === true && rejected > 0;
  if (rejects) io.stderr.write(`callaudit: ${rejected} record(s) rejected${seeRejects}\n`);
  io.exitCode = outcomeExitCode({ nothingAccepted, breach: breaches.length > 0, rejects });
}
