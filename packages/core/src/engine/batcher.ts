/**
 * Batching of records framed on the main thread: each record is judged by the ledger in input
 * order (a duplicate is dropped and counted; a copy that supersedes one still in the batch being
 * filled replaces it there), copied once into the batch's own buffer, and the batch leaves for a
 * worker when it holds `batchBytes` of records. Batches are cut by input bytes only, never by the
 * worker count, so the output is the same whatever the number of workers.
 */
import type { IngestProblem, RecordSlice } from '../ingest/index.js';
import type { CommitQueue } from './commit.js';
import type { KeyVerdict, RecordLedger } from './ledger.js';
import type { BatchRecord, BatchTask, PlacedProblem } from './protocol.js';
import type { RunCounts } from './result.js';

/** Room past `batchBytes` for the record that fills a batch (records are ~40 KB). */
const BATCH_SLACK = 256 << 10;

export class Batcher {
  private readonly capacity: number;
  /**
   * Records are copied once, into the batch's own buffer (sent to a worker as it is: a structured
   * clone copies a view's whole ArrayBuffer, so the buffer holds this batch only).
   */
  private buffer: Buffer;
  private records: BatchRecord[] = [];
  /** Ingest problems among the records of the batch being filled. */
  private problems: PlacedProblem[] = [];
  private filled = 0;

  constructor(
    private readonly batchBytes: number,
    private readonly ledger: RecordLedger,
    private readonly counts: RunCounts,
    private readonly queue: CommitQueue,
  ) {
    this.capacity = batchBytes + BATCH_SLACK;
    this.buffer = Buffer.allocUnsafeSlow(this.capacity);
  }

  async addRecord(record: RecordSlice): Promise<void> {
    // Records are judged in input order: those of ranges still in flight come first.
    await this.queue.drainRanges();
    this.counts.read++;
    const verdict: KeyVerdict = this.ledger.judge(record.key);
    if (verdict.kind === 'duplicate') {
      this.counts.duplicate++;
      return;
    }
    const length = record.bytes.byteLength;
    let effective = verdict;
    if (verdict.kind === 'supersedes' && this.dropFromBatch(verdict.ordinal)) {
      // The copy it beats has not left for a worker yet: it is never processed, only counted.
      this.counts.duplicate++;
      effective = { kind: 'new' };
    }
    const ordinal = this.ledger.add(record.key, record, length, effective);
    if (this.filled + length > this.buffer.length) {
      // a record longer than the room left: grow this batch's buffer (rare; records are ~40 KB)
      const grown = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.filled + length));
      this.buffer.copy(grown, 0, 0, this.filled);
      this.buffer = grown;
    }
    this.buffer.set(record.bytes, this.filled);
    this.records.push({
      ordinal,
      file: record.file,
      offset: record.offset,
      index: record.index,
      start: this.filled,
      end: this.filled + length,
      context: record.context,
    });
    this.filled += length;
    if (this.filled >= this.batchBytes) await this.dispatch();
  }

  /** An ingest problem found after the records added so far. */
  addProblem(problem: IngestProblem): void {
    this.problems.push({ problem, before: this.records.length });
  }

  /** Sends the batch being filled (if it holds anything) and starts a new one. */
  async dispatch(): Promise<void> {
    if (this.records.length === 0) {
      if (this.problems.length > 0) this.queue.problemsOnly(this.problems);
      this.problems = [];
      this.filled = 0; // bytes of records dropped from the batch, if any: nothing was sent
      return;
    }
    const task: BatchTask = { kind: 'records', seq: this.queue.nextSeq(), buffer: this.buffer.subarray(0, this.filled), records: this.records, sign: 1 };
    const problems = this.problems;
    this.buffer = Buffer.allocUnsafeSlow(this.capacity);
    this.records = [];
    this.problems = [];
    this.filled = 0;
    await this.queue.dispatch(task, problems);
  }

  /** Takes a record out of the batch being filled, if it is there. */
  private dropFromBatch(ordinal: number): boolean {
    const at = this.records.findIndex((r) => r.ordinal === ordinal);
    if (at < 0) return false;
    this.records.splice(at, 1);
    this.problems = this.problems.map((p) => (p.before > at ? { problem: p.problem, before: p.before - 1 } : p));
    return true;
  }
}
