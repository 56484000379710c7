/**
 * Runs tasks on a piscina pool, or inline when `workers` is 0 (for debugging: same code, same
 * bytes). When the run's signal aborts, tasks in flight are cancelled (a running task's worker is
 * terminated) and fail E_INTERRUPTED. An error a task throws fails the run (failure.ts); a task
 * whose worker dies is retried once (settle.ts).
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { ErrorCode, fail } from '../errors.js';
import { beforePoolStart } from '../io/fault.js';
import { interrupted, throwIfAborted } from './abort.js';
import { isFailure, taskError, toFailure } from './failure.js';
import { runTask } from './task.js';
import { encodePart } from './parts.js';
import type { BatchContext, BatchResult, PartTask, Task } from './protocol.js';

export interface Executor {
  readonly workers: number;
  runBatch(task: Task): Promise<BatchResult>;
  runPart(task: PartTask): Promise<number>;
  close(): Promise<void>;
}

export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * In development the sources are TypeScript: the worker then loads through tsx (resolved from here,
 * not from the working folder, which may be anywhere).
 */
function workerFile(): { filename: string; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts'))
    return { filename: new URL('./worker.ts', here).href, execArgv: ['--import', pathToFileURL(createRequire(here).resolve('tsx')).href] };
  return { filename: new URL('./worker.js', here).href, execArgv: [] };
}

/** Default heap limit of a worker (MB): see ReportOptions.workerHeapMb. */
export const DEFAULT_WORKER_HEAP_MB = 2048;

/**
 * Fails E_INTERNAL, one line naming the cause, when the pool cannot start its threads (Node's Worker
 * throws, e.g. ERR_WORKER_INIT_FAILED when the system refuses a thread).
 */
export function createExecutor(workers: number, context: BatchContext, signal?: AbortSignal, heapMb = DEFAULT_WORKER_HEAP_MB): Executor {
  if (workers === 0) {
    return {
      workers: 0,
      runBatch: async (task) => {
        throwIfAborted(signal);
        try {
          return runTask(task, context);
        } catch (error) {
          throw taskError(task, toFailure(error));
        }
      },
      runPart: async (task) => {
        throwIfAborted(signal);
        try {
          return await encodePart(task);
        } catch (error) {
          throw taskError(task, toFailure(error));
        }
      },
      close: async () => {},
    };
  }
  let pool: Piscina;
  try {
    beforePoolStart();
    const { filename, execArgv } = workerFile();
    pool = new Piscina({
      filename,
      execArgv,
      workerData: context,
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: 60_000,
      // A worker out of memory is terminated alone (ERR_WORKER_OUT_OF_MEMORY) instead of the process.
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
      // No maxQueue: the engine bounds in-flight work itself (2 batches per worker).
    });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException | null)?.code;
    const why = cause instanceof Error ? cause.message : String(cause);
    throw fail(
      ErrorCode.Internal,
      `cannot start ${workers} worker thread${workers === 1 ? '' : 's'}: ${why.replace(/\s+/g, ' ')}${code !== undefined && !why.includes(code) ? ` (${code})` : ''}; try fewer --workers, or --workers 0 (inline)`,
      { cause },
    );
  }
  // The pool emits 'error' for what belongs to no task: a worker that died idle (it is replaced),
  // or a result that arrives while the pool is being destroyed after the run failed. Neither loses
  // a record; without a listener either would crash the process.
  pool.on('error', () => {});
  const run = async <T>(task: Task | PartTask, name: string): Promise<T> => {
    let result: unknown;
    try {
      result = await pool.run(task, { name, ...(signal === undefined ? {} : { signal }) });
    } catch (error) {
      if (signal?.aborted) throw interrupted(error);
      throw error; // the worker died: settle.ts retries the task once
    }
    if (isFailure(result)) throw taskError(task, result);
    return result as T;
  };
  return {
    workers,
    runBatch: (task) => run<BatchResult>(task, 'default'),
    runPart: (task) => run<number>(task, 'part'),
    close: () => pool.destroy(),
  };
}
