/**
 * A report run: inputs (inputs.ts: ranges read by workers, or framed on the main thread and
 * batched by batcher.ts) -> workers (parse, validate, flatten, score, aggregate, encode) -> the
 * ordered commit (commit.ts) -> at the end, sessions saved on their own stitched into their
 * records (stitch.ts), retraction of superseded duplicates and replaced records (retract.ts) and
 * the tables finished (sinks.ts), rollups, summary; the output folder committed or removed.
 *
 * Memory is bounded by the batch size times the batches in flight (2 per worker), plus the
 * ledger (see ledger.ts). Output is byte-identical for every worker count: batches are cut by
 * input bytes only, de-duplication is decided in input order, results are committed in dispatch
 * order, and rollup partials merge exactly.
 */
import { rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expandInputs } from '../ingest/index.js';
import { loadRuleFile } from '../config/rules-file.js';
import { isBuiltinRuleSetName, resolveRules } from '../quality/index.js';
import type { RuleSet } from '../quality/index.js';
import { finalizeRollups, RollupAccumulator, validateRollupOptions } from '../rollup/index.js';
import type { RollupOptions } from '../rollup/index.js';
import { isWriteFailure, OutputDir, writeFailed, writeTable } from '../io/index.js';
import type { RejectEntry } from '../io/index.js';
import { interrupted } from './abort.js';
import { Batcher } from './batcher.js';
import { checkCounts, CommitQueue } from './commit.js';
import { keepStdin, readInputs } from './inputs.js';
import { loadSites } from '../sites/load.js';
import { RecordLedger } from './ledger.js';
import { createExecutor, defaultWorkers } from './pool.js';
import type { Executor } from './pool.js';
import { ProgressMeter } from './progress.js';
import { retractSuperseded } from './retract.js';
import { finishTable, openSink } from './sinks.js';
import { LogTables } from './logs.js';
import { SessionBook } from './sessions.js';
import { stitchSessions } from './stitch.js';
import { checkReportOptions, DEFAULT_FORMATS } from './options.js';
import { buildSummary, noteWarnings } from './summary.js';
import type { OutputFormat, ReportOptions, TableName } from './options.js';
import type { BatchContext } from './protocol.js';

const DEFAULT_BATCH_BYTES = 1 << 20;
const DEFAULT_PART_ROWS = 250_000;

import { emptyCounts } from './result.js';
import type { InputReport, ReportResult, RunCounts } from './result.js';

export type { InputReport, ReportResult, RunCounts };

/** Runs a report. Rejects with CallauditError for a user-facing problem; never prints. */
export async function runReport(options: ReportOptions): Promise<ReportResult> {
  checkReportOptions(options);
  const startedAt = new Date();
  const t0 = performance.now();
  const rules = await loadRules(options.rules);
  const sites = await loadSites({
    ...(options.buildings === undefined ? {} : { buildings: options.buildings }),
    ...(options.accessPoints === undefined ? {} : { accessPoints: options.accessPoints }),
  });
  const rollup: RollupOptions = validateRollupOptions({
    groupBy: options.groupBy ?? [],
    health: rules.health,
    ...(options.tz === undefined ? {} : { tz: options.tz }),
  });
  const formats: readonly OutputFormat[] = options.formats ?? DEFAULT_FORMATS;
  const tables: readonly TableName[] = options.tables ?? ['streams', 'calls', 'rollups'];
  const notes: string[] = [];
  const files = await expandInputs(options.inputs, {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.include === undefined ? {} : { include: options.include }),
    ...(options.exclude === undefined ? {} : { exclude: options.exclude }),
    onNote: (note) => notes.push(note),
  });
  const totalBytes = await sizeOf(files);
  const cwd = options.cwd ?? process.cwd();
  const inputPaths = [...options.inputs, ...files].map((input) => (input === '-' ? input : resolve(cwd, input)));
  // Everything from the output folder's creation on is inside the try: whatever fails (the pool not
  // starting, say) removes the temporary folder and the lock.
  let output: OutputDir | null = null;
  let executor: Executor | null = null;
  const cleanup: Array<() => Promise<void>> = [];
  try {
    output = options.out === undefined ? null : await OutputDir.create(options.out, { force: options.force ?? false, inputs: inputPaths });
    const context: BatchContext = {
      rules,
      rollup,
      csv: output !== null && formats.includes('csv'),
      csvRaw: options.csvRaw ?? false,
      ipc: output !== null && formats.includes('parquet'),
      since: options.since?.getTime() ?? null,
      until: options.until?.getTime() ?? null,
      modalities: options.modalities === undefined || options.modalities.length === 0 ? null : [...options.modalities],
      redactKey: options.redactKey ?? null,
      sites,
    };
    executor = createExecutor(options.workers ?? defaultWorkers(), context, options.signal, options.workerHeapMb);
    const result = await execute(options, { files, notes, totalBytes, output, formats, tables, context, executor, rollup, rules, startedAt, t0, cleanup });
    await executor.close();
    if (output === null) return result;
    const html = formats.includes('html');
    const final = { ...result, outputs: [...result.outputs, 'summary.json', ...(html ? ['report.html'] : [])] };
    const summary = buildSummary(final);
    await output.writeFile('summary.json', `${JSON.stringify(summary, null, 2)}\n`);
    // The page's code (and vega) is loaded only when the page is written.
    if (html)
      await output.writeFile(
        'report.html',
        await (await import('../report/index.js')).reportHtml(final, summary, output.path('rejects.jsonl'), options.redactKey !== undefined),
      );
    await output.commit();
    return final;
  } catch (error) {
    await executor?.close().catch(() => {});
    await output?.abort().catch(() => {});
    // Whatever failed once the signal came (a worker terminated, a read cut short) failed because of it.
    if (options.signal?.aborted) throw interrupted(error);
    // A write failure that no writer named (a folder made in the output, say) is still E_OUTPUT.
    if (isWriteFailure(error)) throw writeFailed(error.path ?? output?.temp ?? '', error);
    throw error;
  } finally {
    for (const remove of cleanup) await remove().catch(() => {});
  }
}

