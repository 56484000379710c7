/** The piscina worker: one batch in, its encoded rows, rejects and partial aggregates out. */
import { workerData } from 'node:worker_threads';
import { processBatch } from './batch.js';
import { encodePart } from './parts.js';
import type { BatchContext, BatchResult, BatchTask, PartTask } from './protocol.js';

const context = workerData as BatchContext;

export default function run(task: BatchTask): BatchResult {
  return processBatch(task, context);
}

export async function part(task: PartTask): Promise<number> {
  return encodePart(task);
}
