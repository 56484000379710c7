/** The piscina worker: one task in, its encoded rows, rejects and partial aggregates out. */
import { workerData } from 'node:worker_threads';
import { runTask } from './task.js';
import { encodePart } from './parts.js';
import type { BatchContext, BatchResult, PartTask, Task } from './protocol.js';

const context = workerData as BatchContext;

export default function run(task: Task): BatchResult {
  return runTask(task, context);
}

export async function part(task: PartTask): Promise<number> {
  return encodePart(task);
}
