/**
 * A batch whose worker dies (exits, runs out of memory) is retried once (piscina replaces a dead
 * worker); if it dies again, each of its records becomes a `worker_failed` reject and the run goes
 * on. An error the task throws is not retried: it arrives here as a CallauditError (failure.ts)
 * and stops the run, as does an interrupt. A range task's records are not known until the range
 * is framed: the main thread frames it then (without parsing anything), so they are listed one by
 * one as for any other batch.
 */
import { isCallauditError } from '../errors.js';
import { RollupAccumulator } from '../rollup/accumulator.js';
import { packPartial } from '../rollup/packed.js';
import { emptyOutcome } from './batch.js';
import type { Executor } from './pool.js';
import type { BatchResult, RangeFraming, Task } from './protocol.js';
import { frameRange } from './range.js';

/** Runs a task; retries once; a second failure turns the task's records into rejects. */
export async function settle(executor: Executor, task: Task, first: Promise<BatchResult>): Promise<BatchResult> {
  try {
    return await first;
  } catch (error) {
    if (isCallauditError(error)) throw error; // interrupted: not the worker's fault
    try {
      return await executor.runBatch(task);
    } catch (error) {
      if (isCallauditError(error)) throw error;
      return failedResult(task, `worker failed twice on this batch: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function failedResult(task: Task, reason: string): BatchResult {
  if (task.kind === 'stitch') {
    // each call's record and each of its sessions is a worker_failed reject
    const records = task.calls.flatMap((call) => (call.record === null ? call.sessions : [call.record, ...call.sessions]));
    const stitching = task.calls.map((call) => ({ merged: 0, duplicate: 0, rejected: call.sessions.length }));
    return { ...emptyResult(task.seq, records, reason, null), stitching };
  }
  if (task.kind === 'range') {
    const framing = frameRange(task).framing;
    const records = framing.records.map((r) => ({ ordinal: -1, file: task.file, offset: r.offset, index: r.index }));
    return emptyResult(task.seq, records, reason, framing);
  }
  return emptyResult(task.seq, task.records, reason, null);
}

/** A result without rows: each record a worker_failed reject. */
function emptyResult(
  seq: number,
  records: ReadonlyArray<{ ordinal: number; file: string; offset: number; index: number }>,
  reason: string,
  framing: RangeFraming | null,
): BatchResult {
  return {
    seq,
    streamsCsv: new Uint8Array(0),
    callsCsv: new Uint8Array(0),
    streamsIpc: null,
    callsIpc: null,
    logTables: [],
    outcomes: records.map((r) =>
      emptyOutcome(r.ordinal, false, { file: r.file, offset: r.offset, index: r.index, id: null, kind: 'worker_failed', reason, snippet: '' }),
    ),
    partial: packPartial(new RollupAccumulator({ groupBy: [] }).toPartial()),
    framing,
  };
}
