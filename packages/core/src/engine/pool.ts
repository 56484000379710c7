/**
 * Runs tasks on a piscina pool, or inline when `workers` is 0 (for debugging: same code, same
 * bytes). When the run's signal aborts, tasks in flight are cancelled (a running task's worker is
 * terminated) and fail E_INTERRUPTED. A failed batch is retried once (settle.ts).
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { interrupted, throwIfAborted } from './abort.js';
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
  if (here.endsWith('.ts')) return { filename: new URL('./worker.ts', here).href, execArgv: ['--import', pathToFileURL(createRequire(here).resolve('tsx')).href] };
  return { filename: new URL('./worker.js', here).href, execArgv: [] };
}

export function createExecutor(workers: number, context: BatchContext, signal?: AbortSignal): Executor {
  if (workers === 0) {
    return {
      workers: 0,
      runBatch: async (task) => {
        throwIfAborted(signal);
        return runTask(task, context);
      },
      runPart: async (task) => {
        throwIfAborted(signal);
        return encodePart(task);
      },
      close: async () => {},
    };
  }
  const { filename, execArgv } = workerFile();
  const pool = new Piscina({
    filename,
    execArgv,
    workerData: context,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 60_000,
    // No maxQueue: the engine bounds in-flight work itself (2 batches per worker).
  });
  const run = async <T>(task: Task | PartTask, name: string): Promise<T> => {
    try {
      return (await pool.run(task, { name, ...(signal === undefined ? {} : { signal }) })) as T;
    } catch (error) {
      if (signal?.aborted) throw interrupted(error);
      throw error;
    }
  };
  return {
    workers,
    runBatch: (task) => run<BatchResult>(task, 'default'),
    runPart: (task) => run<number>(task, 'part'),
    close: () => pool.destroy(),
  };
}
