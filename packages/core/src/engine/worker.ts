/**
 * The piscina worker: one task in, its encoded rows, rejects and partial aggregates out. An error a
 * task throws comes back as a TaskFailure (see failure.ts); only a dying worker rejects the task.
 */
import { workerData } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { runTask } from './task.js';
import { encodePart } from './parts.js';
import { toFailure } from './failure.js';
import type { BatchContext, BatchResult, PartTask, Task, TaskFailure } from './protocol.js';

const context = workerData as BatchContext;

/**
 * The result's byte arrays (CSV, Arrow IPC) and the packed rollup partial's typed arrays are
 * transferred, not copied: they are most of its size, and the main thread then receives bytes it
 * can write (and arrays it can merge) as they are.
 */
export default function run(task: Task): unknown {
  let result: BatchResult;
  try {
    if (fault !== null) testFault(task, fault);
    result = runTask(task, context);
  } catch (error) {
    return toFailure(error);
  }
  const transfer: ArrayBuffer[] = [];
  const packed = result.partial.tables.flatMap((table) => [table.n, table.q, table.sketchEnd, table.labels?.counts ?? null, table.labels?.rowEnd ?? null]);
  for (const bytes of [result.streamsCsv, result.callsCsv, result.streamsIpc, result.callsIpc, ...result.logTables.flatMap((t) => [t.csv, t.ipc]), ...packed]) {
    // only arrays that own their whole buffer (a slice would take its neighbours along)
    if (
      bytes !== null &&
      bytes.byteLength > 0 &&
      bytes.byteOffset === 0 &&
      bytes.byteLength === bytes.buffer.byteLength &&
      bytes.buffer instanceof ArrayBuffer
    ) {
      transfer.push(bytes.buffer);
    }
  }
  const movable = { [Piscina.transferableSymbol]: transfer, [Piscina.valueSymbol]: result };
  return Piscina.move(movable as unknown as Parameters<typeof Piscina.move>[0]);
}

export async function part(task: PartTask): Promise<number | TaskFailure> {
  try {
    return await encodePart(task);
  } catch (error) {
    return toFailure(error);
  }
}

/**
 * Test-only: CALLAUDIT_TEST_WORKER_FAULT="<exit|oom|throw>:<text>" makes a worker fail on a records
 * task whose bytes hold <text> (a record id, say): exit its thread, run out of memory, or throw.
 */
const fault = /^(exit|oom|throw):(.+)$/s.exec(process.env.CALLAUDIT_TEST_WORKER_FAULT ?? '');

function testFault(task: Task, [, how, text]: RegExpExecArray): void {
  if (task.kind !== 'records' || !Buffer.from(task.buffer.buffer, task.buffer.byteOffset, task.buffer.byteLength).includes(text!)) return;
  if (how === 'exit') process.exit(1);
  if (how === 'throw') throw new Error('test fault: thrown in a worker');
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array<number>(1 << 20).fill(1.5));
}