async function loadRules(spec: ReportOptions['rules']): Promise<RuleSet> {
  if (typeof spec === 'string' && !isBuiltinRuleSetName(spec)) return loadRuleFile(spec);
  return resolveRules(spec);
}

async function sizeOf(files: readonly string[]): Promise<number | null> {
  let total = 0;
  for (const file of files) {
    if (file === '-') return null;
    total += (await stat(file)).size;
  }
  return total;
}

interface Plan {
  readonly files: readonly string[];
  /** What expanding the inputs skipped: the first warnings. */
  readonly notes: readonly string[];
  readonly totalBytes: number | null;
  readonly output: OutputDir | null;
  readonly formats: readonly OutputFormat[];
  readonly tables: readonly TableName[];
  readonly context: BatchContext;
  readonly executor: Executor;
  readonly rollup: RollupOptions;
  readonly rules: RuleSet;
  readonly startedAt: Date;
  readonly t0: number;
  /** Temporary files to remove when the run ends, however it ends. */
  readonly cleanup: Array<() => Promise<void>>;
}

async function execute(options: ReportOptions, plan: Plan): Promise<ReportResult> {
  const { executor, output } = plan;
  const ledger = new RecordLedger();
  const counts = emptyCounts();
  const warnings: string[] = [...plan.notes];
  const firstRejects: RejectEntry[] = [];
  const inputs = new Map<string, InputReport>();
  const merged = new RollupAccumulator(plan.rollup).toPartial();
  const partRows = options.partRows ?? DEFAULT_PART_ROWS;
  const streams = await openSink(output, 'streams', plan.tables, plan.formats, partRows);
  const calls = await openSink(output, 'calls', plan.tables, plan.formats, partRows);
  // The call log tables are written with the calls table (report), opened on their first row.
  const logs = new LogTables(plan.tables.includes('calls') ? output : null, plan.formats, partRows, plan.rollup.tz ?? 'UTC');
  plan.cleanup.push(async () => {
    await streams.parts?.close(); // a run that failed leaves its spools open
    await calls.parts?.close();
    await logs.close();
  });
  const rejects = output !== null ? await output.openAppend('rejects.jsonl') : null;
  const batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES;
  const kept = plan.files.includes('-') && options.stdin !== undefined ? await keepStdin(options.stdin, output, plan.cleanup) : null;

  const progress = new ProgressMeter(options, plan.totalBytes, plan.t0, () => counts.read);
  const sessions = new SessionBook();
  const targets = { streams, calls, logs, rejects, merged, counts, warnings, firstRejects, redact: plan.context.redactKey !== null, sessions };
  const queue = new CommitQueue(executor, ledger, targets, progress, Math.max(2, executor.workers * 2));
  const batcher = new Batcher(batchBytes, ledger, counts, queue);
  await readInputs({ files: plan.files, options, batchBytes, batcher, queue, progress, inputs, sessions, stdin: kept?.stream ?? options.stdin });
  await batcher.dispatch();
  await queue.drainAll();

  const cwd = options.cwd ?? process.cwd();
  const stdinCopy = kept?.copy ?? null;
  const replaced = await stitchSessions({ book: sessions, ledger, queue, counts, batchBytes, stdinCopy, cwd });
  const retractions = await retractSuperseded(ledger, executor, merged, counts, stdinCopy, cwd, replaced);
  warnings.push(...noteWarnings(counts));
  checkCounts(counts, queue.rejectLines);
  const outputs: string[] = [];
  // Finalized even when not written: the summary's headline figures come from them.
  const rollups = finalizeRollups(merged, plan.rollup);
  const logRollups = logs.rollups();
  if (output !== null) {
    await rejects!.close();
    outputs.push('rejects.jsonl');
    await finishTable(
      output,
      'streams',
      streams,
      retractions.map((r) => r.streamCsv),
      retractions.map((r) => r.streamRows),
      executor,
      outputs,
    );
    await finishTable(
      output,
      'calls',
      calls,
      retractions.map((r) => r.callCsv),
      retractions.map((r) => r.callRows),
      executor,
      outputs,
    );
    await logs.finish(executor, outputs);
    if (plan.tables.includes('rollups')) {
      for (const { name, batch } of [...rollups, ...logRollups]) outputs.push(...(await writeTable(output, name, batch, plan.formats, plan.context.csvRaw)));
    }
    await rm(output.path('.spool'), { recursive: true, force: true });
  }
  counts.streams = streams.rows - retractions.reduce((sum, r) => sum + (r.streamRows[1] - r.streamRows[0]), 0);
  counts.calls = calls.rows - retractions.reduce((sum, r) => sum + (r.callRows[1] - r.callRows[0]), 0);
  progress.report(null, true);
  return {
    inputs: [...inputs.values()],
    counts,
    rules: plan.rules,
    rollups,
    logRollups,
    outputs,
    out: options.out ?? null,
    workers: executor.workers,
    startedAt: plan.startedAt,
    elapsedMs: performance.now() - plan.t0,
    bytesRead: progress.bytesRead,
    jsonBytes: progress.jsonBytes,
    ledgerBytes: ledger.approximateBytes(),
    warnings,
    firstRejects,
  };
}
