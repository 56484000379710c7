/**
 * The ordered commit: tasks leave for the workers in input order and their results are committed
 * in that same order, on the main thread, whatever order the workers finish in. Committing a
 * result appends its CSV bytes, spools its Arrow IPC, writes its rejects and the ingest problems
 * found among its records (in input order), places each record in the ledger (where its rows went)
 * and merges its rollup partial. A range's records are judged by the ledger here, in input order,
 * as the main thread would have judged them before dispatch (see range.ts).
 *
 * Back-pressure: at most `maxInFlight` entries wait; adding one past that commits the oldest first.
 */
import { ErrorCode, fail } from '../errors.js';
import type { IngestProblem } from '../ingest/index.js';
import { encodeRejectLine } from '../io/index.js';
import type { AppendFile, RejectEntry } from '../io/index.js';
import { mergePacked } from '../rollup/index.js';
import type { RollupPartial } from '../rollup/index.js';
import type { RecordLedger } from './ledger.js';
import type { Executor } from './pool.js';
import type { ProgressMeter } from './progress.js';
import type { BatchResult, PlacedProblem, RangeTask, RecordOutcome, StitchTask, Task } from './protocol.js';
import type { RunCounts } from './result.js';
import { settle } from './settle.js';
import { countNotes } from './summary.js';
import type { TableSink } from './sinks.js';
import { LogTables } from './logs.js';
import type { LogCursor } from './logs.js';
import type { SessionBook } from './sessions.js';

/** Reject entries a run hands back in its result (the first ones). */
export const FIRST_REJECTS = 10;

/** Where the committed results go. */
export interface CommitTargets {
  readonly streams: TableSink;
  readonly calls: TableSink;
  /** The call log tables (PSTN, Direct Routing), opened on their first row. */
  readonly logs: LogTables;
  readonly rejects: AppendFile | null;
  /** The run's rollup partial, into which every result's partial is merged. */
  readonly merged: RollupPartial;
  readonly counts: RunCounts;
  /** Non-fatal notes (empty files). */
  readonly warnings: string[];
  /** The first reject entries, in input order (at most FIRST_REJECTS), also when no file is written. */
  readonly firstRejects: RejectEntry[];
  /** Snippets in rejects are replaced by '<redacted>'. */
  readonly redact: boolean;
  /** Sessions waiting to be stitched into their record (stitch.ts). */
  readonly sessions: SessionBook;
}

/** Work in flight. A task of null carries ingest problems only. */
interface Entry {
  readonly task: Task | null;
  readonly result: Promise<BatchResult> | null;
  /** Ingest problems found among the task's records. */
  readonly problems: readonly PlacedProblem[];
  /** What to do once the entry is committed. */
  readonly after?: () => Promise<void>;
}

/** Per file read in ranges: record slots and records committed so far, where its bytes begin. */
interface RangeFile {
  slots: number;
  records: number;
  readonly bytesBefore: number;
}

export class CommitQueue {
  private readonly inFlight: Entry[] = [];
  private readonly rangeFiles = new Map<string, RangeFile>();
  private rangesInFlight = 0;
  private seq = 0;
  /** Lines of rejects.jsonl (counted when there is no output folder too). */
  rejectLines = 0;

  constructor(
    private readonly executor: Executor,
    private readonly ledger: RecordLedger,
    private readonly to: CommitTargets,
    private readonly progress: ProgressMeter,
    private readonly maxInFlight: number,
  ) {}

  /** The dispatch order of the next task. */
  nextSeq(): number {
    return this.seq++;
  }

  /** Sends a records task to a worker; commits the oldest entries while too many are in flight. */
  async dispatch(task: Task, problems: readonly PlacedProblem[]): Promise<void> {
    this.inFlight.push({ task, result: this.run(task), problems });
    await this.makeRoom();
  }

  /** Ingest problems without records: committed in their place in the order. */
  problemsOnly(problems: readonly PlacedProblem[]): void {
    this.inFlight.push({ task: null, result: null, problems });
  }

  /** A file about to be read in ranges, `bytesBefore` bytes into the run's inputs. */
  startRangeFile(file: string, bytesBefore: number): void {
    this.rangeFiles.set(file, { slots: 0, records: 0, bytesBefore });
  }

  /** Records committed so far from a file read in ranges. */
  rangeRecords(file: string): number {
    return this.rangeFiles.get(file)!.records;
  }

  /** Sends a range task to a worker; `after` runs once it is committed. */
  async dispatchRange(task: RangeTask, after?: () => Promise<void>): Promise<void> {
    this.inFlight.push({ task, result: this.run(task), problems: [], ...(after ? { after } : {}) });
    this.rangesInFlight++;
    await this.makeRoom();
  }

