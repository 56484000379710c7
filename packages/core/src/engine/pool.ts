/**
 * Runs tasks on a piscina pool, or inline when `workers` is 0 (for debugging: same code, same
 * bytes). A failed batch is retried once; the caller decides what a second failure means.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
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

/** In development the sources are TypeScript: the worker then loads through tsx. */
function workerFile(): { filename: string; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { filename: new URL('./worker.ts', here).href, execArgv: ['--import', 'tsx'] };
  return { filename: new URL('./worker.js', here).href, execArgv: [] };
}

export function createExecutor(workers: number, context: BatchContext): Executor {
  if (workers === 0) {
    return {
      workers: 0,
      runBatch: async (task) => runTask(task, context),
      runPart: async (task) => encodePart(task),
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
  return {
    workers,
    runBatch: (task) => pool.run(task) as Promise<BatchResult>,
    runPart: (task) => pool.run(task, { name: 'part' }) as Promise<number>,
    close: () => pool.destroy(),
  };
}
