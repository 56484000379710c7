/** What a worker (or the inline executor) does with a task: the one entry point for both kinds. */
import { processBatch } from './batch.js';
import type { BatchContext, BatchResult, Task } from './protocol.js';
import { processRange } from './range.js';

export function runTask(task: Task, ctx: BatchContext): BatchResult {
  return task.kind === 'range' ? processRange(task, ctx) : processBatch(task, ctx);
}