  /** Commits every range in flight: records framed on the main thread are judged after them. */
  async drainRanges(): Promise<void> {
    while (this.rangesInFlight > 0) await this.drainOne();
  }

  /** Commits everything in flight. */
  async drainAll(): Promise<void> {
    while (this.inFlight.length > 0) await this.drainOne();
  }

  /**
   * Starts a task. Its failure is handled when it is committed (settle); until then it is marked
   * handled, so that the tasks behind one that stops the run (an interrupt, a write error) do not
   * become unhandled rejections when the pool is closed.
   */
  private run(task: Task): Promise<BatchResult> {
    const result = this.executor.runBatch(task);
    result.catch(() => {});
    return result;
  }

  private async makeRoom(): Promise<void> {
    while (this.inFlight.length >= this.maxInFlight) await this.drainOne();
  }

  private async drainOne(): Promise<void> {
    const head = this.inFlight.shift()!;
    if (head.task === null) {
      for (const { problem } of head.problems) await this.onProblem(problem);
    } else {
      if (head.task.kind === 'range') this.rangesInFlight--;
      await this.commit(head.task, await settle(this.executor, head.task, head.result!), head.problems);
    }
    if (head.after) await head.after();
  }

  private async commit(task: Task, result: BatchResult, problems: readonly PlacedProblem[]): Promise<void> {
    const { streams, calls } = this.to;
    if (streams.csv && result.streamsCsv.byteLength > 0) await streams.csv.write(result.streamsCsv);
    if (calls.csv && result.callsCsv.byteLength > 0) await calls.csv.write(result.callsCsv);
    let batchStreamRows = 0;
    let batchCallRows = 0;
    for (const outcome of result.outcomes) {
      batchStreamRows += outcome.streamRows;
      batchCallRows += outcome.callRows;
    }
    const logs = LogTables.cursor(result.logTables);
    if (task.kind === 'range') {
      await this.commitRange(task, result, logs);
    } else if (task.kind === 'stitch') {
      await this.commitStitch(task, result);
    } else {
      await inInputOrder(
        problems,
        result.outcomes,
        (problem) => this.onProblem(problem),
        (outcome) => this.place(outcome.ordinal, outcome, false, outcome.reject?.index ?? 0, logs),
      );
    }
    if (result.streamsIpc && streams.parts) await streams.parts.append(result.streamsIpc, batchStreamRows);
    if (result.callsIpc && calls.parts) await calls.parts.append(result.callsIpc, batchCallRows);
    await this.to.logs.spool(result.logTables);
    mergePacked(this.to.merged, result.partial);
  }

  /** A range's records are judged here, in input order, as the main thread would have judged them. */
  private async commitRange(task: RangeTask, result: BatchResult, logs: LogCursor): Promise<void> {
    const framing = result.framing!;
    const file = this.rangeFiles.get(task.file)!;
    const base = file.slots;
    const rebased = (problem: IngestProblem): Promise<void> => this.onProblem(problem.index === null ? problem : { ...problem, index: base + problem.index });
    await inInputOrder(framing.problems, framing.records, rebased, async (record, i) => {
      this.to.counts.read++;
      const verdict = this.ledger.judge(record.key);
      const index = base + record.index;
      const ordinal = this.ledger.add(record.key, { file: task.file, offset: record.offset, index, context: record.context }, record.length, verdict);
      await this.place(ordinal, result.outcomes[i]!, verdict.kind === 'duplicate', index, logs);
    });
    for (const callId of framing.lastSessionPages) this.to.sessions.lastPageOf(callId);
    file.slots += framing.slots;
    file.records += framing.records.length;
    this.progress.bytesRead = file.bytesBefore + framing.end;
    this.progress.report(task.file);
  }

  /**
   * A stitch task's results: each call's stitched record is counted as accepted again (its first
   * processing is retracted at the end), its rows go at the end of the tables; its sessions count as
   * stitched or duplicate; a call without an accepted record gives one reject per session.
   */
  private async commitStitch(task: StitchTask, result: BatchResult): Promise<void> {
    const counts = this.to.counts;
    let next = 0;
    for (const [i, call] of task.calls.entries()) {
      const verdict = result.stitching![i]!;
      if (call.record !== null) {
        const outcome = result.outcomes[next++]!;
        this.advance(outcome);
        await this.count(outcome, outcome.reject?.index ?? call.record.index);
      }
      for (let k = 0; k < verdict.rejected; k++) await this.count(result.outcomes[next++]!, null);
      counts.sessionsStitched += verdict.merged;
      counts.duplicate += verdict.duplicate;
    }
  }

