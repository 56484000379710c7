/**
 * A report run: inputs -> ingest (framer, main thread) -> batches -> workers (parse, validate,
 * flatten, score, aggregate, encode) -> writers, in input order, with bounded memory.
 *
 * Memory is bounded by the batch size times the batches in flight (2 per worker), plus the
 * ledger (see ledger.ts). Output is byte-identical for every worker count: batches are cut by
 * input bytes only, de-duplication is decided in input order before dispatch, results are
 * written in dispatch order, and rollup partials merge exactly.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fail, ErrorCode, isCallauditError } from '../errors.js';
import { DEFAULT_MAX_RECORD_BYTES, expandInputs, probeInput, readRecords } from '../ingest/index.js';
import type { IngestProblem, ReadOptions, RecordSlice } from '../ingest/index.js';
import { isBuiltinRuleSetName, loadRuleFile, resolveRules } from '../quality/index.js';
import type { RuleSet } from '../quality/index.js';
import { finalizeRollups, mergePartial, RollupAccumulator, validateRollupOptions } from '../rollup/index.js';
import type { RollupOptions, RollupPartial } from '../rollup/index.js';
import { csvHeader, encodeParquetBatches, encodeRejectLine, OutputDir, writeTable } from '../io/index.js';
import type { AppendFile, RejectEntry } from '../io/index.js';
import type { ColumnBatch, TableSchema } from '../table/schema.js';
import { CALLS, STREAMS } from '../table/tables.js';
import { RecordLedger } from './ledger.js';
import type { KeyVerdict } from './ledger.js';
import { createExecutor, defaultWorkers } from './pool.js';
import type { Executor } from './pool.js';
import { PartSpooler } from './parts.js';
import { dropRanges, readRanges, teeStdin } from './reread.js';
import { checkReportOptions } from './options.js';
import { settle } from './settle.js';
import { buildSummary } from './summary.js';
import type { OutputFormat, ReportOptions, TableName } from './options.js';
import type { BatchContext, BatchRecord, BatchResult, BatchTask, PlacedProblem, RangeTask, RecordOutcome, Task } from './protocol.js';

const DEFAULT_BATCH_BYTES = 1 << 20;
const DEFAULT_PART_ROWS = 250_000;
const STDIN_NAME = '<stdin>';

export interface InputReport {
  readonly path: string;
  readonly bytes: number | null;
  readonly sha256: string | null;
  readonly records: number;
  readonly format: string | null;
  readonly compressed: boolean;
}

export interface RunCounts {
  /** Records found in the inputs (every record is accepted, rejected, duplicate or filtered). */
  read: number;
  accepted: number;
  rejected: number;
  duplicate: number;
  /** Outside --since/--until. */
  filtered: number;
  /** Files cut off mid-record (each keeps its complete records). */
  truncatedFiles: number;
  /** Accepted records whose sessions were cut (sessions@odata.nextLink). */
  sessionsTruncated: number;
  streams: number;
  calls: number;
}

export interface ReportResult {
  readonly inputs: readonly InputReport[];
  readonly counts: RunCounts;
  readonly rules: RuleSet;
  readonly rollups: ReadonlyArray<{ name: string; batch: ColumnBatch }>;
  readonly outputs: readonly string[];
  readonly out: string | null;
  readonly workers: number;
  readonly startedAt: Date;
  readonly elapsedMs: number;
  readonly bytesRead: number;
  readonly ledgerBytes: number;
  /** Non-fatal notes (empty files, ...). */
  readonly warnings: readonly string[];
}

interface TableSink {
  readonly csv: AppendFile | null;
  readonly parts: PartSpooler | null;
  csvBytes: number;
  rows: number;
}

