/**
 * A batch whose worker throws or dies is retried once (piscina replaces a dead worker); if it
 * fails again, each of its records becomes a `worker_failed` reject and the run goes on.
 */
import { RollupAccumulator } from '../rollup/accumulator.js';
import type { Executor } from './pool.js';
import type { BatchResult, BatchTask } from './protocol.js';

/** Runs a batch; retries once; a second failure turns the batch's records into rejects. */
export async function settle(executor: Executor, task: BatchTask, first: Promise<BatchResult>): Promise<BatchResult> {
  try {
    return await first;
  } catch {
    try {
      return await executor.runBatch(task);
    } catch (error) {
      const reason = `worker failed twice on this batch: ${error instanceof Error ? error.message : String(error)}`;
      const empty = new RollupAccumulator({ groupBy: [] }).toPartial();
      return {
        seq: task.seq,
        streamsCsv: '',
        callsCsv: '',
        streamsIpc: null,
        callsIpc: null,
        rejects: task.records.map((r) => ({ file: r.file, offset: r.offset, index: r.index, id: null, kind: 'worker_failed', reason, snippet: '' })),
        outcomes: task.records.map((r) => ({ ordinal: r.ordinal, accepted: false, filtered: false, streamRows: 0, callRows: 0, streamCsvBytes: 0, callCsvBytes: 0 })),
        partial: empty,
        sessionsTruncated: 0,
      };
    }
  }
}