  /**
   * Notes where a record's rows went and counts it. A loser (a later copy of an id that loses to the
   * kept one, processed before it was judged: see range.ts) is a duplicate: its rows are taken out
   * at the end with the superseded copies, and its reject, if any, is not written.
   */
  private async place(ordinal: number, outcome: RecordOutcome, loser: boolean, index: number, logs: LogCursor): Promise<void> {
    const { streams, calls } = this.to;
    this.ledger.placed(ordinal, outcome.filtered ? 'filtered' : outcome.accepted, {
      streamCsvStart: streams.csvBytes,
      streamCsvBytes: outcome.streamCsvBytes,
      callCsvStart: calls.csvBytes,
      callCsvBytes: outcome.callCsvBytes,
      streamRowStart: streams.rows,
      streamRows: outcome.streamRows,
      callRowStart: calls.rows,
      callRows: outcome.callRows,
    });
    this.advance(outcome);
    if (outcome.log !== null) {
      // a log row: counted in its table, or a duplicate of a row placed before
      await this.to.logs.place(outcome.log, logs, this.to.counts, loser);
    } else if (loser && !outcome.accepted) {
      // (a loser's acceptance is undone by the retraction at the end)
      this.to.counts.duplicate++;
    } else if (outcome.sessionOf !== null) {
      // counted at the end, when it is stitched into its record (or rejected)
      this.to.sessions.add(outcome.sessionOf, ordinal);
    } else {
      await this.count(outcome, index);
    }
  }

  /** The tables grow by a record's rows. */
  private advance(outcome: RecordOutcome): void {
    const { streams, calls } = this.to;
    streams.csvBytes += outcome.streamCsvBytes;
    calls.csvBytes += outcome.callCsvBytes;
    streams.rows += outcome.streamRows;
    calls.rows += outcome.callRows;
  }

  /** Counts a record's outcome: accepted, filtered, or rejected (its reject written, at `index` when given). */
  private async count(outcome: RecordOutcome, index: number | null): Promise<void> {
    const counts = this.to.counts;
    if (outcome.accepted) {
      counts.accepted++;
      countNotes(counts, outcome, 1);
      return;
    }
    const reject = outcome.reject;
    if (reject !== null) await this.writeReject(index === null || reject.index === index ? reject : { ...reject, index });
    if (outcome.filtered) counts.filtered++;
    else counts.rejected++;
  }

  /**
   * An ingest problem is one line of rejects.jsonl and counts as one record read and rejected,
   * whatever its kind: a truncated file's cut-off record and an empty file too (so that
   * --fail-on-rejects fires on them). Truncated files are also counted apart, empty ones warned of.
   */
  private async onProblem(problem: IngestProblem): Promise<void> {
    const counts = this.to.counts;
    if (problem.kind === 'empty') this.to.warnings.push(`${problem.file}: ${problem.reason}`);
    if (problem.kind === 'truncated') counts.truncatedFiles++;
    counts.read++;
    counts.rejected++;
    await this.writeReject({
      file: problem.file,
      offset: problem.offset,
      index: problem.index,
      id: null,
      kind: problem.kind,
      reason: problem.reason,
      snippet: this.to.redact ? '<redacted>' : problem.snippet,
    });
  }

  private async writeReject(entry: RejectEntry): Promise<void> {
    this.rejectLines++;
    if (this.to.firstRejects.length < FIRST_REJECTS) this.to.firstRejects.push(entry);
    if (this.to.rejects !== null) await this.to.rejects.write(encodeRejectLine(entry));
  }
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

/**
 * What becomes of a record read: each is exactly one of these (read = their sum). A new fate of
 * records (a new table's rows, say) is one more name here.
 */
export const RECORD_FATES = [
  'accepted',
  'pstnCalls',
  'directRoutingCalls',
  'rejected',
  'duplicate',
  'filtered',
  'sessionsStitched',
] as const satisfies ReadonlyArray<keyof RunCounts>;

/**
 * The run's invariant, checked once it is over: every record read has one of RECORD_FATES, and
 * every rejected one is one line of rejects.jsonl. A break is a bug.
 */
export function checkCounts(counts: RunCounts, rejectLines: number): void {
  const sum = RECORD_FATES.reduce((total, fate) => total + counts[fate], 0);
  if (counts.read !== sum || counts.rejected !== rejectLines) {
    throw fail(
      ErrorCode.Internal,
      `a bug in callaudit (please report it): the counts do not add up: ${counts.read} read, ${RECORD_FATES.map((fate) => `${counts[fate]} ${fate}`).join(', ')}, ${rejectLines} lines of rejects`,
    );
  }
}
