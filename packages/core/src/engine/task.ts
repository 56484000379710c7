/** What a worker (or the inline executor) does with a task: the one entry point for both kinds. */
import { processBatch, processStitch } from './batch.js';
import type { BatchContext, BatchResult, Task } from './protocol.js';
import { processRange } from './range.js';

export function runTask(task: Task, ctx: BatchContext): BatchResult {
  switch (task.kind) {
    case 'range':
      return processRange(task, ctx);
    case 'stitch':
      return processStitch(task, ctx);
    default:
      return processBatch(task, ctx);
  }
}