/** Runs a report. Rejects with CallauditError for a user-facing problem; never prints. */
export async function runReport(options: ReportOptions): Promise<ReportResult> {
  checkReportOptions(options);
  const startedAt = new Date();
  const t0 = performance.now();
  const rules = await loadRules(options.rules);
  const rollup: RollupOptions = validateRollupOptions({ groupBy: options.groupBy ?? [], ...(options.tz === undefined ? {} : { tz: options.tz }) });
  const formats: readonly OutputFormat[] = options.formats ?? ['csv', 'parquet'];
  const tables: readonly TableName[] = options.tables ?? ['streams', 'calls', 'rollups'];
  const files = await expandInputs(options.inputs, options.cwd === undefined ? {} : { cwd: options.cwd });
  const totalBytes = await sizeOf(files);
  const output = options.out === undefined ? null : await OutputDir.create(options.out, { force: options.force ?? false });
  const workers = options.workers ?? defaultWorkers();
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
  };
  const executor = createExecutor(workers, context);
  const cleanup: Array<() => Promise<void>> = [];
  try {
    const result = await execute(options, { files, totalBytes, output, formats, tables, context, executor, rollup, rules, startedAt, t0, cleanup });
    await executor.close();
    if (output === null) return result;
    const final = { ...result, outputs: [...result.outputs, 'summary.json'] };
    await output.writeFile('summary.json', `${JSON.stringify(buildSummary(final), null, 2)}\n`);
    await output.commit();
    return final;
  } catch (error) {
    await executor.close().catch(() => {});
    await output?.abort().catch(() => {});
    if (options.signal?.aborted && !isCallauditError(error)) throw fail(ErrorCode.Interrupted, 'interrupted; no report was written', { cause: error });
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

async function openSink(plan: Plan, table: 'streams' | 'calls', partRows: number): Promise<TableSink> {
  const output = plan.output;
  const wanted = output !== null && plan.tables.includes(table);
  const schema = table === 'streams' ? STREAMS : CALLS;
  const csv = wanted && plan.formats.includes('csv') ? await output.openAppend(`${table}.csv`) : null;
  if (csv !== null) await csv.write(csvHeader(schema));
  let parts: PartSpooler | null = null;
  if (wanted && plan.formats.includes('parquet')) {
    await mkdir(output.path(`.spool/${table}`), { recursive: true });
    parts = new PartSpooler(table, (i) => output.path(`.spool/${table}/part-${String(i).padStart(5, '0')}.arrows`), partRows);
  }
  return { csv, parts, csvBytes: 0, rows: 0 };
}

async function execute(options: ReportOptions, plan: Plan): Promise<ReportResult> {
  const { executor, output, context } = plan;
  const ledger = new RecordLedger();
  const counts: RunCounts = { read: 0, accepted: 0, rejected: 0, duplicate: 0, filtered: 0, truncatedFiles: 0, sessionsTruncated: 0, streams: 0, calls: 0 };
  const warnings: string[] = [];
  const inputs = new Map<string, InputReport>();
  const merged = new RollupAccumulator(plan.rollup).toPartial();
  const partRows = options.partRows ?? DEFAULT_PART_ROWS;
  const streams = await openSink(plan, 'streams', partRows);
  const calls = await openSink(plan, 'calls', partRows);
  const rejects = output !== null ? await output.openAppend('rejects.jsonl') : null;
  const batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES;
  const maxInFlight = Math.max(2, executor.workers * 2);
  /**
   * Work in flight, committed in this order: a task and its result, the ingest problems found
   * among its records (so rejects.jsonl is in input order whatever the worker count), and what to
   * do once it is committed. A task of null carries problems only.
   */
  const inFlight: Array<{ task: Task | null; result: Promise<BatchResult> | null; problems: readonly PlacedProblem[]; after?: () => Promise<void> }> = [];
  /** Per file read in ranges: record slots and records committed so far, where its bytes begin. */
  const rangeFiles = new Map<string, { slots: number; records: number; bytesBefore: number }>();
  let rangesInFlight = 0;

  // Standard input cannot be read twice, and a superseded copy read from it may have to be read
  // again at the end: keep a copy (in the output's spool, or a temp folder without output).
  let stdinCopy: { path: string; copied: Promise<void> } | null = null;
  let stdin = options.stdin;
  if (plan.files.includes('-') && stdin !== undefined) {
    const folder = output !== null ? output.path('.spool') : await mkdtemp(join(tmpdir(), 'callaudit-stdin-'));
    if (output === null) plan.cleanup.push(() => rm(folder, { recursive: true, force: true }));
    await mkdir(folder, { recursive: true });
    const path = join(folder, 'stdin');
    const tee = teeStdin(stdin, path);
    stdin = tee.stream;
    stdinCopy = { path, copied: tee.copied };
  }

  const writeReject = async (entry: RejectEntry): Promise<void> => {
    if (rejects !== null) await rejects.write(encodeRejectLine(entry));
  };

  // The batch being filled.
  // Records are copied once, into the batch's own buffer (sent to a worker as it is: a structured
  // clone copies a view's whole ArrayBuffer, so the buffer holds this batch only).
  const batchCapacity = batchBytes + (256 << 10);
  let batchBuffer = Buffer.allocUnsafeSlow(batchCapacity);
  let records: BatchRecord[] = [];
  /** Ingest problems among the records of the batch being filled. */
  let problems: PlacedProblem[] = [];
  let filled = 0;
  let seq = 0;

  /**
   * Notes where a record's rows went and counts it. A loser (a later copy of an id that loses to the
   * kept one, processed before it was judged: see range.ts) is a duplicate: its rows are taken out
   * at the end with the superseded copies, and its reject, if any, is not written.
   */
  const place = async (ordinal: number, outcome: RecordOutcome, loser: boolean, index: number): Promise<void> => {
    ledger.placed(ordinal, outcome.accepted, {
      streamCsvStart: streams.csvBytes,
      streamCsvBytes: outcome.streamCsvBytes,
      callCsvStart: calls.csvBytes,
      callCsvBytes: outcome.callCsvBytes,
      streamRowStart: streams.rows,
      streamRows: outcome.streamRows,
      callRowStart: calls.rows,
      callRows: outcome.callRows,
    });
    streams.csvBytes += outcome.streamCsvBytes;
    calls.csvBytes += outcome.callCsvBytes;
    streams.rows += outcome.streamRows;
    calls.rows += outcome.callRows;
    if (outcome.accepted) {
      // a loser's acceptance is undone by the retraction at the end
      counts.accepted++;
      if (outcome.sessionsTruncated) counts.sessionsTruncated++;
    } else if (loser) {
      counts.duplicate++;
    } else {
      if (outcome.reject !== null) await writeReject(outcome.reject.index === index ? outcome.reject : { ...outcome.reject, index });
      if (outcome.filtered) counts.filtered++;
      else counts.rejected++;
    }
  };

  const commit = async (task: Task, result: BatchResult, problems: readonly PlacedProblem[]): Promise<void> => {
    if (streams.csv && result.streamsCsv.byteLength > 0) await streams.csv.write(result.streamsCsv);
    if (calls.csv && result.callsCsv.byteLength > 0) await calls.csv.write(result.callsCsv);
    let batchStreamRows = 0;
    let batchCallRows = 0;
    for (const outcome of result.outcomes) {
      batchStreamRows += outcome.streamRows;
      batchCallRows += outcome.callRows;
    }
    if (task.kind === 'range') {
      await commitRange(task, result);
    } else {
      await inInputOrder(problems, result.outcomes, onProblem, (outcome) => place(outcome.ordinal, outcome, false, outcome.reject?.index ?? 0));
    }
    if (result.streamsIpc && streams.parts) await streams.parts.append(result.streamsIpc, batchStreamRows);
    if (result.callsIpc && calls.parts) await calls.parts.append(result.callsIpc, batchCallRows);
    mergePartial(merged, result.partial);
  };

  /** A range's records are judged here, in input order, as the main thread would have judged them. */
  const commitRange = async (task: RangeTask, result: BatchResult): Promise<void> => {
    const framing = result.framing!;
    const file = rangeFiles.get(task.file)!;
    const base = file.slots;
    const rebased = (problem: IngestProblem): Promise<void> => onProblem(problem.index === null ? problem : { ...problem, index: base + problem.index });
    await inInputOrder(framing.problems, framing.records, rebased, async (record, i) => {
      counts.read++;
      const verdict = ledger.judge(record.key);
      const index = base + record.index;
      const ordinal = ledger.add(record.key, { file: task.file, offset: record.offset, index, context: record.context }, record.length, verdict);
      await place(ordinal, result.outcomes[i]!, verdict.kind === 'duplicate', index);
    });
    file.slots += framing.slots;
    file.records += framing.records.length;
    bytesRead = file.bytesBefore + framing.end;
    progress(task.file);
  };

  const drainOne = async (): Promise<void> => {
    const head = inFlight.shift()!;
    if (head.task === null) {
      for (const { problem } of head.problems) await onProblem(problem);
    } else {
      if (head.task.kind === 'range') rangesInFlight--;
      await commit(head.task, await settle(executor, head.task, head.result!), head.problems);
    }
    if (head.after) await head.after();
  };

  const dispatch = async (): Promise<void> => {
    if (records.length === 0) {
      if (problems.length > 0) inFlight.push({ task: null, result: null, problems });
      problems = [];
      filled = 0; // bytes of records dropped from the batch, if any: nothing was sent
      return;
    }
    const buffer = batchBuffer.subarray(0, filled);
    const task: BatchTask = { kind: 'records', seq: seq++, buffer, records, sign: 1 };
    batchBuffer = Buffer.allocUnsafeSlow(batchCapacity);
    inFlight.push({ task, result: executor.runBatch(task), problems });
    records = [];
    problems = [];
    filled = 0;
    while (inFlight.length >= maxInFlight) await drainOne();
  };

  /** Takes a record out of the batch being filled, if it is there. */
  const dropFromBatch = (ordinal: number): boolean => {
    const at = records.findIndex((r) => r.ordinal === ordinal);
    if (at < 0) return false;
    records.splice(at, 1);
    problems = problems.map((p) => (p.before > at ? { problem: p.problem, before: p.before - 1 } : p));
    return true;
  };

  const onRecord = async (record: RecordSlice): Promise<void> => {
    // Records are judged in input order: those of ranges still in flight come first.
    while (rangesInFlight > 0) await drainOne();
    counts.read++;
    const verdict: KeyVerdict = ledger.judge(record.key);
    if (verdict.kind === 'duplicate') {
      counts.duplicate++;
      return;
    }
    const length = record.bytes.byteLength;
    let effective = verdict;
    if (verdict.kind === 'supersedes' && dropFromBatch(verdict.ordinal)) {
      // The copy it beats has not left for a worker yet: it is never processed, only counted.
      counts.duplicate++;
      effective = { kind: 'new' };
    }
    const ordinal = ledger.add(record.key, record, length, effective);
    if (filled + length > batchBuffer.length) {
      // a record longer than the room left: grow this batch's buffer (rare; records are ~40 KB)
      const grown = Buffer.allocUnsafeSlow(Math.max(batchBuffer.length * 2, filled + length));
      batchBuffer.copy(grown, 0, 0, filled);
      batchBuffer = grown;
    }
    batchBuffer.set(record.bytes, filled);
    records.push({ ordinal, file: record.file, offset: record.offset, index: record.index, start: filled, end: filled + length, context: record.context });
    filled += length;
    if (filled >= batchBytes) await dispatch();
  };

  const onProblem = async (problem: IngestProblem): Promise<void> => {
    if (problem.kind === 'empty') {
      warnings.push(`${problem.file}: ${problem.reason}`);
    } else if (problem.kind === 'truncated') {
      counts.truncatedFiles++;
    } else {
      counts.read++;
      counts.rejected++;
    }
    await writeReject({
      file: problem.file,
      offset: problem.offset,
      index: problem.index,
      id: null,
      kind: problem.kind,
      reason: problem.reason,
      snippet: context.redactKey !== null ? '<redacted>' : problem.snippet,
    });
  };

  let bytesRead = 0;
  let bytesDone = 0;
  let lastProgress = 0;
  const interval = options.progressIntervalMs ?? 500;
  const progress = (file: string | null, force = false): void => {
    if (!options.onProgress) return;
    const now = performance.now();
    if (!force && now - lastProgress < interval) return;
    lastProgress = now;
    options.onProgress({ bytesRead, bytesTotal: plan.totalBytes, records: counts.read, elapsedMs: now - plan.t0, file });
  };

  const readOptions: ReadOptions = {
    ...(options.inputFormat === undefined ? {} : { format: options.inputFormat }),
    ...(options.maxRecordBytes === undefined ? {} : { maxRecordBytes: options.maxRecordBytes }),
    hash: true,
    ...(stdin === undefined ? {} : { stdin }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };

  /**
   * A plain NDJSON file is read by the workers themselves, a byte range each (see range.ts): the
   * batch being filled goes first, so that results stay in input order.
   */
  const readInRanges = async (label: string, path: string, size: number): Promise<void> => {
    await dispatch();
    inputs.set(label, { path: label, bytes: size, sha256: null, records: 0, format: 'ndjson', compressed: false });
    rangeFiles.set(label, { slots: 0, records: 0, bytesBefore: bytesDone });
    progress(label, true);
    // The file's hash is taken on the main thread while the workers read: it is otherwise idle.
    const hash = sha256Of(path);
    hash.catch(() => {});
    const pages = options.inputFormat !== 'ndjson';
    const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    for (let start = 0; start < size; start += batchBytes) {
      if (options.signal?.aborted) throw fail(ErrorCode.Interrupted, 'interrupted; no report was written');
      const task: RangeTask = { kind: 'range', seq: seq++, path, file: label, start, end: Math.min(size, start + batchBytes), pages, maxRecordBytes };
      const last = task.end === size;
      const after = async (): Promise<void> => {
        const state = rangeFiles.get(label)!;
        inputs.set(label, { ...inputs.get(label)!, sha256: await hash, records: state.records });
        progress(label, true);
      };
      inFlight.push({ task, result: executor.runBatch(task), problems: [], ...(last ? { after } : {}) });
      rangesInFlight++;
      while (inFlight.length >= maxInFlight) await drainOne();
    }
    bytesDone += size;
  };

  /** Any other input: framed on the main thread (readRecords), its records judged and batched here. */
  const readFramed = async (file: string): Promise<void> => {
    for await (const event of readRecords([file], readOptions)) {
      if (options.signal?.aborted) throw fail(ErrorCode.Interrupted, 'interrupted; no report was written');
      switch (event.type) {
        case 'record':
          await onRecord(event.record);
          break;
        case 'problem':
          problems.push({ problem: event.problem, before: records.length });
          break;
        case 'file-start':
          inputs.set(event.info.file, { path: event.info.file, bytes: event.info.bytes, sha256: null, records: 0, format: event.info.format, compressed: event.info.compressed });
          progress(event.info.file, true);
          break;
        case 'progress':
          bytesRead = bytesDone + event.bytesRead;
          progress(event.file);
          break;
        case 'file-end': {
          bytesDone += event.bytesRead;
          bytesRead = bytesDone;
          const started = inputs.get(event.file);
          if (started) inputs.set(event.file, { ...started, sha256: event.sha256, records: event.records, bytes: started.bytes ?? event.bytesRead });
          progress(event.file, true);
          break;
        }
      }
    }
  };

  for (const file of plan.files) {
    const path = file === '-' ? null : resolve(options.cwd ?? process.cwd(), file);
    if (path !== null && options.workerReads !== false) {
      const info = await probeInput(file, readOptions);
      if (!info.compressed && info.format === 'ndjson' && info.bytes !== null && info.bytes > 0) {
        await readInRanges(file, path, info.bytes);
        continue;
      }
    }
    await readFramed(file);
  }
  await dispatch();
  while (inFlight.length > 0) await drainOne();

  // Superseded duplicates: take their aggregates out again and their rows out of the tables.
  const retractions = ledger.retractions();
  if (retractions.length > 0) {
    if (stdinCopy) await stdinCopy.copied;
    const taken = await retract(retractions.map((r) => r.ordinal), ledger, executor, merged, stdinCopy?.path ?? null, options.cwd ?? process.cwd());
    counts.sessionsTruncated -= taken.sessionsTruncated;
    counts.accepted -= retractions.length;
    counts.duplicate += retractions.length;
  }

  const outputs: string[] = [];
  // Finalized even when not written: the summary's headline figures come from them.
  const rollups = finalizeRollups(merged, plan.rollup);
  if (output !== null) {
    await rejects!.close();
    outputs.push('rejects.jsonl');
    await finishTable(output, 'streams', streams, retractions.map((r) => r.streamCsv), retractions.map((r) => r.streamRows), executor, outputs);
    await finishTable(output, 'calls', calls, retractions.map((r) => r.callCsv), retractions.map((r) => r.callRows), executor, outputs);
    if (plan.tables.includes('rollups')) {
      for (const { name, batch } of rollups) outputs.push(...(await writeTable(output, name, batch, plan.formats, context.csvRaw)));
    }
    await rm(output.path('.spool'), { recursive: true, force: true });
  }
  counts.streams = streams.rows - retractions.reduce((sum, r) => sum + (r.streamRows[1] - r.streamRows[0]), 0);
  counts.calls = calls.rows - retractions.reduce((sum, r) => sum + (r.callRows[1] - r.callRows[0]), 0);
  progress(null, true);
  return {
    inputs: [...inputs.values()],
    counts,
    rules: plan.rules,
    rollups,
    outputs,
    out: options.out ?? null,
    workers: executor.workers,
    startedAt: plan.startedAt,
    elapsedMs: performance.now() - plan.t0,
    bytesRead,
    ledgerBytes: ledger.approximateBytes(),
    warnings,
  };
}

/**
 * Visits a batch's records (or their outcomes) and the ingest problems found among them, in input
 * order: a problem comes before the record it was found before (PlacedProblem.before).
 */
async function inInputOrder<T>(
  problems: readonly PlacedProblem[],
  records: readonly T[],
  onProblem: (problem: IngestProblem) => Promise<void>,
  onRecord: (record: T, i: number) => Promise<void>,
): Promise<void> {
  let p = 0;
  for (let i = 0; i < records.length; i++) {
    for (; p < problems.length && problems[p]!.before <= i; p++) await onProblem(problems[p]!.problem);
    await onRecord(records[i]!, i);
  }
  for (; p < problems.length; p++) await onProblem(problems[p]!.problem);
}

/** Runs the superseded records again with sign -1; says how many of them had truncated sessions. */
async function retract(
  ordinals: readonly number[],
  ledger: RecordLedger,
  executor: Executor,
  merged: RollupPartial,
  stdinCopy: string | null,
  cwd: string,
): Promise<{ sessionsTruncated: number }> {
  let sessionsTruncated = 0;
  const byFile = new Map<string, number[]>();
  for (const ordinal of ordinals) {
    const file = ledger.provenance(ordinal).file;
    byFile.set(file, [...(byFile.get(file) ?? []), ordinal]);
  }
  for (const [file, list] of byFile) {
    const path = file === STDIN_NAME ? stdinCopy : resolve(cwd, file);
    if (path === null) throw fail(ErrorCode.Internal, 'cannot read standard input again to retract a superseded duplicate');
    const where = list.map((ordinal) => ledger.provenance(ordinal));
    const bytes = await readRanges(path, where);
    let filled = 0;
    const records: BatchRecord[] = list.map((ordinal, i) => {
      const p = where[i]!;
      const record = { ordinal, file: p.file, offset: p.offset, index: p.index, start: filled, end: filled + p.length, context: p.context };
      filled += p.length;
      return record;
    });
    const result = await executor.runBatch({ kind: 'records', seq: -1, buffer: Buffer.concat(bytes), records, sign: -1 });
    mergePartial(merged, result.partial);
    sessionsTruncated += result.outcomes.filter((outcome) => outcome.sessionsTruncated).length;
  }
  return { sessionsTruncated };
}

/**
 * The sha256 of a file's bytes, read on its own into one reused buffer (a stream's fresh buffer per
 * chunk made the main thread collect garbage for hundreds of ms per GB).
 */
async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let position = 0; ; ) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

async function finishTable(
  output: OutputDir,
  table: 'streams' | 'calls',
  sink: TableSink,
  csvDrop: ReadonlyArray<readonly [number, number]>,
  rowDrop: ReadonlyArray<readonly [number, number]>,
  executor: Executor,
  outputs: string[],
): Promise<void> {
  if (sink.csv) {
    await sink.csv.close();
    if (csvDrop.length > 0) await dropRanges(output.path(`${table}.csv`), csvDrop, Buffer.byteLength(csvHeader(table === 'streams' ? STREAMS : CALLS)));
    outputs.push(`${table}.csv`);
  }
  if (sink.parts) {
    await sink.parts.close();
    await mkdir(output.path(table), { recursive: true });
    const target = (i: number): string => output.path(join(table, `part-${String(i).padStart(5, '0')}.parquet`));
    const tasks = sink.parts.tasks(target, rowDrop);
    await runBounded(tasks, Math.max(1, executor.workers), (task) => executor.runPart(task));
    // An empty table is still a readable dataset: one part with the schema and no rows.
    if (tasks.length === 0) await output.writeFile(join(table, 'part-00000.parquet'), encodeParquetBatches([emptyBatch(table === 'streams' ? STREAMS : CALLS)]));
    outputs.push(`${table}/`);
  }
}

function emptyBatch(schema: TableSchema): ColumnBatch {
  return { schema, length: 0, columns: schema.columns.map(() => []) };
}

/** Runs `fn` over `items` with at most `limit` at a time (never a Promise.all over everything). */
async function runBounded<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}
