/**
 * `um report`: poll logs in, an output folder out (um_calls, um_daily, um_causes as CSV and/or
 * Parquet, rejects.jsonl, summary.json). The folder is written through OutputDir: it appears whole
 * on success and not at all on failure, and an existing one is replaced only with `force`.
 */
import { ErrorCode, fail, isCallauditError } from '../errors.js';
import { OutputDir, writeTable } from '../io/index.js';
import type { Outcome, UmAudit } from './audit.js';
import { auditPolls } from './audit.js';
import type { PollReject } from './polllog.js';
import { readPollLogs } from './polllog.js';

export type UmReportFormat = 'csv' | 'parquet';

export interface UmReportOptions {
  /** Files and folders (absolute, or relative to the process's working directory). */
  readonly inputs: readonly string[];
  readonly out: string;
  readonly force?: boolean;
  /** Default both. */
  readonly formats?: readonly UmReportFormat[];
  /** Write CSV text unchanged (no formula neutralization). */
  readonly csvRaw?: boolean;
  readonly signal?: AbortSignal;
  /** A saved response larger than this is rejected. Default 1 MiB. */
  readonly maxResponseBytes?: number;
}

/** summary.json. Times are ISO-8601 UTC. */
export interface UmReportSummary {
  readonly command: 'um report';
  readonly inputs: readonly string[];
  readonly files: number;
  /** Polls read (faults included), before duplicates are dropped. */
  readonly observations: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly calls: number;
  readonly outcomes: Readonly<Record<Outcome, number>>;
  readonly answerRate: number | null;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  /** Rows per table written. */
  readonly tables: Readonly<Record<string, number>>;
  readonly outputs: readonly string[];
}

export interface UmReportResult {
  readonly out: string;
  readonly summary: UmReportSummary;
  readonly audit: UmAudit;
}

export async function runUmReport(options: UmReportOptions): Promise<UmReportResult> {
  const formats = options.formats ?? ['csv', 'parquet'];
  if (formats.length === 0) throw fail(ErrorCode.Usage, 'um report: no output format given (csv, parquet)');
  const output = await OutputDir.create(options.out, { force: options.force ?? false, inputs: options.inputs });
  try {
    const logs = await readPollLogs(options.inputs, {
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }),
    });
    const audit = auditPolls(logs.observations);
    const outputs: string[] = [];
    for (const batch of [audit.calls, audit.daily, audit.causes])
      outputs.push(...(await writeTable(output, batch.schema.name, batch, formats, options.csvRaw ?? false)));
    await output.writeFile('rejects.jsonl', logs.rejects.map(rejectLine).join(''));
    outputs.push('rejects.jsonl', 'summary.json');
    const summary: UmReportSummary = {
      command: 'um report',
      inputs: [...options.inputs],
      files: logs.files.length,
      observations: logs.observations.length,
      duplicates: audit.duplicates,
      rejected: logs.rejected,
      calls: audit.calls.length,
      outcomes: audit.outcomes,
      answerRate: audit.answerRate,
      firstSeen: audit.firstSeen === null ? null : new Date(audit.firstSeen).toISOString(),
      lastSeen: audit.lastSeen === null ? null : new Date(audit.lastSeen).toISOString(),
      tables: { [audit.calls.schema.name]: audit.calls.length, [audit.daily.schema.name]: audit.daily.length, [audit.causes.schema.name]: audit.causes.length },
      outputs,
    };
    await output.writeFile('summary.json', `${JSON.stringify(summary, null, 2)}\n`);
    if (options.signal?.aborted) throw fail(ErrorCode.Interrupted, 'um report interrupted; no report was written');
    await output.commit();
    return { out: options.out, summary, audit };
  } catch (error) {
    await output.abort().catch(() => {});
    if (options.signal?.aborted && !isCallauditError(error))
      throw fail(ErrorCode.Interrupted, 'um report interrupted; no report was written', { cause: error });
    throw error;
  }
}

function rejectLine(reject: PollReject): string {
  return `${JSON.stringify({ file: reject.file, line: reject.line, reason: reject.reason })}\n`;
}
